import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AnswerForm } from '../../domain/quiz/index.js';
import type { SessionUser } from '../../domain/roles.js';
import { HttpError } from '../../plugins/auth.js';
import {
  findLearnerAttempt,
  loadQuizContext,
  type QuizDeps,
  questionMap,
  saveAnswers,
  startAttempt,
  submitAttempt,
} from '../../services/quiz/index.js';
import { formBody } from '../form-schema.js';
import { QUIZ_ASSETS } from './format.js';
import { AnswerBody, AttemptParams, AttemptQuery, CourseParams } from './schemas.js';
import { attemptView, introView, quizBase, resultView } from './view-models.js';

function learnerOf(request: FastifyRequest): SessionUser {
  if (!request.user) throw new HttpError(401, 'Please sign in again.');
  return request.user;
}

const access = { access: 'authenticated' } as const;

/** The learner's quiz: intro, start, answer (save / submit) and result. Handlers stay thin; services decide. */
const learnerQuizRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = (): QuizDeps => ({ models: app.db.models, audit: app.audit, courses: app.courses });
  const attemptUrl = (courseId: string, n: number) => `${quizBase(courseId)}/attempts/${n}`;

  app.get(
    '/learn/:courseId/quiz',
    { config: access, schema: { params: CourseParams } },
    async (request, reply) => {
      const now = app.clock.now();
      const ctx = await loadQuizContext(deps(), learnerOf(request), request.params.courseId, now);
      return reply.viewAsync('quiz/intro', { ...QUIZ_ASSETS, quiz: introView(ctx, now) });
    },
  );

  app.post(
    '/learn/:courseId/quiz/attempts',
    { config: access, schema: { params: CourseParams, body: formBody({}) } },
    async (request, reply) => {
      const n = await startAttempt(deps(), learnerOf(request), request.params.courseId, app.clock.now());
      return reply.redirect(attemptUrl(request.params.courseId, n), 303);
    },
  );

  app.get(
    '/learn/:courseId/quiz/attempts/:n',
    { config: access, schema: { params: AttemptParams, querystring: AttemptQuery } },
    async (request, reply) => {
      const { courseId, n } = request.params;
      const { ctx, attempt, result } = await findLearnerAttempt(
        deps(),
        learnerOf(request),
        courseId,
        n,
        app.clock.now(),
      );
      // A graded attempt never reopens (back button, old tab): it shows its result instead.
      if (result) return reply.redirect(`${attemptUrl(courseId, n)}/result`, 303);
      reply.header('cache-control', 'no-store');
      const view = attemptView(ctx.course, questionMap(ctx.course), attempt, ctx.status, attempt.answers);
      return reply.viewAsync('quiz/attempt', {
        ...QUIZ_ASSETS,
        quiz: view,
        saved: request.query.saved === '1',
      });
    },
  );

  app.post(
    '/learn/:courseId/quiz/attempts/:n/answers',
    { config: access, schema: { params: AttemptParams, body: AnswerBody } },
    async (request, reply) => {
      const { courseId, n } = request.params;
      const form = request.body as AnswerForm;
      const outcome = await saveAnswers(deps(), learnerOf(request), courseId, n, form, app.clock.now());
      if (outcome.kind === 'timed-out') return reply.redirect(`${attemptUrl(courseId, n)}/result`, 303);
      return reply.redirect(`${attemptUrl(courseId, n)}?saved=1`, 303);
    },
  );

  app.post(
    '/learn/:courseId/quiz/attempts/:n/submit',
    { config: access, schema: { params: AttemptParams, body: AnswerBody } },
    async (request, reply) => {
      const { courseId, n } = request.params;
      const learner = learnerOf(request);
      const outcome = await submitAttempt(
        deps(),
        learner,
        courseId,
        n,
        request.body as AnswerForm,
        app.clock.now(),
      );
      if (outcome.kind === 'graded') return reply.redirect(`${attemptUrl(courseId, n)}/result`, 303);
      // Nothing was written: show the page again with what was ticked and the list of gaps.
      const { ctx, attempt } = await findLearnerAttempt(deps(), learner, courseId, n, app.clock.now());
      const view = attemptView(
        ctx.course,
        questionMap(ctx.course),
        attempt,
        ctx.status,
        outcome.answers,
        outcome.unanswered,
      );
      reply.code(400).header('cache-control', 'no-store');
      return reply.viewAsync('quiz/attempt', { ...QUIZ_ASSETS, quiz: view, saved: false });
    },
  );

  app.get(
    '/learn/:courseId/quiz/attempts/:n/result',
    { config: access, schema: { params: AttemptParams } },
    async (request, reply) => {
      const { courseId, n } = request.params;
      const { ctx, attempt, result } = await findLearnerAttempt(
        deps(),
        learnerOf(request),
        courseId,
        n,
        app.clock.now(),
      );
      if (!result) return reply.redirect(attemptUrl(courseId, n), 303);
      return reply.viewAsync('quiz/result', {
        ...QUIZ_ASSETS,
        quiz: resultView(ctx, questionMap(ctx.course), attempt, result),
      });
    },
  );
};

export default learnerQuizRoutes;
