import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../src/db/ferretdb/launcher.js';
import { isAlive } from '../../helpers/ferret-control.js';
import { printReport, waitFor } from './support.js';

// The real `npm start` path (src/server.ts in a child process with its embedded FerretDB under
// DATA_DIR), killed without any chance to clean up: its FerretDB must not outlive it.
const repoRoot = path.resolve(import.meta.dirname, '../../..');
let dataDir: string;
const report: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'reliability-leash-'));
});
afterAll(async () => {
  printReport('embedded database outlives no app', report);
  await rm(dataDir, { recursive: true, force: true });
});

/** FerretDB processes serving this data folder (found by their own command line, so nothing else). */
async function ferretPidsFor(dir: string): Promise<number[]> {
  const needle = `--state-dir=${path.join(dir, 'ferretdb')}`;
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0').includes(needle)) pids.push(Number(entry));
  }
  return pids;
}

async function parentOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // "pid (comm) state ppid …": comm may hold spaces, so read after its closing parenthesis.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function spawnApp(port: number): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      // Vitest puts Vite's BASE_URL ("/") into process.env; the app needs a real one.
      BASE_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      SESSION_SECRET: 'leash-test-secret-'.padEnd(48, 'z'),
      DEMO_DATA: 'false',
      LOG_LEVEL: 'error',
      SWEEP_SCHEDULE: 'off',
      NIGHTLY_SCHEDULE: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function startApp(port: number): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawnApp(port);
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const ready = await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`app exited early:\n${out}`);
      return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
    },
    90_000,
    200,
  );
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`app did not become ready:\n${out}`);
  }
  return { child, output: () => out };
}

describe('the app process is killed outright', () => {
  it('takes its embedded FerretDB (and whatever watches it) down with it within seconds', async () => {
    const app = await startApp(await freePort());
    const ferrets = await ferretPidsFor(dataDir);
    expect(ferrets, app.output()).toHaveLength(1);
    const ferret = ferrets[0]!;
    // Whatever FerretDB's parent is (the app or a watcher between them), none may survive the app.
    const parent = await parentOf(ferret);

    const killedAt = Date.now();
    app.child.kill('SIGKILL');
    const gone = await waitFor(async () => !isAlive(ferret), 5_000, 50);
    const goneMs = Date.now() - killedAt;
    if (!gone) process.kill(ferret, 'SIGKILL'); // leave no orphan behind the failing test
    expect(gone, 'FerretDB ended within 5 s of the app').toBe(true);
    expect(await waitFor(async () => !isAlive(parent), 5_000, 50), 'its parent too').toBe(true);
    expect(await ferretPidsFor(dataDir)).toEqual([]);
    report.push(`app SIGKILLed: its FerretDB (pid ${ferret}) ended ${goneMs} ms later`);

    // The data folder is free again: a new app starts on it at once.
    const again = await startApp(await freePort());
    expect(await ferretPidsFor(dataDir)).toHaveLength(1);
    const exited = new Promise((resolve) => again.child.once('exit', resolve));
    again.child.kill('SIGTERM');
    await exited;
    expect(await ferretPidsFor(dataDir)).toEqual([]);
  }, 240_000);

  it('takes it down when the app fails to start after the database has started (its port is taken)', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const app = spawnApp(port);
      let out = '';
      app.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
      });
      app.stderr!.on('data', (b: Buffer) => {
        out += b.toString();
      });
      const code = await new Promise((resolve) => app.once('exit', resolve));
      expect(code, out).toBe(1);
      expect(out).toMatch(/EADDRINUSE/);
      expect(
        await waitFor(async () => (await ferretPidsFor(dataDir)).length === 0, 5_000, 50),
        'no FerretDB left on the data folder',
      ).toBe(true);
    } finally {
      for (const pid of await ferretPidsFor(dataDir)) process.kill(pid, 'SIGKILL');
      taken.close();
    }
  }, 120_000);
});
