import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/db/connection.js';
import { type EmbeddedFerretdb, freePort, startEmbeddedFerretdb } from '../../src/db/ferretdb/launcher.js';
import { createTestApp, loginAs, type TestApp } from '../helpers/app.js';

// This file runs its own FerretDB so it can stop and restart it without disturbing other files.
let dir: string;
let port: number;
let ferret: EmbeddedFerretdb;
let t: TestApp;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'outage-'));
  port = await freePort();
  ferret = await startEmbeddedFerretdb({ dataDir: dir, port });
  t = await createTestApp({ label: 'outage', mongoUri: ferret.uri });
});

afterAll(async () => {
  await t.close();
  await ferret.stop();
  await rm(dir, { recursive: true, force: true });
});

async function readyStatus(): Promise<number> {
  return (await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode;
}

describe('database outage', () => {
  it('reports 503 while FerretDB is down, shows a friendly page, and recovers without a restart', async () => {
    const employee = await loginAs(t.app, 'employee@demo.test');
    expect(await readyStatus()).toBe(200);

    await ferret.stop();
    expect(await readyStatus()).toBe(503);
    const page = await employee.get('/', { accept: 'text/html' });
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('Temporarily unavailable');
    expect(page.body).not.toMatch(/Mongo|ECONNREFUSED|stack|at .*\.ts/);
    // Learner pages too; and the audit log's batched insert (a bulk write, whose error wraps the
    // network error) is recognised as an outage, so pages that append to it answer 503, not 500.
    const lesson = [...t.app.courses.values()][0]!.lessons[2]!;
    const view = await employee.get(`/learn/social-media-policy/lessons/${lesson.id}`, {
      accept: 'text/html',
    });
    expect(view.statusCode).toBe(503);
    expect(view.body).toContain('Temporarily unavailable');
    const audit = await t.app.audit
      .append({ actorId: null, action: 'outage.probe', targetType: 't', targetId: 'x' }, new Date())
      .catch((err: unknown) => err);
    expect(isDatabaseUnavailable(audit)).toBe(true);

    ferret = await startEmbeddedFerretdb({ dataDir: dir, port });
    let status = 0;
    for (let i = 0; i < 60 && status !== 200; i += 1) {
      status = await readyStatus();
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
    // The same session (stored in the database) still works after the outage.
    expect((await employee.get('/')).statusCode).toBe(200);
  });
});
