import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { config: { access: 'public' } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { access: 'public' } }, async (_request, reply) => {
    const ok = await app.db.ping();
    reply.code(ok ? 200 : 503);
    return { status: ok ? 'ready' : 'database unavailable' };
  });
};

export default healthRoutes;
