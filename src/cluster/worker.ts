import cluster from 'node:cluster';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { DatabaseStatus } from '../db/database-server.js';
import { updateMembership } from './membership.js';
import { isToWorker, type ToPrimary } from './messages.js';
import { metricsAsker } from './metrics-asker.js';
import { announce, buildServedApp, startServing } from './serve-app.js';
import { DRAIN_MS, shutdownGracefully } from './shutdown.js';
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
  let building: Promise<FastifyInstance> | undefined;
  let serving: Promise<void> | undefined;
  let closing: Promise<void> | undefined;
  const asker = metricsAsker(tell);

  const report = (state: WorkerState) => {
    updateMembership({ worker, state });
    tell({ lms: 'state', state });
  };
  /** Once, whatever asked first (the primary, a signal, a crash): exit follows in shutdown.ts. */
  const closeApp = (why: string): Promise<void> => {
    closing ??= (async () => {
      report('draining');
      // Told to stop while building the app (migrations), seeding or starting the scheduler: let
      // that finish (the primary's drain bound still applies), then close what it made.
      await building?.then(
        (built) => {
          app = built;
        },
        () => {},
      );
      await serving?.catch(() => {});
      app?.log.info({ worker: worker.id, why }, 'draining');
      // app.close stops accepting, lets requests in flight finish, then closes the scheduler (its
      // leases released) and the database connection.
      await app?.close().catch((err: unknown) => app?.log.error({ err }, 'app close failed'));
    })();
    return closing;
  };
  // An uncaught exception or unhandled rejection: logged once, drained as above, exit 1 (the
  // primary replaces the worker). Bounded a little under the primary's own drain bound.
  const graceful = shutdownGracefully({
    boundMs: DRAIN_MS - 1_000,
    signals: false,
    log: (line) => (app ? app.log.error(line) : console.error(`[cluster] worker ${worker.id}: ${line}`)),
    logCrash: (err) =>
      app
        ? app.log.error({ err, worker: worker.id }, 'worker crashed: draining, then exiting')
        : console.error(`[cluster] worker ${worker.id} crashed while starting: ${(err as Error).message}`),
    // A signal of its own (SIGHUP: the terminal closed) drains as a stop, not as a crash.
    close: ({ signal, err }) => closeApp(signal ?? (err === undefined ? 'exiting' : 'crashed')),
  });
  const drain = (why: string) => {
    if (closing) return;
    void closeApp(why);
    graceful.close(); // exits 0 once closeApp is done
  };

  // The terminal's Ctrl-C reaches the whole process group: drain as the primary will ask anyway.
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
  building = buildServedApp(config, { uri: databaseUri, status });
  app = await building;
  // GET /metrics (METRICS_TOKEN) answers for the whole cluster, like the primary's METRICS_PORT.
  if (app.metrics) app.metrics.exposition = asker.ask;
  if (closing) return; // told to stop while building: closeApp closes this app
  serving = startServing(app);
  await serving.catch((err: unknown) => {
    if (!closing) throw err; // otherwise closeApp is closing
  });
  if (closing) return;
  report('ready');
  // The first worker is the one that opens the service (a replacement has a new id).
  if (worker.id === 1) announce(config, (line) => console.log(line));
}
