import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireUser } from '../guards.js';
import { completedOn, formatDate, LEARN_ASSETS, stateBadge } from './format.js';
import { NoQuery } from './schemas.js';

/** The card's main button: review a completed course from its overview, else carry on where they stopped. */
function nextStep(overview: string, resume: string, started: boolean, completed: boolean) {
  if (completed) return { labelKey: 'learn.myTraining.review', href: overview };
  return started
    ? { labelKey: 'learn.myTraining.continue', href: resume }
    : { labelKey: 'learn.myTraining.start', href: overview };
}

/** `GET /` "My training": every course, with the learner's status, due date and progress. */
const myTrainingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    { config: { access: 'authenticated', courseLanguage: true }, schema: { querystring: NoQuery } },
    async (request, reply) => {
      const learner = requireUser(request);
      const summaries = await app.services.learning.myTraining({ userId: learner.id });
      const items = summaries.map(({ course, assignment, cycle, viewedCount, resume }) => {
        const completed = completedOn(assignment, request.i18n!);
        // A new policy version to re-attest after a completion: the course page shows what changed.
        const reattest = cycle?.requirement === 'attest-only' && !cycle.attestedAt && cycle.n > 1;
        return {
          id: course.id,
          title: course.title,
          summary: course.summary,
          minutes: course.estimatedMinutes,
          language: course.language,
          href: `/learn/${course.id}`,
          action: reattest
            ? { labelKey: 'learn.myTraining.reattestAction', href: `/learn/${course.id}` }
            : nextStep(`/learn/${course.id}`, resume, viewedCount > 0, completed !== null),
          reattest,
          assigned: assignment !== null && assignment.source !== 'self',
          badge: stateBadge(assignment?.state ?? null, viewedCount > 0, request.i18n!),
          due: formatDate(assignment?.dueAt, request.i18n!),
          completedOn: completed,
          expires: formatDate(assignment?.expiresAt, request.i18n!),
          viewed: viewedCount,
          total: course.lessons.length,
          certificateUrl: cycle?.certificateCode
            ? `/certificates/${encodeURIComponent(cycle.certificateCode)}.pdf`
            : null,
        };
      });
      return reply.viewAsync('learn/my-training', { ...LEARN_ASSETS, items });
    },
  );
};

export default myTrainingRoutes;
