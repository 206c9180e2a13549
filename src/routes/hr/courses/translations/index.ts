import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import { HR_ROLES } from '../../../../domain/access.js';
import { LANGUAGES, SOURCE_LANGUAGE } from '../../../../domain/i18n/languages.js';
import type { MessageValues } from '../../../../i18n/translator.js';
import { translator } from '../../../../i18n/translator.js';
import { Slug } from '../../../form-schema.js';
import { LEARN_ASSETS, lessonView } from '../../../learn/format.js';
import { ContentId, NoQuery } from '../../../learn/schemas.js';

const TRANSLATED = LANGUAGES.filter((l) => l !== SOURCE_LANGUAGE);
const Params = Type.Object(
  {
    courseId: Slug,
    lang: Type.Union(TRANSLATED.map((l) => Type.Literal(l))),
    lessonId: ContentId,
  },
  { additionalProperties: false },
);
const TranslationParams = Type.Object(
  { courseId: Slug, lang: Type.Union(TRANSLATED.map((l) => Type.Literal(l))) },
  { additionalProperties: false },
);
type PreviewRequest = FastifyRequest<{ Params: Static<typeof Params> }>;
type TranslationRequest = FastifyRequest<{ Params: Static<typeof TranslationParams> }>;

/**
 * The interface words inside the lesson (its step, the objectives and clauses headings) are read in
 * the translation's language, like the rest of the lesson container that carries its lang and dir:
 * the article is what a learner would see, while HR's page around it stays in HR's language.
 */
const LESSON_CHROME = /^learn\.(lesson\.(step|aboutMinutes|objectives|clauses|partial|readWhole)|nOfTotal)$/;

export const previewPath = (courseId: string, lang: string, lessonId: string) =>
  `/hr/courses/${courseId}/translations/${lang}/lessons/${lessonId}`;

/** A broken translation has no lessons to show: the page says so and lists its problems (file:line). */
function showBroken(request: TranslationRequest, reply: FastifyReply): Promise<string> | undefined {
  const { courseId, lang } = request.params;
  const broken = request.server.services.courses.brokenTranslation({ courseId, lang });
  if (!broken) return undefined;
  return reply.viewAsync('hr/courses/translation-broken', {
    course: broken.course,
    problems: broken.problems,
    language: request.i18n!.t(`preview.language.${lang}`),
    source: new Intl.DisplayNames([request.i18n!.lang], { type: 'language' }).of(SOURCE_LANGUAGE),
  });
}

/** `GET /hr/courses/:courseId/translations/:lang/lessons/:lessonId`: a translated lesson, read-only. */
async function showPreview(request: PreviewRequest, reply: FastifyReply) {
  const broken = showBroken(request, reply);
  if (broken) return broken;
  const { courseId, lang, lessonId } = request.params;
  const p = await request.server.services.courses.translationPreview({ courseId, lang, lessonId });
  const { course, lesson, lessons, index } = p;
  const page = request.i18n!;
  const content = translator(lang);
  const prev = lessons[index - 1];
  const next = lessons[index + 1];
  return reply.viewAsync('learn/lesson', {
    ...LEARN_ASSETS,
    styles: [...LEARN_ASSETS.styles, '/static/css/scenario.css'],
    t: (key: string, values?: MessageValues) => (LESSON_CHROME.test(key) ? content : page).t(key, values),
    preview: {
      lang: content.lang,
      dir: content.dir,
      state: p.state,
      language: page.t(`preview.language.${lang}`),
      translated: lessons.length,
    },
    course: { id: course.id, title: course.title },
    lesson: lessonView(course, lesson, { wholeHref: null, action: '' }),
    n: course.lessons.indexOf(lesson) + 1,
    total: course.lessons.length,
    prev: prev ? { title: prev.title, href: previewPath(courseId, lang, prev.id) } : null,
    next: next ? { title: next.title, href: previewPath(courseId, lang, next.id) } : null,
    afterLast: { examples: null, quiz: null },
    studyPath: false,
  });
}

/** `GET /hr/courses/:courseId/translations/:lang`: the preview starts at the first translated lesson (or the problems of a broken one). */
async function startPreview(request: TranslationRequest, reply: FastifyReply) {
  const broken = showBroken(request, reply);
  if (broken) return broken;
  const { courseId, lang } = request.params;
  const { lesson } = await request.server.services.courses.translationPreview({ courseId, lang });
  return reply.redirect(previewPath(courseId, lang, lesson.id), 303);
}

/** HR's read-only preview of a course translation (issue #26), including one learners do not get yet. */
const translationPreviewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/hr/courses/:courseId/translations/:lang',
    { config: { access: HR_ROLES }, schema: { params: TranslationParams, querystring: NoQuery } },
    startPreview,
  );
  app.get(
    '/hr/courses/:courseId/translations/:lang/lessons/:lessonId',
    { config: { access: HR_ROLES }, schema: { params: Params, querystring: NoQuery } },
    showPreview,
  );
};

export default translationPreviewRoutes;
