import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Course, Lesson } from '../../domain/course.js';
import { Invalid } from '../../domain/errors.js';
import { lessonHtmlFor } from '../../domain/jurisdictions.js';
import { lessonsToStudy, sectionsToStudy } from '../../domain/mastery/refresher-path.js';
import type { Region } from '../../domain/org-profile.js';
import { FEEDBACK_KINDS, lessonPath } from '../../services/learning/index.js';
import { formBody } from '../form-schema.js';
import { requireUser } from '../guards.js';
import { LEARN_ASSETS, lessonView } from './format.js';
import { findCourse, findLesson } from './lookup.js';
import { LessonParams } from './schemas.js';

export const FEEDBACK_MAX = 2000;

const LessonQuery = Type.Object(
  { feedback: Type.Optional(Type.Literal('sent')), whole: Type.Optional(Type.Literal('1')) },
  { additionalProperties: false },
);

const FeedbackBody = formBody({
  kind: Type.Union(FEEDBACK_KINDS.map((k) => Type.Literal(k))),
  // Empty is allowed here so it can be answered with a form error rather than an error page.
  message: Type.String({ maxLength: FEEDBACK_MAX }),
  submissionId: Type.String({ pattern: '^[A-Za-z0-9-]{16,40}$' }),
});

interface FeedbackForm {
  kind: string;
  message: string;
  submissionId: string;
  sent: boolean;
  errors: Array<{ field: string; message: string }>;
}

/**
 * On a refresher's short path (issue #23): the lessons to study, and for this one only the sections
 * teaching a study clause unless the learner asked for the whole lesson. Null: the whole course.
 */
interface StudyPath {
  lessons: Lesson[];
  /** The sections' HTML (notices narrowed for the learner), or null when the whole lesson shows. */
  html: string | null;
}

function renderLesson(
  reply: FastifyReply,
  course: Course,
  lesson: Lesson,
  index: number,
  feedback: FeedbackForm,
  path: StudyPath | null = null,
) {
  const sequence = path?.lessons.includes(course.lessons[index]!) ? path.lessons : course.lessons;
  const at = sequence === course.lessons ? index : sequence.indexOf(course.lessons[index]!);
  const prev = sequence[at - 1];
  const next = sequence[at + 1];
  return reply.viewAsync('learn/lesson', {
    ...LEARN_ASSETS,
    // Lessons may hold branching scenarios (src/content/scenario-html.ts); the SCO packages this file too.
    styles: [...LEARN_ASSETS.styles, '/static/css/scenario.css'],
    course: { id: course.id, title: course.title, language: course.language },
    lesson: lessonView(course, lesson, {
      html: path?.html ?? undefined,
      // Only the study sections: say so, and offer the rest.
      wholeHref: path?.html ? `${lessonPath(course.id, lesson.id)}?whole=1` : null,
      action: `${lessonPath(course.id, lesson.id)}/feedback`,
    }),
    n: index + 1,
    total: course.lessons.length,
    prev: prev ? { title: prev.title, href: lessonPath(course.id, prev.id) } : null,
    next: next ? { title: next.title, href: lessonPath(course.id, next.id) } : null,
    afterLast: { examples: `/learn/${course.id}/examples`, quiz: `/learn/${course.id}/quiz` },
    studyPath: sequence !== course.lessons,
    feedback,
    feedbackMax: FEEDBACK_MAX,
  });
}

const blankFeedback = (sent: boolean): FeedbackForm => ({
  kind: 'question',
  message: '',
  submissionId: randomUUID(),
  sent,
  errors: [],
});

function studyPath(
  course: Course,
  lesson: Lesson,
  study: readonly string[],
  shown: readonly Region[],
  whole: boolean,
): StudyPath {
  const sections = sectionsToStudy(lesson, study);
  // Every section is for study (or none is, a lesson the learner tested out of): the whole lesson shows.
  const partial = !whole && sections.length > 0 && sections.length < lesson.sections.length;
  return {
    lessons: lessonsToStudy(course, study),
    html: partial ? sections.map((s) => lessonHtmlFor(s.html, shown)).join('\n') : null,
  };
}

type LessonRequest = FastifyRequest<{
  Params: Static<typeof LessonParams>;
  Querystring: Static<typeof LessonQuery>;
}>;
type FeedbackRequest = FastifyRequest<{
  Params: Static<typeof LessonParams>;
  Body: Static<typeof FeedbackBody>;
}>;

/** `GET /learn/:courseId/lessons/:lessonId`: the lesson, recorded as viewed (resume point, completion). */
async function showLesson(request: LessonRequest, reply: FastifyReply) {
  const learner = requireUser(request);
  const course = findCourse(request.server, request.params.courseId);
  const { lesson, index } = findLesson(course, request.params.lessonId);
  const { assignment } = await request.server.services.learning.recordLessonView({
    learner,
    course,
    lesson,
    now: request.server.clock.now(),
  });
  // The lesson as this learner sees it: only the notice sections for their jurisdictions (the
  // assignment just read carries the person's region).
  const shown = await request.server.services.learning.courseForLearner({
    region: assignment.region,
    course,
  });
  const seen = shown.course.lessons[index] ?? lesson;
  const study = await request.server.services.learning.studyClausesOf({ assignment });
  const path = study
    ? studyPath(shown.course, seen, study, shown.jurisdictions, request.query.whole === '1')
    : null;
  return renderLesson(
    reply,
    shown.course,
    seen,
    index,
    blankFeedback(request.query.feedback === 'sent'),
    path,
  );
}

/** `POST .../feedback`: stores the question for HR; a blank message shows the form again with the error. */
async function sendFeedback(request: FeedbackRequest, reply: FastifyReply) {
  const learner = requireUser(request);
  const course = findCourse(request.server, request.params.courseId);
  const { lesson, index } = findLesson(course, request.params.lessonId);
  const { kind, message, submissionId } = request.body;
  try {
    await request.server.services.learning.submitFeedback({
      author: learner,
      course,
      lesson,
      kind,
      message,
      submissionId,
      now: request.server.clock.now(),
    });
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    reply.code(400);
    const shown = await request.server.services.learning.courseForLearnerOf({ userId: learner.id, course });
    return renderLesson(reply, shown.course, shown.course.lessons[index] ?? lesson, index, {
      kind,
      message,
      submissionId,
      sent: false,
      errors: [{ field: 'feedback-message', message: request.i18n!.t(err.message, err.values) }],
    });
  }
  // Post/redirect/get: reloading the confirmation does not resend the form.
  return reply.redirect(`${lessonPath(course.id, lesson.id)}?feedback=sent#feedback`, 303);
}

/** Lesson pages (viewing one records progress) and the feedback form on each of them. */
const lessonRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/learn/:courseId/lessons/:lessonId',
    { config: { access: 'authenticated' }, schema: { params: LessonParams, querystring: LessonQuery } },
    showLesson,
  );
  app.post(
    '/learn/:courseId/lessons/:lessonId/feedback',
    { config: { access: 'authenticated' }, schema: { params: LessonParams, body: FeedbackBody } },
    sendFeedback,
  );
};

export default lessonRoutes;
