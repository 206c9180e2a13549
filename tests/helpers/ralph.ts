import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * A real LRS for the tests (#27): Ralph (`ralph-malph`, every package pinned in
 * `.ci/ralph-constraints.txt`) with its file-system backend in a temporary folder, on a free
 * loopback port, with one HTTP Basic user. The tests' global setup (global-ralph.ts) installs it
 * into `.cache/ralph-venv`; `RALPH_BIN` may name another `ralph` executable (its virtual
 * environment's `python` runs the server).
 *
 * Why uvicorn and not `ralph runserver`: runserver starts uvicorn with its file-watching reloader
 * (a second process watching the working folder), which a test cannot stop cleanly; and see
 * LAUNCHER.
 */
export interface Ralph {
  /** The xAPI base, ending in `/xAPI/`: statements are at `${endpoint}statements`. */
  endpoint: string;
  port: number;
  username: string;
  password: string;
  /** Every stored statement matching the xAPI query parameters, newest first (all pages). */
  statements(params?: Record<string, string>): Promise<XapiStatement[]>;
  /** Stops the server (the stored statements stay in its folder for `restart`). */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder (after `stop`, or as stop + start). */
  restart(): Promise<void>;
}

export type XapiStatement = Record<string, unknown> & { id: string };

const USERNAME = 'lms-tests';
const PASSWORD = 'ralph-test-password';
// bcrypt of PASSWORD (cost 4: a test user, so the check is quick); Ralph reads users from a JSON file.
const PASSWORD_HASH = '$2b$04$qcFpLbLZ0cdcObEH1zOrJuFiYXmHj5QwpocWaGZ11Ubt/XjIoP1Ka';

/**
 * Starts the LRS app in uvicorn. Ralph 5.1.0's file-system LRS writes each POST with the data
 * backend's default "create" operation, which refuses to write to a file that exists: every
 * POST after the first answers 500. The launcher makes the LRS backend append (what a statement
 * store does) before the app loads. Remove it when Ralph fixes this.
 */
const LAUNCHER = [
  'import sys, uvicorn',
  'from ralph.backends.data.base import BaseOperationType',
  'from ralph.backends.lrs.fs import FSLRSBackend',
  'FSLRSBackend.default_operation_type = BaseOperationType.APPEND',
  "uvicorn.run('ralph.api:app', host='127.0.0.1', port=int(sys.argv[1]), access_log=False)",
].join('\n');

export function ralphBinary(): string {
  return process.env.RALPH_BIN ?? resolve('.cache/ralph-venv/bin/ralph');
}

/** Whether Ralph is installed where the tests look for it (the global setup installs it). */
export function ralphInstalled(): boolean {
  return existsSync(ralphBinary()) && existsSync(join(dirname(ralphBinary()), 'python'));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

export async function startRalph(): Promise<Ralph> {
  if (!ralphInstalled())
    throw new Error(
      `Ralph is not installed at ${ralphBinary()}: the integration and e2e projects' global setup ` +
        'installs it (tests/helpers/global-ralph.ts), or set RALPH_BIN',
    );
  const dir = await mkdtemp(join(tmpdir(), 'ralph-'));
  await mkdir(join(dir, 'data'));
  const authFile = join(dir, 'auth.json');
  const user = {
    username: USERNAME,
    hash: PASSWORD_HASH,
    scopes: ['all'],
    agent: { mbox: 'mailto:lms-tests@example.org' },
  };
  await writeFile(authFile, JSON.stringify([user]));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const endpoint = `${origin}/xAPI/`;
  const authorization = `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`;
  let child: ChildProcess | null = null;
  let output = '';

  const start = async () => {
    output = '';
    const python = join(dirname(ralphBinary()), 'python');
    const args = ['-c', LAUNCHER, String(port)];
    const proc = spawn(python, args, {
      cwd: dir,
      env: {
        ...process.env,
        RALPH_APP_DIR: dir,
        RALPH_AUTH_FILE: authFile,
        RALPH_RUNSERVER_BACKEND: 'fs',
        RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH: join(dir, 'data'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    proc.stdout?.on('data', (d) => {
      output += d;
    });
    proc.stderr?.on('data', (d) => {
      output += d;
    });
    await waitUntilUp(origin, proc, () => output);
    if (process.env.RALPH_DEBUG) proc.stderr?.on('data', (d) => process.stderr.write(d));
  };

  const stop = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((done) => proc.once('exit', () => done()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  // A test that fails before its afterAll must not leave a server or its folder behind.
  process.once('exit', () => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  await start();
  return {
    endpoint,
    port,
    username: USERNAME,
    password: PASSWORD,
    statements: (params) => readStatements(origin, endpoint, authorization, params),
    stop: async () => {
      await stop();
    },
    restart: async () => {
      await stop();
      await start();
    },
  };
}

async function waitUntilUp(origin: string, proc: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`Ralph exited (${proc.exitCode}):\n${log()}`);
    try {
      const res = await fetch(`${origin}/__heartbeat__`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error(`Ralph did not start within 30 s:\n${log()}`);
}

async function readStatements(
  origin: string,
  endpoint: string,
  authorization: string,
  params: Record<string, string> = {},
): Promise<XapiStatement[]> {
  const all: XapiStatement[] = [];
  let url: string | null = `${endpoint}statements?${new URLSearchParams({ limit: '100', ...params })}`;
  while (url) {
    const res: Response = await fetch(url, {
      headers: { authorization, 'x-experience-api-version': '1.0.3' },
    });
    if (!res.ok) throw new Error(`Ralph GET statements: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { statements: XapiStatement[]; more?: string };
    all.push(...body.statements);
    url = body.more ? new URL(body.more, origin).toString() : null;
  }
  return all;
}
