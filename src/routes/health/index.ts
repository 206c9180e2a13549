import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { membership } from '../../cluster/membership.js';

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { config: { access: 'public' } }, async () => ({ status: 'ok' }));

  /**
   * Ready when the database answers. When not, the reason says which case it is, so an operator
   * (or a load balancer's log) can tell a database the app is restarting itself from one it cannot
   * reach at all: "embedded database restarting" or "database unreachable". In cluster mode
   * (WORKERS > 1) it answers for the worker that served it, which must be ready too ("worker
   * starting", "worker draining"), and shows that worker and the primary's table of them all.
   */
  app.get('/readyz', { config: { access: 'public' } }, async (_request, reply) => {
    const cluster = membership();
    const reason =
      cluster && cluster.state !== 'ready'
        ? `worker ${cluster.state}`
        : app.databaseStatus.restarting()
          ? 'embedded database restarting'
          : (await app.db.ping())
            ? null
            : 'database unreachable';
    const workers = cluster ? { worker: cluster.worker, workers: cluster.workers } : {};
    if (reason === null) return { status: 'ready', ...workers };
    reply.code(503);
    return { status: 'not ready', reason, ...workers };
  });
};

export default healthRoutes;
