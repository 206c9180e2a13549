import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { AnswerForm } from '../../domain/quiz/index.js';
import { questionMap } from '../../services/quiz/index.js';
import { formBody } from '../form-schema.js';
import { requireUser } from '../guards.js';
import { QUIZ_ASSETS } from './format.js';
import { AnswerBody, AttemptParams, AttemptQuery, CourseParams } from './schemas.js';
import { attemptView, introView, quizBase, resultView } from './view-models.js';

type CourseRequest = FastifyRequest<{ Params: Static<typeof CourseParams> }>;
type AttemptRequest = FastifyRequest<{ Params: Static<typeof AttemptParams> }>;
type AttemptPageRequest = FastifyRequest<{
  Params: Static<typeof AttemptParams>;
  Querystring: Static<typeof AttemptQuery>;
}>;
type AnswerRequest = FastifyRequest<{
  Params: Static<typeof AttemptParams>;
  Body: Static<typeof AnswerBody>;
}>;

const attemptUrl = (courseId: string, n: number) => `${quizBase(courseId)}/attempts/${n}`;
const resultUrl = (courseId: string, n: number) => `${attemptUrl(courseId, n)}/result`;

/** The attempt named by the URL, for the signed-in learner, as of now. */
function attemptRef(request: AttemptRequest) {
  const { courseId, n } = request.params;
  return { learner: requireUser(request), courseId, n, now: request.server.clock.now() };
}

/** `GET /learn/:courseId/quiz`: the rules, where the learner stands, past attempts. */
async function showIntro(request: CourseRequest, reply: FastifyReply) {
  const now = request.server.clock.now();
  const quiz = await request.server.services.quiz.loadQuizContext({
    learner: requireUser(request),
    courseId: request.params.courseId,
    now,
  });
  return reply.viewAsync('quiz/intro', { ...QUIZ_ASSETS, quiz: introView(quiz, now, request.i18n!) });
}

/** `POST /learn/:courseId/quiz/attempts`: starts the next attempt (or finds the open one) and goes to it. */
async function start(request: CourseRequest, reply: FastifyReply) {
  const { courseId } = request.params;
  const n = await request.server.services.quiz.startAttempt({
    learner: requireUser(request),
    courseId,
    now: request.server.clock.now(),
  });
  return reply.redirect(attemptUrl(courseId, n), 303);
}

/** `GET .../attempts/:n`: the questions with the saved answers; a graded attempt shows its result instead. */
async function showAttempt(request: AttemptPageRequest, reply: FastifyReply) {
  const { courseId, n } = request.params;
  const { quiz, attempt, result } = await request.server.services.quiz.findLearnerAttempt(
    attemptRef(request),
  );
  // A graded attempt never reopens (back button, old tab): it shows its result instead.
  if (result) return reply.redirect(resultUrl(courseId, n), 303);
  reply.header('cache-control', 'no-store');
  const view = attemptView(
    quiz.course,
    questionMap(quiz.course),
    attempt,
    quiz.status,
    attempt.answers,
    request.i18n!,
  );
  return reply.viewAsync('quiz/attempt', { ...QUIZ_ASSETS, quiz: view, saved: request.query.saved === '1' });
}

/** `POST .../attempts/:n/answers`: saves the answers and comes back (or shows the result if time ran out). */
async function save(request: AnswerRequest, reply: FastifyReply) {
  const { courseId, n } = request.params;
  const outcome = await request.server.services.quiz.saveAnswers({
    ...attemptRef(request),
    form: request.body as AnswerForm,
  });
  if (outcome.kind === 'timed-out') return reply.redirect(resultUrl(courseId, n), 303);
  return reply.redirect(`${attemptUrl(courseId, n)}?saved=1`, 303);
}

/** `POST .../attempts/:n/submit`: grades it, or shows the page again with the gaps (nothing written). */
async function submit(request: AnswerRequest, reply: FastifyReply) {
  const { courseId, n } = request.params;
  const outcome = await request.server.services.quiz.submitAttempt({
    ...attemptRef(request),
    form: request.body as AnswerForm,
  });
  if (outcome.kind === 'graded') return reply.redirect(resultUrl(courseId, n), 303);
  const { quiz, attempt } = outcome.attempt;
  const view = attemptView(
    quiz.course,
    questionMap(quiz.course),
    attempt,
    quiz.status,
    outcome.answers,
    request.i18n!,
    outcome.unanswered,
  );
  reply.code(400).header('cache-control', 'no-store');
  return reply.viewAsync('quiz/attempt', { ...QUIZ_ASSETS, quiz: view, saved: false });
}

/** `GET .../attempts/:n/result`: the score and as much review as the course allows. */
async function showResult(request: AttemptRequest, reply: FastifyReply) {
  const { courseId, n } = request.params;
  const { quiz, attempt, result } = await request.server.services.quiz.findLearnerAttempt(
    attemptRef(request),
  );
  if (!result) return reply.redirect(attemptUrl(courseId, n), 303);
  return reply.viewAsync('quiz/result', {
    ...QUIZ_ASSETS,
    quiz: resultView(quiz, questionMap(quiz.course), attempt, result, request.i18n!),
  });
}

const access = { access: 'authenticated' } as const;

/** The learner's quiz: intro, start, answer (save / submit) and result. Handlers stay thin; services decide. */
const learnerQuizRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/learn/:courseId/quiz', { config: access, schema: { params: CourseParams } }, showIntro);
  app.post(
    '/learn/:courseId/quiz/attempts',
    { config: access, schema: { params: CourseParams, body: formBody({}) } },
    start,
  );
  app.get(
    '/learn/:courseId/quiz/attempts/:n',
    { config: access, schema: { params: AttemptParams, querystring: AttemptQuery } },
    showAttempt,
  );
  app.post(
    '/learn/:courseId/quiz/attempts/:n/answers',
    { config: access, schema: { params: AttemptParams, body: AnswerBody } },
    save,
  );
  app.post(
    '/learn/:courseId/quiz/attempts/:n/submit',
    { config: access, schema: { params: AttemptParams, body: AnswerBody } },
    submit,
  );
  app.get(
    '/learn/:courseId/quiz/attempts/:n/result',
    { config: access, schema: { params: AttemptParams } },
    showResult,
  );
};

export default learnerQuizRoutes;
