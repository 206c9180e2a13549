import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/db/ferretdb/launcher.js';
import { postLoginForm, type RunningServer, startServer, stopServer } from '../helpers/server-process.js';

// Issue #21, item 1: a sign-in with a newline in `next` made the real server exit. Only a real
// process shows that (an unhandled rejection ends the process through close-with-grace).
let dataDir: string;
let server: RunningServer | null = null;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'process-bad-request-'));
  server = await startServer(await freePort(), dataDir);
});
afterAll(async () => {
  if (server) await stopServer(server);
  await rm(dataDir, { recursive: true, force: true });
});

async function stillAnswering(run: RunningServer): Promise<boolean> {
  // Give a shutdown that has begun the time to close the listener.
  await new Promise((r) => setTimeout(r, 500));
  if (run.child.exitCode !== null || run.child.signalCode !== null) return false;
  return fetch(`http://127.0.0.1:${run.port}/readyz`).then(
    (r) => r.status === 200,
    () => false,
  );
}

describe('the real server survives a hostile sign-in', () => {
  it.each([
    ['a newline', '/\nx'],
    ['CR LF and a header', '/\r\nSet-Cookie: evil=1'],
    ['a character no header can carry', '/\u65e5\u672c'],
    ['a tab before a second slash', '/\t/evil.example'],
  ])('POST /login with %s in next redirects on-site and the server keeps answering', async (_what, next) => {
    const run = server!;
    const res = await postLoginForm(run, { email: 'employee@demo.test', password: 'demo-password', next });
    expect(res.status).toBe(303);
    const location = res.headers.get('location') ?? '';
    expect(new URL(location, `http://localhost:${run.port}`).host).toBe(`localhost:${run.port}`);
    expect(location).toMatch(/^\/(?![/\\])/);
    expect(res.headers.getSetCookie().join(';')).not.toContain('evil');
    expect(await stillAnswering(run), run.output().slice(-2000)).toBe(true);
    expect(run.output()).not.toContain('shutting down after an error');
  });
});
