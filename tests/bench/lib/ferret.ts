import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedFerretdb } from '../../../src/db/ferretdb/launcher.js';
import { findPidByArg } from './proc.js';

export interface BenchDatabase {
  uri: string;
  /** FerretDB's pid, for its memory readings (null if /proc is unavailable). */
  pid: number | null;
  stop(): Promise<void>;
}

/** A FerretDB of its own for one bench run, in a temporary folder that is deleted afterwards. */
export async function startBenchDatabase(): Promise<BenchDatabase> {
  const dir = await mkdtemp(path.join(tmpdir(), 'policy-training-bench-'));
  const ferret = await startEmbeddedFerretdb({ dataDir: dir });
  const pid = await findPidByArg(`--listen-addr=127.0.0.1:${ferret.port}`);
  return {
    uri: ferret.uri,
    pid,
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
