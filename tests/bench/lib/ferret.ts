import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import {
  ferretdbArgs,
  freePort,
  type SqliteSync,
  startEmbeddedFerretdb,
} from '../../../src/db/ferretdb/launcher.js';
import { findPidByArg } from './proc.js';

export interface BenchDatabase {
  uri: string;
  /** FerretDB's pid, for its memory readings (null if /proc is unavailable). */
  pid: number | null;
  /** The FerretDB binary that runs (the project's build, or BENCH_FERRETDB_BINARY). */
  binary: string | null;
  /** SQLite durability the embedded FerretDB runs with (see sqliteUrl). */
  sync: SqliteSync | null;
  stop(): Promise<void>;
}

/**
 * A different FerretDB build, to compare with the project's own (for example one patched to use
 * its `_id` index). Same flags as src/db/ferretdb/launcher.ts.
 */
async function startCustomFerretdb(
  binary: string,
  dir: string,
  sync: SqliteSync,
): Promise<{ uri: string; port: number; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(binary, ferretdbArgs(dir, port, sync), { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const uri = `mongodb://127.0.0.1:${port}/`;
  const conn = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 30_000 });
  await conn.asPromise();
  await conn.close();
  return {
    uri,
    port,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A FerretDB of its own for one bench run, in a temporary folder that is deleted afterwards. */
export async function startBenchDatabase(): Promise<BenchDatabase> {
  // Production runs MongoDB: BENCH_MONGODB_URI points the whole bench at one (no /proc readings then).
  const mongo = process.env.BENCH_MONGODB_URI;
  if (mongo)
    return { uri: mongo, pid: null, binary: 'MongoDB (BENCH_MONGODB_URI)', sync: null, stop: async () => {} };
  const dir = await mkdtemp(path.join(tmpdir(), 'policy-training-bench-'));
  const custom = process.env.BENCH_FERRETDB_BINARY;
  // BENCH_FERRETDB_SYNC=full measures the embedded database with every commit synced to disk.
  const sync: SqliteSync = process.env.BENCH_FERRETDB_SYNC === 'full' ? 'full' : 'normal';
  const ferret = custom
    ? await startCustomFerretdb(custom, dir, sync)
    : await startEmbeddedFerretdb({ dataDir: dir, sync });
  const pid = await findPidByArg(`--listen-addr=127.0.0.1:${ferret.port}`);
  // Which build runs matters (src/db/ferretdb/build.ts patches the _id index unless FERRETDB_PRISTINE=1).
  const binary = custom ?? (pid ? await readlink(`/proc/${pid}/exe`).catch(() => null) : null);
  return {
    uri: ferret.uri,
    pid,
    binary,
    sync,
    async stop() {
      await ferret.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A database name for one measurement, unique within the run. */
export function benchDbName(label: string): string {
  return `bench_${label.replace(/[^A-Za-z0-9]/g, '_')}_${Date.now().toString(36)}`;
}
