import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/db/ferretdb/launcher.js';

// The real `npm start` path: server.ts in a child process with the embedded FerretDB under DATA_DIR.
const repoRoot = path.resolve(import.meta.dirname, '../..');
let dataDir: string;
let port: number;

interface Running {
  child: ChildProcess;
  output: () => string;
}

async function startServer(): Promise<Running> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: repoRoot,
    // Vitest sets BASE_URL=/ for Vite; the app needs an absolute URL.
    env: {
      ...process.env,
      BASE_URL: `http://localhost:${port}`,
      NODE_ENV: 'development',
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      SWEEP_SCHEDULE: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { child, output: () => output };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not become ready:\n${output}`);
}

async function stopServer(run: Running): Promise<number> {
  const started = Date.now();
  const exited = new Promise<void>((resolve) => run.child.once('exit', () => resolve()));
  run.child.kill('SIGTERM');
  await exited;
  return Date.now() - started;
}

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

async function login(): Promise<string> {
  const page = await fetch(`http://127.0.0.1:${port}/login`);
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetch(`http://127.0.0.1:${port}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _csrf: token, email: 'employee@demo.test', password: 'demo-password' }),
  });
  expect(res.status).toBe(303);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
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
    const first = await startServer();
    expect(first.output()).toContain('employee@demo.test');
    expect(first.output()).toContain('created the demo organisation');
    const cookie = await login();
    expect(ferretdbProcessesFor(dataDir)).toHaveLength(1);

    const stopMs = await stopServer(first);
    expect(stopMs).toBeLessThan(10_000);
    expect(ferretdbProcessesFor(dataDir)).toHaveLength(0);

    const second = await startServer();
    expect(second.output()).not.toContain('created the demo organisation');
    // The session and the generated session secret both survived the restart.
    const home = await fetch(`http://127.0.0.1:${port}/`, { headers: { cookie }, redirect: 'manual' });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Erin Example');
    await stopServer(second);
    expect(ferretdbProcessesFor(dataDir)).toHaveLength(0);
  });
});
