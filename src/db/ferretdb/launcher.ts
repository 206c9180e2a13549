import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import mongoose from 'mongoose';
import { ensureFerretdbBinary } from './build.js';
import { type LeashedProcess, spawnLeashed } from './leashed-process.js';
import { type SupervisionStatus, superviseDatabase } from './supervisor.js';

export interface EmbeddedFerretdb {
  uri: string;
  port: number;
  /** Stops FerretDB (and its supervision); resolves once it has exited. */
  stop(): Promise<void>;
  /** Present when started with `restart`: whether it is restarting now, and how often it was. */
  status?: SupervisionStatus;
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

/** FerretDB's command line for a data folder and port (the bench starts it the same way). */
export function ferretdbArgs(dir: string, port: number, sync: SqliteSync): string[] {
  return [
    '--handler=sqlite',
    `--sqlite-url=${sqliteUrl(dir, sync)}`,
    `--state-dir=${dir}`,
    `--listen-addr=127.0.0.1:${port}`,
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=error',
  ];
}

async function pingUntilReady(
  uri: string,
  ferret: LeashedProcess,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (!ferret.running()) throw new Error(`FerretDB ended during start-up: it ${await ferret.exited}`);
    if (signal?.aborted) throw new Error('FerretDB start-up cancelled');
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

/** Starts one FerretDB process under its leash and resolves once it answers a ping. */
async function launch(
  binary: string,
  dir: string,
  port: number,
  sync: SqliteSync,
  signal?: AbortSignal,
): Promise<LeashedProcess> {
  const ferret = spawnLeashed(
    [binary, ...ferretdbArgs(dir, port, sync)],
    goGcEnv(process.env),
    `ferretdb@127.0.0.1:${port}`,
  );
  try {
    await pingUntilReady(`mongodb://127.0.0.1:${port}/`, ferret, 30_000, signal);
    return ferret;
  } catch (err) {
    // A FerretDB that ended says why in its exit; one that did not answer, in what it wrote.
    const silent = ferret.running();
    await ferret.stop();
    throw silent ? new Error(`${(err as Error).message}\n${ferret.stderr()}`.trim()) : err;
  }
}

/**
 * Starts FerretDB v1 with its SQLite backend on 127.0.0.1, under a leash that ends it whenever
 * this process ends (see ./leash.mjs). Data lives in `<dataDir>` (SQLite files and FerretDB's
 * state), so it survives restarts. With `restart`, a FerretDB that dies is started again on the
 * same port and data folder (see ./supervisor.ts); the first start fails loudly instead.
 */
export async function startEmbeddedFerretdb(opts: {
  dataDir: string;
  port?: number;
  /** SQLite durability; see sqliteUrl. */
  sync?: SqliteSync;
  /** Start FerretDB again whenever it ends without stop(). */
  restart?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedFerretdb> {
  const binary = await ensureFerretdbBinary(opts.log);
  const dir = path.resolve(opts.dataDir);
  await mkdir(dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const sync = opts.sync ?? 'normal';
  const first = await launch(binary, dir, port, sync);
  const uri = `mongodb://127.0.0.1:${port}/`;
  if (!opts.restart) return { uri, port, stop: first.stop };
  const supervisor = superviseDatabase({
    first,
    relaunch: (signal) => launch(binary, dir, port, sync, signal),
    log: opts.log ?? (() => {}),
    where: `127.0.0.1:${port}`,
  });
  return { uri, port, stop: supervisor.stop, status: supervisor.status };
}
