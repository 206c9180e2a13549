import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import { type Course, type ExamplePost, POST_VERDICTS, type PostVerdict } from '../../domain/course.js';
import { courseTextLanguage } from '../../domain/course-text-language.js';
import { type PostCardView, postCard, wordCard } from '../../domain/post-card.js';
import { POST_VERDICT_TONES, verdictChoices } from '../../domain/verdict-labels.js';
import type { Translator } from '../../i18n/translator.js';
import { formBody } from '../form-schema.js';
import { requireUser } from '../guards.js';
import { clauseList, LEARN_ASSETS } from './format.js';
import { findCourse, findExample } from './lookup.js';
import { CourseParams, ExampleParams, NoQuery } from './schemas.js';

// Optional so a learner who forgot to choose gets a form error; any other value is a forged post (400).
const ClassifyBody = formBody({
  answer: Type.Optional(Type.Union(POST_VERDICTS.map((v) => Type.Literal(v)))),
});

/** True when the client asked for JSON (the progressive-enhancement script does). */
function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

const examplePath = (courseId: string, exampleId: string) => `/learn/${courseId}/examples/${exampleId}`;

/** "LinkedIn post by Priya Shah" in the page's language: page titles, links and the card's accessible name. */
function postLabel(post: ExamplePost, i18n: Translator): string {
  return wordCard(postCard(post).label, (key, values) => i18n.t(key, values));
}

function cardOf(post: ExamplePost): PostCardView {
  // The card names itself in the page's language (learn.post.label, worded by the partial).
  return postCard(post);
}

/** Everything the reveal shows after the learner answered: verdict, reasons, clauses, better version. */
function revealData(
  course: Course,
  example: ExamplePost,
  index: number,
  answer: PostVerdict,
  correct: boolean,
  i18n: Translator,
) {
  const next = course.examples[index + 1];
  return {
    answer,
    answerLabel: i18n.t(`learn.verdict.${answer}.label`),
    correct,
    verdict: example.verdict,
    verdictLabel: i18n.t(`learn.verdict.${example.verdict}.label`),
    verdictTone: POST_VERDICT_TONES[example.verdict],
    headline: i18n.t(`learn.verdict.${example.verdict}.headline`),
    reasons: example.reasons,
    clauses: clauseList(course, example.clauses),
    // The reasons and clauses are course text, in the course's language (maybe not the page's).
    textLang: courseTextLanguage(course),
    // An ask-first post's rewrite is one that needs no check (the client left out, say).
    better: example.betterVersion
      ? postCard(
          {
            platform: example.platform,
            persona: example.persona,
            where: example.where,
            text: example.betterVersion,
          },
          i18n.t(example.verdict === 'ask-first' ? 'learn.reveal.noCheckLabel' : 'learn.reveal.betterLabel'),
        )
      : null,
    next: next ? { href: examplePath(course.id, next.id), label: postLabel(next, i18n) } : null,
    gallery: `/learn/${course.id}/examples`,
    decide: `/learn/${course.id}/decide`,
  };
}

function renderExample(
  reply: FastifyReply,
  course: Course,
  example: ExamplePost,
  index: number,
  extra: { reveal?: ReturnType<typeof revealData>; errors?: Array<{ field: string; message: string }> },
) {
  const prev = course.examples[index - 1];
  const next = course.examples[index + 1];
  const i18n = reply.request.i18n!;
  return reply.viewAsync('learn/example', {
    ...LEARN_ASSETS,
    course: { id: course.id, title: course.title, language: course.language },
    example: { id: example.id, label: postLabel(example, i18n), card: cardOf(example) },
    n: index + 1,
    total: course.examples.length,
    action: `${examplePath(course.id, example.id)}/classify`,
    verdicts: verdictChoices(),
    prev: prev ? { href: examplePath(course.id, prev.id), label: postLabel(prev, i18n) } : null,
    next: next ? { href: examplePath(course.id, next.id), label: postLabel(next, i18n) } : null,
    gallery: `/learn/${course.id}/examples`,
    reveal: extra.reveal ?? null,
    errors: extra.errors ?? [],
  });
}

type GalleryRequest = FastifyRequest<{ Params: Static<typeof CourseParams> }>;
type ExampleRequest = FastifyRequest<{ Params: Static<typeof ExampleParams> }>;
type ClassifyRequest = FastifyRequest<{
  Params: Static<typeof ExampleParams>;
  Body: Static<typeof ClassifyBody>;
}>;

/** `GET /learn/:courseId/examples`: every example as a post card, with the learner's first answers. */
async function showGallery(request: GalleryRequest, reply: FastifyReply) {
  const learner = requireUser(request);
  const course = findCourse(request.server, request.params.courseId);
  const answers = await request.server.services.learning.recordedAnswers({ userId: learner.id, course });
  const examples = course.examples.map((example, i) => ({
    n: i + 1,
    label: postLabel(example, request.i18n!),
    href: examplePath(course.id, example.id),
    card: cardOf(example),
    answered: answers.get(example.id)?.correct ?? null,
  }));
  return reply.viewAsync('learn/examples', {
    ...LEARN_ASSETS,
    course: { id: course.id, title: course.title, language: course.language },
    examples,
    answeredCount: answers.size,
  });
}

/** `GET .../examples/:exampleId`: one post, asking for a verdict. */
async function showExample(request: ExampleRequest, reply: FastifyReply) {
  const course = findCourse(request.server, request.params.courseId);
  const { example, index } = findExample(course, request.params.exampleId);
  return renderExample(reply, course, example, index, {});
}

/** `POST .../classify`: records the first answer and reveals the verdict (a page, or JSON for the script). */
async function classify(request: ClassifyRequest, reply: FastifyReply) {
  const learner = requireUser(request);
  const course = findCourse(request.server, request.params.courseId);
  const { example, index } = findExample(course, request.params.exampleId);
  const answer = request.body.answer;
  if (!answer) {
    const message = request.i18n!.t('learn.example.chooseVerdict');
    reply.code(400);
    if (wantsJson(request)) return { statusCode: 400, error: 'Answer missing', message };
    return renderExample(reply, course, example, index, {
      errors: [{ field: 'answer-acceptable', message }],
    });
  }
  const result = await request.server.services.learning.classifyExample({
    learner,
    course,
    example,
    answer,
    now: request.server.clock.now(),
  });
  const reveal = revealData(course, example, index, answer, result.correct, request.i18n!);
  if (wantsJson(request)) {
    const html = await reply.viewAsync('partials/example-reveal', { reveal });
    return reply.type('application/json; charset=utf-8').send({ ...reveal, html });
  }
  return renderExample(reply, course, example, index, { reveal });
}

const config = { access: 'authenticated' } as const;

/** The example gallery and classify-then-reveal (plain form post, or JSON for the enhancing script). */
const exampleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/learn/:courseId/examples',
    { config, schema: { params: CourseParams, querystring: NoQuery } },
    showGallery,
  );
  app.get(
    '/learn/:courseId/examples/:exampleId',
    { config, schema: { params: ExampleParams, querystring: NoQuery } },
    showExample,
  );
  app.post(
    '/learn/:courseId/examples/:exampleId/classify',
    { config, schema: { params: ExampleParams, body: ClassifyBody } },
    classify,
  );
};

export default exampleRoutes;
