import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireUser } from '../guards.js';

/**
 * "My team": a manager's direct reports and their training status, read-only. Any signed-in
 * person may ask; only people with direct reports see anything, and only their own reports.
 */
const teamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/team', { config: { access: 'authenticated', courseLanguage: true } }, async (request, reply) => {
    const { members, truncated } = await app.services.reporting.teamStatus({
      managerId: requireUser(request).id,
    });
    if (members.length === 0) {
      reply.code(403);
      return reply.viewAsync('team/no-team', {});
    }
    return reply.viewAsync('team/index', {
      members,
      truncated,
      // Each course through `get`: the page language's title (the Map's own values() are the source).
      courses: [...app.courses.keys()].map((id) => ({ id, title: app.courses.get(id)!.title })),
    });
  });
};

export default teamRoutes;
