import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { inject } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { freePort } from '../../../src/db/ferretdb/launcher.js';
import { testConfig, uniqueDbName } from '../../helpers/app.js';
import { launchChromium } from '../../helpers/browser.js';
import { TestClock } from '../../helpers/clock.js';

/**
 * Where the app will answer: on "localhost", while the test identity providers answer on 127.0.0.1,
 * so the two are different sites (cross-site POSTs, cookies that never mix).
 */
export async function localhostBase(): Promise<{ port: number; base: string }> {
  const port = await freePort();
  return { port, base: `http://localhost:${port}` };
}

export interface SsoBrowserApp {
  app: FastifyInstance;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * The real app with demo data, its clock at the real time (providers stamp tokens with it), set up by
 * `connect` (e.g. the admin saving a connection) before it listens on `port`; then Chromium.
 */
export async function startSsoBrowserApp(o: {
  port: number;
  base: string;
  dbLabel: string;
  encryptionKey: string;
  connect?: (app: FastifyInstance, adminId: string, now: Date) => Promise<unknown>;
}): Promise<SsoBrowserApp> {
  const clock = new TestClock(new Date());
  const app = await buildApp({
    config: testConfig({
      DB_NAME: uniqueDbName(o.dbLabel),
      BASE_URL: o.base,
      SSO_ENCRYPTION_KEY: o.encryptionKey,
    }),
    mongoUri: inject('mongoUri'),
    clock,
    logger: false,
  });
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await app.db.conn.dropDatabase().catch(() => {});
    await app.close();
  };
  try {
    await app.services.demo.seedDemo({ now: clock.now() });
    if (o.connect) {
      const admin = await app.db.models.User.findOne({ email: 'admin@demo.test' }).lean();
      await o.connect(app, admin!._id, clock.now());
    }
    await app.listen({ port: o.port, host: '127.0.0.1' });
    browser = await launchChromium();
  } catch (err) {
    await close();
    throw err;
  }
  return { app, browser, close };
}
