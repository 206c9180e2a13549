import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { testConfig, uniqueDbName } from '../../helpers/app.js';
import { TestClock } from '../../helpers/clock.js';

export interface E2EServer {
  app: FastifyInstance;
  baseUrl: string;
  /** The app's clock: tests move it (e.g. past a quiz cooldown) instead of waiting. */
  clock: TestClock;
  close(): Promise<void>;
}

/** The real app with demo data on the run's FerretDB, listening on a free loopback port. */
export async function startE2EServer(label: string, start = '2026-03-02T09:00:00Z'): Promise<E2EServer> {
  const clock = new TestClock(start);
  const config = testConfig({ DB_NAME: uniqueDbName(`e2e_${label}`) });
  const app = await buildApp({ config, mongoUri: inject('mongoUri'), clock, logger: false });
  await app.services.demo.seedDemo({ now: clock.now() });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    clock,
    async close() {
      await app.db.conn.dropDatabase().catch(() => {});
      await app.close();
    },
  };
}
