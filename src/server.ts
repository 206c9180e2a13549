import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { availableParallelism } from 'node:os';
import closeWithGrace from 'close-with-grace';
import { CLUSTER_DATABASE_URI } from './cluster/messages.js';
import { ClusterError, runPrimary } from './cluster/primary.js';
import { buildServedApp, startServing } from './cluster/serve-app.js';
import { runWorker } from './cluster/worker.js';
import { workerCount } from './cluster/worker-count.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { ContentError } from './content/index.js';
import { openDatabaseServer } from './db/database-server.js';
import { MissingGoError } from './db/ferretdb/build.js';
import { startMetricsServer } from './plugins/metrics.js';
import { demoLoginLines } from './services/demo/index.js';

const log = (line: string) => console.log(line);

/**
 * The entry: config, then one of three roles. WORKERS=1: one process with the database, the app,
 * signals and graceful close (below). WORKERS>1: this process is the cluster's primary
 * (cluster/primary.ts) and forks the workers, which run this file again as cluster/worker.ts.
 */
async function main(): Promise<void> {
  const config = await loadConfig();
  const workerUri = process.env[CLUSTER_DATABASE_URI];
  if (cluster.isWorker && workerUri) return runWorker(config, workerUri);
  const workers = workerCount(config.WORKERS, {
    cores: availableParallelism(),
    embeddedDatabase: !config.MONGODB_URI,
  });
  if (workers > 1) return runPrimary(config, workers, log);
  return runSingleProcess(config);
}

/** WORKERS=1: database, app, signals, graceful close, all in this process. */
async function runSingleProcess(config: Config): Promise<void> {
  const database = await openDatabaseServer(config, log);
  const app = await buildServedApp(config, { uri: database.uri, status: database.status });

  // Stop within 10 s on SIGTERM/SIGINT: server, database connection, then the FerretDB child.
  let metricsServer: Server | undefined;
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    metricsServer?.close();
    await app.close().catch((e: unknown) => app.log.error({ err: e }, 'app close failed'));
    await database.stop();
  });

  await startServing(app);
  if (config.METRICS_PORT !== undefined) {
    const where = { port: config.METRICS_PORT, host: config.METRICS_HOST ?? config.HOST };
    metricsServer = await startMetricsServer(app, where);
    app.log.info(where, 'metrics listening (GET /metrics only)');
  }
  if (config.NODE_ENV !== 'production') {
    log(`\nPolicy Training is running at ${config.BASE_URL}`);
    for (const line of demoLoginLines()) log(line);
  }
}

main().catch((err: unknown) => {
  // Known refusals (bad settings, no Go, course content that fails its checks) are messages for the
  // operator, not stack traces.
  const known =
    err instanceof ConfigError ||
    err instanceof ClusterError ||
    err instanceof MissingGoError ||
    err instanceof ContentError;
  console.error(known ? (err as Error).message : err);
  process.exit(1);
});
