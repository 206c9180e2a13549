import cluster from 'node:cluster';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { DatabaseStatus } from '../db/database-server.js';
import { updateMembership } from './membership.js';
import { isToWorker, type ToPrimary } from './messages.js';
import { metricsAsker } from './metrics-asker.js';
import { announce, buildServedApp, startServing } from './serve-app.js';
import type { WorkerState } from './worker-table.js';

function tell(message: ToPrimary): void {
  if (process.connected) process.send?.(message);
}

/**
 * A cluster worker: the app on the database the primary runs, listening on the shared port. It
 * reports its state to the primary, learns the worker table and the embedded database's supervision
 * from it, answers its metrics requests, and drains when told to (or on its own SIGTERM/SIGINT: the
 * terminal's Ctrl-C reaches the whole process group, and that must drain too, not kill).
 */
export async function runWorker(config: Config, databaseUri: string): Promise<void> {
  const worker = { id: cluster.worker?.id ?? 0, pid: process.pid };
  const database = { restarting: false, restarts: 0 };
  const status: DatabaseStatus = { restarting: () => database.restarting, restarts: () => database.restarts };
  let app: FastifyInstance | undefined;
  let draining: Promise<void> | undefined;
  let serving: Promise<void> | undefined;
  const asker = metricsAsker(tell);

  const report = (state: WorkerState) => {
    updateMembership({ worker, state });
    tell({ lms: 'state', state });
  };
  const drain = (why: string) => {
    draining ??= closeAndExit(why);
  };
  async function closeAndExit(why: string): Promise<void> {
    report('draining');
    // Told to stop while seeding or starting the scheduler: let that finish (the primary's drain
    // bound still applies) rather than close the database under it.
    await serving?.catch(() => {});
    app?.log.info({ worker: worker.id, why }, 'draining');
    // app.close stops accepting, lets requests in flight finish, then closes the scheduler (its
    // leases released) and the database connection.
    await app?.close().catch((err: unknown) => app?.log.error({ err }, 'app close failed'));
    process.exit(0);
  }

  process.on('SIGTERM', () => drain('SIGTERM'));
  process.on('SIGINT', () => drain('SIGINT'));
  process.on('message', (message: unknown) => {
    if (!isToWorker(message)) return;
    if (message.lms === 'drain') drain('told by the primary');
    else if (message.lms === 'cluster') {
      Object.assign(database, message.database);
      updateMembership({ worker, workers: message.workers });
    } else if (message.lms === 'cluster-metrics') asker.answered(message.ask, message.text);
    else if (message.lms === 'metrics?') {
      const registry = app?.metrics?.registry;
      (registry ? registry.getMetricsAsJSON() : Promise.resolve(null)).then(
        (metrics) => tell({ lms: 'metrics', ask: message.ask, metrics }),
        () => tell({ lms: 'metrics', ask: message.ask, metrics: null }),
      );
    }
  });

  report('starting');
  app = await buildServedApp(config, { uri: databaseUri, status });
  // GET /metrics (METRICS_TOKEN) answers for the whole cluster, like the primary's METRICS_PORT.
  if (app.metrics) app.metrics.exposition = asker.ask;
  if (draining) return; // told to stop while building: closeAndExit has the app now
  serving = startServing(app);
  await serving.catch((err: unknown) => {
    if (!draining) throw err; // otherwise closeAndExit is closing
  });
  if (draining) return;
  report('ready');
  // The first worker is the one that opens the service (a replacement has a new id).
  if (worker.id === 1) announce(config, (line) => console.log(line));
}
