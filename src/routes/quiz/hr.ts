import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HR_ROLES } from '../../domain/access.js';
import {
  grantAttempts,
  listPersonAttempts,
  type PersonAttempts,
  type QuizDeps,
} from '../../services/quiz/index.js';
import { formatDateTime, formatScore } from './format.js';
import { GrantBody, GrantedQuery, MAX_GRANT, PersonCourseParams } from './schemas.js';

function personView(data: PersonAttempts) {
  const { person, course, cycle } = data;
  return {
    person: { id: person._id, name: person.name, email: person.email, department: person.department },
    course: { id: course.id, title: course.title },
    action: `/hr/people/${person._id}/courses/${course.id}/attempts/grant`,
    cycleNo: cycle.n,
    allowed: data.allowed,
    extraAttempts: cycle.extraAttempts ?? 0,
    passedAt: formatDateTime(cycle.passedAt),
    exhaustedAt: formatDateTime(cycle.exhaustedAt),
    maxGrant: MAX_GRANT,
    attempts: data.attempts.map(({ attempt, result }) => ({
      n: attempt.n,
      startedAt: formatDateTime(attempt.startedAt),
      submittedAt: formatDateTime(result?.submittedAt),
      score: result ? formatScore(result.score) : null,
      passed: result?.passed ?? null,
      timedOut: result?.timedOut ?? false,
    })),
  };
}

/** HR: a person's attempts for a course, and granting extra attempts (audited). */
const hrQuizRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = (): QuizDeps => ({ models: app.db.models, audit: app.audit, courses: app.courses });
  const config = { access: HR_ROLES };

  app.get(
    '/hr/people/:userId/courses/:courseId/attempts',
    { config, schema: { params: PersonCourseParams, querystring: GrantedQuery } },
    async (request, reply) => {
      const data = await listPersonAttempts(deps(), request.params.userId, request.params.courseId);
      return reply.viewAsync('quiz/hr-attempts', {
        styles: ['/static/css/quiz.css'],
        hr: personView(data),
        errors: [],
        granted: request.query.granted === '1',
      });
    },
  );

  app.post(
    '/hr/people/:userId/courses/:courseId/attempts/grant',
    { config, schema: { params: PersonCourseParams, body: GrantBody } },
    async (request, reply) => {
      const { userId, courseId } = request.params;
      const reason = request.body.reason.trim();
      if (reason.length === 0) {
        const data = await listPersonAttempts(deps(), userId, courseId);
        reply.code(400);
        return reply.viewAsync('quiz/hr-attempts', {
          styles: ['/static/css/quiz.css'],
          scripts: ['/static/js/forms.js'],
          hr: personView(data),
          errors: [{ field: 'grant-reason', message: 'Give a reason for the extra attempts' }],
          granted: false,
        });
      }
      const actor = request.user?.id ?? null;
      if (!actor) throw new Error('HR route without a user');
      await grantAttempts(
        deps(),
        actor,
        { userId, courseId, count: request.body.count, reason },
        app.clock.now(),
      );
      return reply.redirect(`/hr/people/${userId}/courses/${courseId}/attempts?granted=1`, 303);
    },
  );
};

export default hrQuizRoutes;
