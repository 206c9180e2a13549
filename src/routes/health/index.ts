import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { config: { access: 'public' } }, async () => ({ status: 'ok' }));

  /**
   * Ready when the database answers. When not, the reason says which case it is, so an operator
   * (or a load balancer's log) can tell a database the app is restarting itself from one it cannot
   * reach at all: "embedded database restarting" or "database unreachable".
   */
  app.get('/readyz', { config: { access: 'public' } }, async (_request, reply) => {
    const reason = app.databaseStatus.restarting()
      ? 'embedded database restarting'
      : (await app.db.ping())
        ? null
        : 'database unreachable';
    if (reason === null) return { status: 'ready' };
    reply.code(503);
    return { status: 'not ready', reason };
  });
};

export default healthRoutes;
