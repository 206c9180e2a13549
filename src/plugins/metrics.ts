import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { mongo } from 'mongoose';
import type { Config } from '../config.js';
import type { DatabaseStatus } from '../db/database-server.js';
import { bearerMatches } from '../domain/bearer.js';
import { createMetrics } from '../services/operations/metrics.js';

/** Metrics are collected only where someone can read them: a token or a metrics port is set. */
export function metricsEnabled(config: Pick<Config, 'METRICS_TOKEN' | 'METRICS_PORT'>): boolean {
  return config.METRICS_TOKEN !== undefined || config.METRICS_PORT !== undefined;
}

/** The label for a request no route matched: raw URLs would make one series per scanner probe. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * Builds this app's metrics (`app.metrics`, null when metrics are off), times every answered
 * request by its route pattern and every database command by name (the driver's command
 * monitoring, `monitorCommands` in db/connection.ts). Registered after the services (the outbox
 * backlog is read through them) and before the routes, so its hook covers every route.
 */
export default fp(
  async function metrics(app: FastifyInstance, opts: { databaseStatus: DatabaseStatus }) {
    if (!metricsEnabled(app.config)) {
      app.decorate('metrics', null);
      return;
    }
    const m = createMetrics({
      outboxBacklog: () => app.services.metrics.outboxBacklog({}),
      databaseRestarts: () => opts.databaseStatus.restarts(),
      xapiBacklog: async () => {
        const now = app.clock.now();
        const b = await app.services.xapi.xapiBacklog({ now });
        const waited = b.oldestPendingAt ? (now.getTime() - b.oldestPendingAt.getTime()) / 1000 : 0;
        return {
          pending: b.pending,
          rejected: b.rejected,
          oldestPendingSeconds: Math.max(0, waited),
          sentToday: b.sentToday,
          sentLast7Days: b.sentLast7Days,
        };
      },
    });
    app.decorate('metrics', m);

    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
      m.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    });

    const client = app.db.conn.getClient();
    const succeeded = (e: mongo.CommandSucceededEvent) =>
      m.observeCommand(e.commandName, 'ok', e.duration / 1000);
    const failed = (e: mongo.CommandFailedEvent) =>
      m.observeCommand(e.commandName, 'error', e.duration / 1000);
    client.on('commandSucceeded', succeeded);
    client.on('commandFailed', failed);
    app.addHook('onClose', async () => {
      client.off('commandSucceeded', succeeded);
      client.off('commandFailed', failed);
    });
  },
  { name: 'metrics', dependencies: ['db', 'services'] },
);

/** Where a metrics listener reads the exposition: one app's registry, or the cluster's aggregate. */
export interface MetricsSource {
  metrics(): Promise<string>;
  contentType: string;
}

/**
 * METRICS_PORT: a listener that serves GET /metrics and nothing else (the app's own port then has
 * no /metrics), asking for METRICS_TOKEN too when it is set. Plain node:http: no sessions, pages
 * or hooks to run for a scraper. server.ts starts it and closes it with the app.
 */
export async function startMetricsServer(
  app: FastifyInstance,
  where: { port: number; host: string },
): Promise<Server> {
  const metrics = app.metrics;
  if (!metrics) throw new Error('metrics are off: set METRICS_PORT or METRICS_TOKEN');
  return serveMetrics(metrics.registry, where, {
    token: app.config.METRICS_TOKEN,
    onError: (err) => app.log.error({ err }, 'metrics scrape failed'),
  });
}

/** The METRICS_PORT listener over any source (cluster mode: the primary's aggregate of its workers). */
export async function serveMetrics(
  source: MetricsSource,
  where: { port: number; host: string },
  opts: { token: string | undefined; onError: (err: unknown) => void },
): Promise<Server> {
  const { token } = opts;
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') return void res.writeHead(404).end('Not found\n');
    if (token !== undefined && !bearerMatches(req.headers.authorization, token))
      return void res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"' }).end('Unauthorized\n');
    source.metrics().then(
      (body) => res.writeHead(200, { 'content-type': source.contentType }).end(body),
      (err: unknown) => {
        opts.onError(err);
        res.writeHead(500).end('metrics unavailable\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(where.port, where.host, () => resolve());
  });
  return server;
}
