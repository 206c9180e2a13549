import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ADMIN_ROLES, HR_ROLES } from '../../domain/access.js';
import { NO_DEPARTMENT } from '../../domain/people/list-filters.js';

/** Role home pages. The learner's "My training" lives in routes/learn. */
const homeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/hr', { config: { access: HR_ROLES } }, async (_request, reply) =>
    reply.viewAsync('hr/home', {
      noDepartment: NO_DEPARTMENT,
      courses: [...app.courses.values()].map((c) => ({ id: c.id, title: c.title })),
      needs: await app.services.reporting.needsMe({
        now: app.clock.now(),
        onBackgroundError: (err: unknown) => app.log.error({ err }, 'HR home figures not counted'),
      }),
    }),
  );
  app.get('/admin', { config: { access: ADMIN_ROLES } }, async (_request, reply) =>
    reply.viewAsync('admin/home', {}),
  );
};

export default homeRoutes;
