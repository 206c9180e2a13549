import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvSchema } from '../../../src/config.js';
import { freePort } from '../../../src/db/ferretdb/launcher.js';
import type { AppUnderTest } from './app-process.js';
import { BENCH_SESSION_SECRET } from './bench-config.js';
import { httpRequest } from './http.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** One entry of `/readyz` `workers` in cluster mode (src/cluster/). */
export interface WorkerState {
  id: number;
  pid: number;
  state: string;
}

/** The real entry point, `src/server.ts`, as a child process: what production runs, cluster mode included. */
export interface ServerTarget extends AppUnderTest {
  /** The process the bench started: the cluster's primary, or the one app process. */
  pid: number;
  /** What `/readyz` said once every worker was ready (`workers` only in cluster mode). */
  ready: { workers?: WorkerState[] };
}

export interface ServerTargetOptions {
  mongoUri: string;
  dbName: string;
  /** `WORKERS`: 1 keeps the single process; more starts the cluster. */
  workers: number;
  logLevel?: string;
  readyTimeoutMs?: number;
}

/**
 * The Node processes below `root` (its cluster workers), found through /proc's parent pids. Other
 * programs are left out: tsx runs an esbuild service process beside each worker, idle once loaded.
 */
export async function nodeDescendantsOf(root: number): Promise<number[]> {
  const exe = (pid: number) => readlink(`/proc/${pid}/exe`).catch(() => null);
  const node = await exe(root);
  const all = await descendantsOf(root);
  const exes = await Promise.all(all.map(exe));
  return all.filter((_, i) => node !== null && exes[i] === node);
}

/** Every process below `root`, found through /proc's parent pids. */
async function descendantsOf(root: number): Promise<number[]> {
  const parentOf = new Map<number, number>();
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    // The fields after the command name (which may hold spaces): state, then the parent pid.
    if (stat) parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parentOf) {
      if (parent === pid) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

/** Ready: 200, and in cluster mode every one of the expected workers reports 'ready'. */
function allReady(body: { workers?: WorkerState[] }, workers: number): boolean {
  if (!Array.isArray(body.workers)) return true;
  return body.workers.length >= workers && body.workers.every((w) => w.state === 'ready');
}

/**
 * Starts `node --import tsx src/server.ts` on a free loopback port against the bench's database
 * (MONGODB_URI: the app then starts no FerretDB of its own), in production mode with every schedule
 * off, and waits until /readyz says each worker is ready. The app's logs go nowhere unless
 * BENCH_APP_LOG names a file.
 */
export async function startServerTarget(opts: ServerTargetOptions): Promise<ServerTarget> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'policy-training-bench-server-'));
  // The app reads only its own variables; drop any the caller has set (vitest sets BASE_URL, for one).
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !(k in EnvSchema.properties) && k !== 'WORKERS'),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: repoRoot,
    env: {
      ...inherited,
      NODE_ENV: 'production',
      MONGODB_URI: opts.mongoUri,
      DB_NAME: opts.dbName,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      BASE_URL: `http://127.0.0.1:${port}`,
      SESSION_SECRET: BENCH_SESSION_SECRET,
      LOG_LEVEL: opts.logLevel ?? 'warn',
      DEMO_DATA: 'false',
      SWEEP_SCHEDULE: 'off',
      NIGHTLY_SCHEDULE: 'off',
      XAPI_SCHEDULE: 'off',
      WORKERS: String(opts.workers),
    },
    stdio: [
      'ignore',
      process.env.BENCH_APP_LOG ? openSync(process.env.BENCH_APP_LOG, 'a') : 'ignore',
      'pipe',
    ],
    // Its own process group, so a stuck cluster can be killed whole.
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // SIGTERM to the primary alone: it drains its workers, then exits.
      child.kill('SIGTERM');
      const timer = setTimeout(killGroup, 20_000);
      await exited;
      clearTimeout(timer);
    }
    killGroup();
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = performance.now() + (opts.readyTimeoutMs ?? 90_000);
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`src/server.ts exited (${child.exitCode ?? child.signalCode}): ${stderr}`);
      if (performance.now() > deadline)
        throw new Error(`src/server.ts with WORKERS=${opts.workers} not ready in time: ${stderr}`);
      const res = await httpRequest(`${url}/readyz`, { timeoutMs: 2000 }).catch(() => null);
      if (res?.status === 200) {
        const body = JSON.parse(res.body) as { workers?: WorkerState[] };
        if (allReady(body, opts.workers)) {
          return {
            url,
            pid: child.pid!,
            ready: body,
            // The primary and its workers: in cluster mode the primary accepts the connections
            // and hands them to the workers (round-robin, Node's default on Linux), so it counts too.
            cpuPids: async () => [child.pid!, ...(await nodeDescendantsOf(child.pid!))],
            close,
          };
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await close();
    throw err;
  }
}
