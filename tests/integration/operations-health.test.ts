import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseServer, openDatabaseServer } from '../../src/db/database-server.js';
import { createTestApp, type TestApp, testConfig } from '../helpers/app.js';
import { ferretPidOnPort } from '../helpers/ferret-control.js';
import { waitFor } from './reliability/support.js';

const TOKEN = 'metrics-token-for-the-health-test-0123';
/** A request id as the app makes them: readable over the phone (Crockford base32, no I/L/O/U). */
const REQ_ID = /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/;

describe('request ids: the log line and the error page name the same reference', () => {
  let t: TestApp;
  const errorLog: string[] = [];
  beforeAll(async () => {
    t = await createTestApp({
      label: 'reqid',
      seed: false,
      onErrorLog: (line) => errorLog.push(line),
      extend: (app) =>
        app.get('/test-only/boom', { config: { access: 'public' } }, async () => {
          throw new Error('kaboom in a handler');
        }),
    });
  });
  afterAll(async () => t.close());

  it('shows "Reference: <id>" on a 500 page, sends it as x-request-id, and logs it as reqId', async () => {
    const res = await t.app.inject({ url: '/test-only/boom', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(500);
    const id = String(res.headers['x-request-id']);
    expect(id).toMatch(REQ_ID);
    expect(res.body).toContain(`Reference: <code>${id}</code>`);
    expect(res.body).not.toContain('kaboom');
    const logged = errorLog.map((l) => JSON.parse(l) as { reqId?: string; msg?: string });
    expect(logged.find((l) => l.msg === 'request failed')?.reqId).toBe(id);
  });

  it('gives every request its own id, on pages, JSON errors and the not-found page', async () => {
    const a = await t.app.inject({ url: '/no/such/page', headers: { accept: 'text/html' } });
    const b = await t.app.inject({ url: '/no/such/page', headers: { accept: 'text/html' } });
    expect(a.statusCode).toBe(404);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    expect(a.body).toContain(`Reference: <code>${a.headers['x-request-id']}</code>`);
    const json = await t.app.inject({ url: '/api/nothing-here' });
    expect(json.json()).toMatchObject({ statusCode: 404, reference: json.headers['x-request-id'] });
  });

  it('ignores a client-chosen X-Request-Id (a log line cannot be forged)', async () => {
    const res = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'FORGED-00001' } });
    expect(res.headers['x-request-id']).not.toBe('FORGED-00001');
    expect(String(res.headers['x-request-id'])).toMatch(REQ_ID);
  });
});

// The app on its own embedded FerretDB started the way src/server.ts starts it (supervised), so
// the database can be killed without disturbing other files.
describe('/readyz reasons', () => {
  let dir: string;
  let database: DatabaseServer;
  let t: TestApp;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'readyz-'));
    database = await openDatabaseServer(testConfig({ DATA_DIR: dir }), () => {});
    t = await createTestApp({
      label: 'readyz',
      seed: false,
      mongoUri: database.uri,
      databaseStatus: database.status,
      config: { METRICS_TOKEN: TOKEN },
    });
  });
  afterAll(async () => {
    await t?.close().catch(() => {});
    await database?.stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  const readyz = async () => {
    const res = await t.app.inject({ url: '/readyz' });
    return { status: res.statusCode, body: res.json() as { status: string; reason?: string } };
  };

  it('is ready with no reason while the database answers', async () => {
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready' } });
  });

  it('says the embedded database is restarting after it died, then is ready again and counts the restart', async () => {
    const pid = await ferretPidOnPort(Number(new URL(database.uri).port));
    expect(pid).not.toBeNull();
    process.kill(pid!, 'SIGKILL');
    const reasons = new Set<string>();
    const sawRestarting = await waitFor(
      async () => {
        const r = await readyz();
        if (r.body.reason) reasons.add(r.body.reason);
        return r.status === 503 && r.body.reason === 'embedded database restarting';
      },
      10_000,
      50,
    );
    expect(sawRestarting, `reasons seen: ${[...reasons].join('; ')}`).toBe(true);
    expect(await waitFor(async () => (await readyz()).status === 200, 20_000)).toBe(true);
    const metrics = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(metrics.body).toMatch(/^lms_embedded_database_restarts_total 1$/m);
  });

  it('says the database is unreachable when it is stopped for good', async () => {
    await database.stop();
    const r = await readyz();
    expect(r.status).toBe(503);
    expect(r.body).toEqual({ status: 'not ready', reason: 'database unreachable' });
  });
});
