import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { HR_ROLES } from '../../domain/access.js';
import { Invalid } from '../../domain/errors.js';
import type { Translator } from '../../i18n/translator.js';
import type { PersonAttempts } from '../../services/quiz/index.js';
import { requireUser } from '../guards.js';
import { formatDateTime, formatScore } from './format.js';
import { GrantBody, GrantedQuery, MAX_GRANT, PersonCourseParams } from './schemas.js';

function personView(data: PersonAttempts, i18n: Translator) {
  const { person, course, cycle } = data;
  return {
    person: { id: person._id, name: person.name, email: person.email, department: person.department },
    course: { id: course.id, title: course.title, language: course.language },
    action: `/hr/people/${person._id}/courses/${course.id}/attempts/grant`,
    cycleNo: cycle.n,
    allowed: data.allowed,
    extraAttempts: cycle.extraAttempts ?? 0,
    passedAt: formatDateTime(cycle.passedAt, i18n),
    exhaustedAt: formatDateTime(cycle.exhaustedAt, i18n),
    maxGrant: MAX_GRANT,
    attempts: data.attempts.map(({ attempt, result }) => ({
      n: attempt.n,
      startedAt: formatDateTime(attempt.startedAt, i18n),
      submittedAt: formatDateTime(result?.submittedAt, i18n),
      score: result ? formatScore(result.score) : null,
      passed: result?.passed ?? null,
      timedOut: result?.timedOut ?? false,
    })),
  };
}

type PersonCourse = Static<typeof PersonCourseParams>;
type ListRequest = FastifyRequest<{ Params: PersonCourse; Querystring: Static<typeof GrantedQuery> }>;
type GrantRequest = FastifyRequest<{ Params: PersonCourse; Body: Static<typeof GrantBody> }>;

/** `GET /hr/people/:userId/courses/:courseId/attempts`: the person's attempts in their current cycle. */
async function showAttempts(request: ListRequest, reply: FastifyReply) {
  const data = await request.server.services.quiz.listPersonAttempts(request.params);
  return reply.viewAsync('quiz/hr-attempts', {
    styles: ['/static/css/quiz.css'],
    hr: personView(data, request.i18n!),
    errors: [],
    granted: request.query.granted === '1',
  });
}

/** `POST .../attempts/grant`: grants extra attempts (audited); a blank reason shows the form again. */
async function grant(request: GrantRequest, reply: FastifyReply) {
  const { userId, courseId } = request.params;
  const { quiz } = request.server.services;
  try {
    await quiz.grantAttempts({
      actorId: requireUser(request).id,
      userId,
      courseId,
      count: request.body.count,
      reason: request.body.reason,
      now: request.server.clock.now(),
    });
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    const data = await quiz.listPersonAttempts({ userId, courseId });
    reply.code(400);
    return reply.viewAsync('quiz/hr-attempts', {
      styles: ['/static/css/quiz.css'],
      scripts: ['/static/js/forms.js'],
      hr: personView(data, request.i18n!),
      errors: [{ field: 'grant-reason', message: request.i18n!.t(err.message, err.values) }],
      granted: false,
    });
  }
  return reply.redirect(`/hr/people/${userId}/courses/${courseId}/attempts?granted=1`, 303);
}

/** HR: a person's attempts for a course, and granting extra attempts (audited). */
const hrQuizRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = { access: HR_ROLES };
  app.get(
    '/hr/people/:userId/courses/:courseId/attempts',
    { config, schema: { params: PersonCourseParams, querystring: GrantedQuery } },
    showAttempts,
  );
  app.post(
    '/hr/people/:userId/courses/:courseId/attempts/grant',
    { config, schema: { params: PersonCourseParams, body: GrantBody } },
    grant,
  );
};

export default hrQuizRoutes;
