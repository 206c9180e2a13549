import type { Server } from 'node:http';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, startupWarnings } from './config.js';
import { ContentError } from './content/index.js';
import { openDatabaseServer } from './db/database-server.js';
import { MissingGoError } from './db/ferretdb/build.js';
import { startScheduler } from './jobs/scheduler.js';
import { LISTEN_BACKLOG } from './listen.js';
import { startMetricsServer } from './plugins/metrics.js';
import { demoLoginLines } from './services/demo/index.js';

/** The only file that listens: config, database, app, signals, graceful close. */
async function main(): Promise<void> {
  const config = await loadConfig();
  const log = (line: string) => console.log(line);
  const database = await openDatabaseServer(config, log);
  const app = await buildApp({ config, mongoUri: database.uri, databaseStatus: database.status });
  for (const warning of startupWarnings(config)) app.log.warn(warning);

  // Stop within 10 s on SIGTERM/SIGINT: server, database connection, then the FerretDB child.
  let metricsServer: Server | undefined;
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    metricsServer?.close();
    await app.close().catch((e: unknown) => app.log.error({ err: e }, 'app close failed'));
    await database.stop();
  });

  if (config.DEMO_DATA && config.NODE_ENV !== 'production') {
    const { demo } = app.services;
    if (await demo.seedDemo({ now: app.clock.now() })) {
      await demo.seedDemoTraining({ now: app.clock.now() });
      app.log.info('created the demo organisation');
    }
  }
  // The refresher sweep (stopped by app.close through its onClose hook).
  startScheduler(app);
  await app.listen({ port: config.PORT, host: config.HOST, backlog: LISTEN_BACKLOG });
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
  const known = err instanceof ConfigError || err instanceof MissingGoError || err instanceof ContentError;
  console.error(known ? (err as Error).message : err);
  process.exit(1);
});
