import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HR_ROLES } from '../../../domain/access.js';

/** The mail that failed to send (HR home's figure links here), with the transport's reason. */
const failedMailRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/hr/outbox/failed', { config: { access: HR_ROLES } }, async (_request, reply) => {
    const { failures, days } = await app.services.reporting.listMailFailures({ now: app.clock.now() });
    return reply.viewAsync('hr/outbox/failed', { failures, days, smtp: !!app.config.SMTP_URL });
  });
};

export default failedMailRoutes;
