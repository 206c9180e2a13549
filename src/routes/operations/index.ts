import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bearerMatches } from '../../domain/bearer.js';

/**
 * GET /metrics for Prometheus on the app's port, behind METRICS_TOKEN (a bearer token). Without a
 * token, or when METRICS_PORT serves the metrics instead, the route is not registered at all: a
 * 404 like any unknown address. Public as far as sessions go: a scraper has no account, the token
 * is the check.
 */
const operationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { METRICS_TOKEN: token, METRICS_PORT } = app.config;
  const metrics = app.metrics;
  if (!metrics || token === undefined || METRICS_PORT !== undefined) return;

  app.get('/metrics', { config: { access: 'public' } }, async (request, reply) => {
    if (!bearerMatches(request.headers.authorization, token)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      return reply
        .code(401)
        .type('text/plain; charset=utf-8')
        .send('Unauthorized: a bearer token is required');
    }
    const body = await metrics.exposition();
    return reply.type(metrics.registry.contentType).send(body);
  });
};

export default operationsRoutes;
