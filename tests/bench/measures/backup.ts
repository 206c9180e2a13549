import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDb } from '../../../src/db/connection.js';
import type { BenchContext } from '../lib/context.js';
import { benchDbName } from '../lib/ferret.js';
import type { MeasureResult, Row } from '../lib/results.js';
import { ratio, round } from '../lib/stats.js';
import { generateOrg } from '../synthetic-org.js';

const here = path.dirname(fileURLToPath(import.meta.url));

interface ChildRun {
  baselineMs: number;
  ms: number;
  documents: number;
  rssBeforeMb: number;
  baselinePeakMb: number;
  peakMb: number;
  archiveMb: number;
}

export interface BackupTiming {
  employees: number;
  documents: number;
  backup: ChildRun;
  restore: ChildRun;
}

function runChild(opts: { mode: 'backup' | 'restore'; mongoUri: string; dbName: string; file: string }) {
  const child = fork(path.join(here, '../children/backup.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_BACKUP: JSON.stringify(opts) },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let stdout = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  return new Promise<ChildRun>((resolve, reject) => {
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`backup child (${opts.mode}) exited with ${code}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildRun);
    });
  });
}

/**
 * A synthetic organisation of `employees` (two years of history, no audit log), backed up in one
 * child process and restored into an empty database in another, so each peak RSS is its own.
 */
export async function backupAt(ctx: BenchContext, employees: number): Promise<BackupTiming> {
  const source = benchDbName(`backup${employees}`);
  const target = benchDbName(`restore${employees}`);
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-backup-'));
  const file = path.join(dir, 'backup.tar.gz');
  const db = await openDb(ctx.mongoUri, source);
  try {
    const org = await generateOrg(db.models, {
      employees,
      course: ctx.course,
      now: new Date(),
      passwordHash: ctx.passwordHash,
      audit: false,
      sessionShare: 0.2,
    });
    ctx.log(`  generated ${employees} employees in ${(org.ms / 1000).toFixed(1)} s; backing up…`);
    const backup = await runChild({ mode: 'backup', mongoUri: ctx.mongoUri, dbName: source, file });
    ctx.log(
      `  backup: ${(backup.ms / 1000).toFixed(1)} s (raw read alone ${(backup.baselineMs / 1000).toFixed(1)} s), ${backup.documents} documents, peak RSS ${Math.round(backup.peakMb)} MB (${Math.round(backup.rssBeforeMb)} MB connected); restoring…`,
    );
    const restore = await runChild({ mode: 'restore', mongoUri: ctx.mongoUri, dbName: target, file });
    ctx.log(
      `  restore: ${(restore.ms / 1000).toFixed(1)} s (checksum pass alone ${(restore.baselineMs / 1000).toFixed(1)} s), peak RSS ${Math.round(restore.peakMb)} MB`,
    );
    return { employees, documents: backup.documents, backup, restore };
  } finally {
    await db.conn.dropDatabase().catch(() => {});
    await db.conn
      .useDb(target)
      .dropDatabase()
      .catch(() => {});
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function rowsAt(t: BackupTiming): Row[] {
  const measure = `backup/restore ${t.employees}`;
  const mb = (n: number) => round(n, 0);
  return [
    {
      measure,
      metric: 'backup time',
      value: round(t.backup.ms / 1000, 1),
      unit: 's',
      baseline: { label: 'raw read of every collection', value: round(t.backup.baselineMs / 1000, 1) },
      ratio: ratio(t.backup.ms, t.backup.baselineMs),
      note: `${t.documents} documents; archive ${round(t.backup.archiveMb, 1)} MB`,
    },
    {
      measure,
      metric: 'backup peak RSS',
      value: mb(t.backup.peakMb),
      unit: 'MB',
      baseline: { label: 'after the raw read', value: mb(t.backup.baselinePeakMb) },
      ratio: ratio(t.backup.peakMb, t.backup.baselinePeakMb),
      note: `${mb(t.backup.rssBeforeMb)} MB when connected`,
    },
    {
      measure,
      metric: 'restore time',
      value: round(t.restore.ms / 1000, 1),
      unit: 's',
      baseline: { label: 'checksum pass alone', value: round(t.restore.baselineMs / 1000, 1) },
      ratio: ratio(t.restore.ms, t.restore.baselineMs),
      note: 'includes its own checksum pass, the inserts and the indexes',
    },
    {
      measure,
      metric: 'restore peak RSS',
      value: mb(t.restore.peakMb),
      unit: 'MB',
      baseline: { label: 'after the checksum pass', value: mb(t.restore.baselinePeakMb) },
      ratio: ratio(t.restore.peakMb, t.restore.baselinePeakMb),
      note: `${mb(t.restore.rssBeforeMb)} MB when connected`,
    },
  ];
}

export function backupRows(timings: BackupTiming[]): Row[] {
  const rows = timings.flatMap(rowsAt);
  const [small, large] = [timings[0], timings.at(-1)];
  if (small && large && large !== small) {
    const measure = `backup/restore ${large.employees}/${small.employees}`;
    const docs = `${round(large.documents / small.documents, 1)}× the documents`;
    rows.push(
      {
        measure,
        metric: 'backup time',
        value: ratio(large.backup.ms, small.backup.ms),
        unit: '×',
        note: docs,
      },
      {
        measure,
        metric: 'restore time',
        value: ratio(large.restore.ms, small.restore.ms),
        unit: '×',
        note: docs,
      },
      {
        measure,
        metric: 'backup peak RSS',
        value: ratio(large.backup.peakMb, small.backup.peakMb),
        unit: '×',
        note: 'flat memory: about 1×',
      },
      {
        measure,
        metric: 'restore peak RSS',
        value: ratio(large.restore.peakMb, small.restore.peakMb),
        unit: '×',
        note: 'flat memory: about 1×',
      },
    );
  }
  return rows;
}

/** Backup and restore at each organisation size (issue #25). */
export async function measureBackup(ctx: BenchContext, sizes: number[]): Promise<MeasureResult> {
  ctx.log('\n== backup and restore');
  const timings: BackupTiming[] = [];
  for (const employees of sizes) {
    ctx.log(`  ${employees}-person organisation…`);
    timings.push(await backupAt(ctx, employees));
  }
  return {
    id: 'backup',
    title: 'Backup and restore (lms backup / restore)',
    rows: backupRows(timings),
    details: { timings },
  };
}
