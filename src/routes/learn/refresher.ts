import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { Course } from '../../domain/course.js';
import { lessonsToStudy } from '../../domain/mastery/refresher-path.js';
import { type AnswerForm, type Answers, presentQuestion } from '../../domain/quiz/index.js';
import type { Translator } from '../../i18n/translator.js';
import { lessonPath } from '../../services/learning/index.js';
import {
  type AttemptDoc,
  type AttemptResultDoc,
  choiceTokensFor,
  questionMap,
} from '../../services/quiz/index.js';
import { formBody } from '../form-schema.js';
import { requireUser } from '../guards.js';
import { QUIZ_ASSETS } from '../quiz/format.js';
import { AnswerBody, AttemptQuery } from '../quiz/schemas.js';
import { clauseList, LEARN_ASSETS } from './format.js';
import { findCourse } from './lookup.js';
import { CourseParams, NoQuery } from './schemas.js';

type CourseRequest = FastifyRequest<{ Params: Static<typeof CourseParams> }>;
type PretestPageRequest = FastifyRequest<{
  Params: Static<typeof CourseParams>;
  Querystring: Static<typeof AttemptQuery>;
}>;
type AnswerRequest = FastifyRequest<{ Params: Static<typeof CourseParams>; Body: Static<typeof AnswerBody> }>;

const refresherBase = (courseId: string) => `/learn/${courseId}/refresher`;
const pretestUrl = (courseId: string) => `${refresherBase(courseId)}/pretest`;
const resultUrl = (courseId: string) => `${refresherBase(courseId)}/result`;

function learnerInput(request: CourseRequest) {
  return {
    learner: requireUser(request),
    courseId: request.params.courseId,
    now: request.server.clock.now(),
  };
}

/** The pre-assessment's questions as the page shows them: texts and opaque tokens, never the key. */
function pretestView(
  i18n: Translator,
  course: Course,
  attempt: AttemptDoc,
  answers: Answers,
  unanswered: string[] = [],
) {
  const missing = new Set(unanswered);
  const questions = questionMap(course);
  const tokens = choiceTokensFor(attempt);
  const shown = attempt.draw.flatMap((drawn, i) => {
    const question = questions.get(drawn.questionId);
    if (!question) return [];
    const presented = presentQuestion(question, drawn, tokens[i] ?? [], i + 1, answers[drawn.questionId]);
    return [{ ...presented, missing: missing.has(question.id) }];
  });
  const firstField = (q: (typeof shown)[number]) =>
    q.type === 'classify' ? `${q.key}-verdict-acceptable` : `${q.key}-${q.choices[0]?.token ?? ''}`;
  return {
    course: { id: course.id, title: course.title, language: course.language },
    base: pretestUrl(course.id),
    questions: shown,
    errors: shown
      .filter((q) => q.missing)
      .map((q) => ({
        field: firstField(q),
        message: i18n.t('learn.refresher.answerQuestion', { n: q.number }),
      })),
  };
}

/** The decision page: what the learner still knows, what they study, and the next step. */
function decisionView(
  course: Course,
  result: AttemptResultDoc,
  refresher: { testedOut: string[]; study: string[]; changed: string[] },
) {
  const toRead = lessonsToStudy(course, refresher.study);
  return {
    course: { id: course.id, title: course.title, language: course.language },
    score: result.score,
    testedOut: clauseList(course, refresher.testedOut),
    study: clauseList(course, refresher.study).map((c) => ({
      ...c,
      changed: refresher.changed.includes(c.id),
    })),
    lessons: toRead.map((l) => ({ title: l.title, href: lessonPath(course.id, l.id) })),
    next: toRead[0] ? lessonPath(course.id, toRead[0].id) : `/learn/${course.id}/quiz`,
    attest: `/learn/${course.id}/attest`,
  };
}

/** `GET /learn/:courseId/refresher`: the choice at the start of a refresher (or where the learner is in it). */
async function showOffer(request: CourseRequest, reply: FastifyReply) {
  const app = request.server;
  const { learner, courseId, now } = learnerInput(request);
  const course = findCourse(app, courseId);
  const { cycle } = await app.services.learning.courseProgress({ userId: learner.id, course });
  const standing = await app.services.learning.refresherStanding({ course, cycle, now });
  if (standing?.kind === 'pending') return reply.redirect(pretestUrl(courseId), 303);
  if (standing?.kind === 'short') return reply.redirect(resultUrl(courseId), 303);
  if (!standing) return reply.redirect(`/learn/${courseId}`, 303);
  return reply.viewAsync('learn/refresher', {
    ...LEARN_ASSETS,
    course: { id: course.id, title: course.title, language: course.language },
    offer: { ...standing, base: refresherBase(courseId) },
  });
}

/** `POST .../refresher/pretest`: starts the check (or finds the one begun) and goes to it. */
async function start(request: CourseRequest, reply: FastifyReply) {
  await request.server.services.quiz.startPretest(learnerInput(request));
  return reply.redirect(pretestUrl(request.params.courseId), 303);
}

/** `POST .../refresher/decline`: the full path instead. */
async function decline(request: CourseRequest, reply: FastifyReply) {
  await request.server.services.learning.declineTestOut(learnerInput(request));
  return reply.redirect(`/learn/${request.params.courseId}`, 303);
}

/** `GET .../refresher/pretest`: the questions with the saved answers; once graded, the decision instead. */
async function showPretest(request: PretestPageRequest, reply: FastifyReply) {
  const found = await request.server.services.quiz.findPretest(learnerInput(request));
  // Not started (an old link, another cycle): the refresher's start says where the learner is.
  if (!found) return reply.redirect(refresherBase(request.params.courseId), 303);
  const { course, attempt, result } = found;
  if (result) return reply.redirect(resultUrl(course.id), 303);
  reply.header('cache-control', 'no-store');
  return reply.viewAsync('quiz/pretest', {
    ...QUIZ_ASSETS,
    quiz: pretestView(request.i18n!, course, attempt, attempt.answers),
    saved: request.query.saved === '1',
  });
}

/** `POST .../refresher/pretest/answers`: saves the answers and comes back. */
async function save(request: AnswerRequest, reply: FastifyReply) {
  await request.server.services.quiz.savePretestAnswers({
    ...learnerInput(request),
    form: request.body as AnswerForm,
  });
  return reply.redirect(`${pretestUrl(request.params.courseId)}?saved=1`, 303);
}

/** `POST .../refresher/pretest/submit`: grades it once, or shows the page again with the gaps. */
async function submit(request: AnswerRequest, reply: FastifyReply) {
  const outcome = await request.server.services.quiz.submitPretest({
    ...learnerInput(request),
    form: request.body as AnswerForm,
  });
  if (outcome.kind === 'graded') return reply.redirect(resultUrl(request.params.courseId), 303);
  const { course, attempt } = outcome.pretest;
  reply.code(400).header('cache-control', 'no-store');
  return reply.viewAsync('quiz/pretest', {
    ...QUIZ_ASSETS,
    quiz: pretestView(request.i18n!, course, attempt, outcome.answers, outcome.unanswered),
    saved: false,
  });
}

/** `GET .../refresher/result`: the clauses tested out of and the ones to study. */
async function showDecision(request: CourseRequest, reply: FastifyReply) {
  const found = await request.server.services.quiz.findPretest(learnerInput(request));
  if (!found) return reply.redirect(refresherBase(request.params.courseId), 303);
  const { course, cycle, result } = found;
  if (!result || cycle.refresher?.status !== 'decided') return reply.redirect(pretestUrl(course.id), 303);
  return reply.viewAsync('learn/refresher-result', {
    ...LEARN_ASSETS,
    path: decisionView(course, result, cycle.refresher),
  });
}

const access = { access: 'authenticated' } as const;

/** A refresher cycle's start (issue #23): the check of what the learner still knows, or the full path. */
const refresherRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const course = { params: CourseParams };
  app.get(
    '/learn/:courseId/refresher',
    { config: access, schema: { ...course, querystring: NoQuery } },
    showOffer,
  );
  app.post(
    '/learn/:courseId/refresher/pretest',
    { config: access, schema: { ...course, body: formBody({}) } },
    start,
  );
  app.post(
    '/learn/:courseId/refresher/decline',
    { config: access, schema: { ...course, body: formBody({}) } },
    decline,
  );
  app.get(
    '/learn/:courseId/refresher/pretest',
    { config: access, schema: { ...course, querystring: AttemptQuery } },
    showPretest,
  );
  app.post(
    '/learn/:courseId/refresher/pretest/answers',
    { config: access, schema: { ...course, body: AnswerBody } },
    save,
  );
  app.post(
    '/learn/:courseId/refresher/pretest/submit',
    { config: access, schema: { ...course, body: AnswerBody } },
    submit,
  );
  app.get(
    '/learn/:courseId/refresher/result',
    { config: access, schema: { ...course, querystring: NoQuery } },
    showDecision,
  );
};

export default refresherRoutes;
