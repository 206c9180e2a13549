import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { availableParallelism } from 'node:os';
import { CLUSTER_DATABASE_URI } from './cluster/messages.js';
import { workerCount } from './cluster/worker-count.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { MissingGoError } from './db/ferretdb/build.js';

const log = (line: string) => console.log(line);

/**
 * The entry: config, then one of three roles. WORKERS=1: one process with the database, the app,
 * signals and graceful close (below). WORKERS>1: this process is the cluster's primary
 * (cluster/primary.ts) and forks the workers, which run this file again as cluster/worker.ts.
 * Each role imports only its own code: the primary never loads the app (memory, start time).
 */
async function main(): Promise<void> {
  const config = await loadConfig();
  const workerUri = process.env[CLUSTER_DATABASE_URI];
  if (cluster.isWorker && workerUri)
    return (await import('./cluster/worker.js')).runWorker(config, workerUri);
  const workers = workerCount(config.WORKERS, {
    cores: availableParallelism(),
    embeddedDatabase: !config.MONGODB_URI,
  });
  if (workers > 1) return (await import('./cluster/primary.js')).runPrimary(config, workers, log);
  return runSingleProcess(config);
}

/** WORKERS=1: database, app, signals, graceful close, all in this process. */
async function runSingleProcess(config: Config): Promise<void> {
  const { shutdownGracefully } = await import('./cluster/shutdown.js');
  const { openDatabaseServer } = await import('./db/database-server.js');
  const { announce, buildServedApp, startServing } = await import('./cluster/serve-app.js');
  const { startMetricsServer } = await import('./plugins/metrics.js');
  const database = await openDatabaseServer(config, log);
  const app = await buildServedApp(config, { uri: database.uri, status: database.status });

  // SIGTERM/SIGINT (one Ctrl-C under npm start arrives twice: still one drain) or a crash: stop
  // accepting, finish the requests in flight, close the app (scheduler, leases, database
  // connection), then the FerretDB child; exit 1 after a crash or past 10 s.
  let metricsServer: Server | undefined;
  let closing: Promise<void> | undefined;
  shutdownGracefully({
    boundMs: 10_000,
    signals: true,
    log: (line) => app.log.error(line),
    logCrash: (err) => app.log.error({ err }, 'shutting down after an error'),
    close: ({ signal }) => {
      if (signal) app.log.info({ signal }, 'shutting down');
      closing ??= (async () => {
        metricsServer?.close();
        await app.close().catch((e: unknown) => app.log.error({ err: e }, 'app close failed'));
        await database.stop();
      })();
      return closing;
    },
  });

  await startServing(app);
  if (config.METRICS_PORT !== undefined) {
    const where = { port: config.METRICS_PORT, host: config.METRICS_HOST ?? config.HOST };
    metricsServer = await startMetricsServer(app, where);
    app.log.info(where, 'metrics listening (GET /metrics only)');
  }
  announce(config, log);
}

main().catch(async (err: unknown) => {
  // Known refusals (bad settings, no Go, course content that fails its checks, a cluster whose first
  // worker cannot start) are messages for the operator, not stack traces.
  const { ContentError } = await import('./content/index.js');
  const { ClusterError } = await import('./cluster/errors.js');
  const known =
    err instanceof ConfigError ||
    err instanceof MissingGoError ||
    err instanceof ContentError ||
    err instanceof ClusterError;
  console.error(known ? (err as Error).message : err);
  process.exit(1);
});
