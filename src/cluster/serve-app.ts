import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { type Config, startupWarnings } from '../config.js';
import type { DatabaseStatus } from '../db/database-server.js';
import { startScheduler } from '../jobs/scheduler.js';
import { LISTEN_BACKLOG } from '../listen.js';
import { demoLoginLines } from '../services/demo/index.js';

/**
 * What one app process does, alone (WORKERS=1) or as a cluster worker, in two steps so the caller
 * can set up its shutdown between them: build the app on the database, then serve.
 */
export async function buildServedApp(
  config: Config,
  database: { uri: string; status: DatabaseStatus },
): Promise<FastifyInstance> {
  const app = await buildApp({ config, mongoUri: database.uri, databaseStatus: database.status });
  for (const warning of startupWarnings(config)) app.log.warn(warning);
  return app;
}

/**
 * Creates the demo organisation if the database is empty, starts the scheduler (job leases make one
 * leader among processes) and listens. In cluster mode the primary forks the first worker alone and
 * waits for it, so only that one can find the database empty and seed it.
 */
export async function startServing(app: FastifyInstance): Promise<void> {
  const { config } = app;
  if (config.DEMO_DATA && config.NODE_ENV !== 'production') {
    const { demo } = app.services;
    if (await demo.seedDemo({ now: app.clock.now() })) {
      await demo.seedDemoTraining({ now: app.clock.now() });
      app.log.info('created the demo organisation');
    }
  }
  // The refresher sweep and the other jobs (stopped by app.close through its onClose hook).
  startScheduler(app);
  // In a cluster worker the primary holds the listening socket (with this backlog) and hands each
  // new connection to the next worker in turn.
  await app.listen({ port: config.PORT, host: config.HOST, backlog: LISTEN_BACKLOG });
}

/** The address and demo sign-ins, printed once the app listens (not in production). */
export function announce(config: Config, log: (line: string) => void): void {
  if (config.NODE_ENV === 'production') return;
  log(`\nPolicy Training is running at ${config.BASE_URL}`);
  for (const line of demoLoginLines()) log(line);
}
