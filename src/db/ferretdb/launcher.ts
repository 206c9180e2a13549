import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import mongoose from 'mongoose';
import { ensureFerretdbBinary } from './build.js';

export interface EmbeddedFerretdb {
  uri: string;
  port: number;
  /** Stops the child process; resolves once it has exited. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function pingUntilReady(uri: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`FerretDB exited with code ${child.exitCode} during start-up`);
    const client = new mongoose.mongo.MongoClient(uri, {
      serverSelectionTimeoutMS: 500,
      connectTimeoutMS: 500,
    });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.close().catch(() => {});
    }
  }
  throw new Error(`FerretDB did not answer ping within ${timeoutMs} ms: ${String(lastError)}`);
}

export type SqliteSync = 'normal' | 'full';

/**
 * FerretDB's `--sqlite-url` for a data folder (FerretDB requires a URL ending with a slash; it
 * adds WAL mode and a busy timeout itself). Two SQLite settings, measured in tests/bench:
 * - `_txlock=immediate`: each write transaction takes the write lock when it begins. With the
 *   default (deferred) concurrent writers collide on the upgrade and sleep in SQLite's busy
 *   handler, which gave p99 ≈ 650 ms for 50 concurrent single-document updates (≈ 90 ms after).
 * - `synchronous`: NORMAL syncs at WAL checkpoints instead of every commit (2.5× the write
 *   throughput); FULL is the safer choice where a power cut must not lose the last commits.
 */
export function sqliteUrl(dir: string, sync: SqliteSync): string {
  return `file:${dir}/?_txlock=immediate&_pragma=synchronous(${sync})`;
}

/**
 * Go garbage-collector settings for the FerretDB child, unless the environment sets its own.
 * FerretDB v1 decodes every stored document from JSON into fresh objects, and at Go's default
 * (GOGC=100) about a fifth of a scan's CPU went to collecting them. Collecting at 5× the live heap
 * instead of 2× made the 100k-assignment pass 25 % faster and the nightly job 17 % faster (bench,
 * 2026-12-04); FerretDB's peak memory rose from about 130 MB, and the soft limit keeps it below
 * 512 MiB by collecting more often near it.
 */
function goGcEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { GOGC: '400', GOMEMLIMIT: '512MiB', ...env };
}

/**
 * Starts FerretDB v1 with its SQLite backend as a child process on 127.0.0.1.
 * Data lives in `<dataDir>` (SQLite files and FerretDB's state), so it survives restarts.
 */
export async function startEmbeddedFerretdb(opts: {
  dataDir: string;
  port?: number;
  /** SQLite durability; see sqliteUrl. */
  sync?: SqliteSync;
  log?: (line: string) => void;
}): Promise<EmbeddedFerretdb> {
  const binary = await ensureFerretdbBinary(opts.log);
  const dir = path.resolve(opts.dataDir);
  await mkdir(dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const child = spawn(
    binary,
    [
      '--handler=sqlite',
      `--sqlite-url=${sqliteUrl(dir, opts.sync ?? 'normal')}`,
      `--state-dir=${dir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: goGcEnv(process.env) },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const uri = `mongodb://127.0.0.1:${port}/`;
  try {
    await pingUntilReady(uri, child, 30_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }

  return {
    uri,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
