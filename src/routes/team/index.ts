import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { STATE_LABELS } from '../../domain/reporting.js';
import { teamStatus } from '../../services/reporting/team.js';

/**
 * "My team": a manager's direct reports and their training status, read-only. Any signed-in
 * person may ask; only people with direct reports see anything, and only their own reports.
 */
const teamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/team', { config: { access: 'authenticated' } }, async (request, reply) => {
    const me = request.user!;
    const { members, truncated } = await teamStatus(app.db.models, app.courses, me.id);
    if (members.length === 0) {
      reply.code(403);
      return reply.viewAsync('team/no-team', {});
    }
    return reply.viewAsync('team/index', {
      members,
      truncated,
      courses: [...app.courses.values()].map((c) => ({ id: c.id, title: c.title })),
      stateLabels: STATE_LABELS,
    });
  });
};

export default teamRoutes;
