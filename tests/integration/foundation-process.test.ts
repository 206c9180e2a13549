import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/db/ferretdb/launcher.js';
import {
  cookieHeader,
  postLoginForm,
  type RunningServer,
  startServer,
  stopServer,
} from '../helpers/server-process.js';

let dataDir: string;
let port: number;

function ferretdbProcessesFor(dir: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', `sqlite-url=file:${dir}`])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

async function login(run: RunningServer): Promise<string> {
  const res = await postLoginForm(run, { email: 'employee@demo.test', password: 'demo-password' });
  expect(res.status).toBe(303);
  return cookieHeader(res);
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'process-'));
  port = await freePort();
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start in a child process', () => {
  it('seeds once, keeps data and sessions across a restart, and shuts down cleanly on SIGTERM', async () => {
    const first = await startServer(port, dataDir);
    expect(first.output()).toContain('employee@demo.test');
    expect(first.output()).toContain('created the demo organisation');
    const cookie = await login(first);
    expect(ferretdbProcessesFor(dataDir)).toHaveLength(1);

    const stopMs = await stopServer(first);
    expect(stopMs).toBeLessThan(10_000);
    expect(ferretdbProcessesFor(dataDir)).toHaveLength(0);

    const second = await startServer(port, dataDir);
    expect(second.output()).not.toContain('created the demo organisation');
    // The session and the generated session secret both survived the restart.
    const home = await fetch(`http://127.0.0.1:${port}/`, { headers: { cookie }, redirect: 'manual' });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Erin Example');
    await stopServer(second);
    expect(ferretdbProcessesFor(dataDir)).toHaveLength(0);
  });
});
