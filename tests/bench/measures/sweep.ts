import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from '../lib/context.js';
import { cpuMsOf, memoryOf, resetPeak } from '../lib/proc.js';
import { below, type Row } from '../lib/results.js';
import { ratio, round } from '../lib/stats.js';

const here = path.dirname(fileURLToPath(import.meta.url));

interface SweepRun {
  label: string;
  wallMs: number;
  nodeCpuMs: number;
  report: Record<string, number>;
  db: Record<string, { n: number; ms: number }>;
  ferretCpuMs?: number | null;
}

interface SweepProgress {
  label: string;
  tally: SweepRun['db'];
  inflight: Array<{ key: string; ageMs: number }>;
}

export interface SweepOutcome {
  employees: number;
  finished: boolean;
  /** The last progress report of a sweep that did not finish: what it had done, what it waited on. */
  lastProgress?: SweepProgress;
  rssBeforeMb?: number;
  maxRssMb?: number;
  ferretPeakMb?: number | null;
  runs: SweepRun[];
}

/** Runs children/sweep.ts against `dbName`; kills it after `timeoutS`. */
export async function sweepInChild(
  ctx: BenchContext,
  dbName: string,
  employees: number,
  ferretPid: number | null,
  timeoutS: number,
): Promise<SweepOutcome> {
  if (ferretPid) await resetPeak(ferretPid);
  let ferretCpu = ferretPid ? await cpuMsOf(ferretPid) : null;
  const runs: SweepRun[] = [];
  const ferretCpuPerRun: Array<number | null> = [];
  const child = fork(path.join(here, '../children/sweep.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_SWEEP: JSON.stringify({ mongoUri: ctx.mongoUri, dbName }) },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let stdout = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  let lastProgress: SweepProgress | undefined;
  child.on('message', async (m: { type?: string } & Partial<SweepProgress>) => {
    if (m.type === 'progress') lastProgress = m as SweepProgress;
    if (m.type !== 'sweep-done' || !ferretPid) return;
    const nowCpu = await cpuMsOf(ferretPid);
    ferretCpuPerRun.push(nowCpu !== null && ferretCpu !== null ? nowCpu - ferretCpu : null);
    ferretCpu = nowCpu;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  const ferretPeakMb = ferretPid ? ((await memoryOf(ferretPid))?.peak ?? Number.NaN) / 2 ** 20 : null;
  if (code !== 0) return { employees, finished: false, ferretPeakMb, runs, lastProgress };
  const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as Omit<SweepOutcome, 'employees' | 'finished'>;
  out.runs.forEach((r, i) => {
    runs.push({ ...r, ferretCpuMs: ferretCpuPerRun[i] ?? null });
  });
  return {
    employees,
    finished: true,
    rssBeforeMb: out.rssBeforeMb,
    maxRssMb: out.maxRssMb,
    ferretPeakMb,
    runs,
  };
}

/** The database commands that took most of a sweep's time, e.g. "update assignments 812×: 41.2 s". */
export function topDbTime(run: Pick<SweepRun, 'db'>, n = 4): string {
  return Object.entries(run.db)
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, n)
    .map(([k, v]) => `${k} ${v.n}×: ${round(v.ms / 1000, 1)} s`)
    .join('; ');
}

/** Table rows for 3. Refresher sweep: one line per size, then the scaling ratio. */
export function sweepRows(outcomes: SweepOutcome[], timeoutS: number): Row[] {
  const measure = 'refresher sweep';
  const rows: Row[] = [];
  const first = (o: SweepOutcome) => o.runs[0];
  for (const o of outcomes) {
    const size = `${o.employees / 1000}k`;
    if (!o.finished || !first(o)) {
      rows.push({
        measure,
        metric: `${size}: one sweep`,
        value: Number.NaN,
        unit: 's',
        target: '< 30 s',
        met: false,
        note: `did not finish within ${timeoutS} s`,
      });
      continue;
    }
    const r = first(o)!;
    const row: Row = {
      measure,
      metric: `${size}: one sweep`,
      value: round(r.wallMs / 1000, 2),
      unit: 's',
      note: `node CPU ${round(r.nodeCpuMs / 1000, 1)} s, FerretDB CPU ${r.ferretCpuMs == null ? '?' : round(r.ferretCpuMs / 1000, 1)} s; ${topDbTime(r)}`,
    };
    rows.push(o.employees >= 100_000 ? below(row, 30, '< 30 s') : row);
    const repeat = o.runs[1];
    if (repeat)
      rows.push({
        measure,
        metric: `${size}: repeat sweep (nothing due)`,
        value: round(repeat.wallMs / 1000, 2),
        unit: 's',
      });
    const rss: Row = {
      measure,
      metric: `${size}: peak RSS (sweep process)`,
      value: round(o.maxRssMb ?? Number.NaN),
      unit: 'MB',
      baseline: { label: 'before sweeping', value: round(o.rssBeforeMb ?? Number.NaN) },
      note: `FerretDB peak ${round(o.ferretPeakMb ?? Number.NaN)} MB`,
    };
    rows.push(o.employees >= 100_000 ? below(rss, 500, '< 500 MB') : rss);
  }
  const at = (n: number) => outcomes.find((o) => o.employees === n && o.finished)?.runs[0]?.wallMs;
  const big = Math.max(...outcomes.map((o) => o.employees));
  const mid = big / 10;
  const bigMs = at(big);
  const midMs = at(mid);
  if (bigMs !== undefined && midMs !== undefined) {
    const r = ratio(bigMs, midMs);
    rows.push({
      measure,
      metric: `time ratio ${big / 1000}k / ${mid / 1000}k`,
      value: r,
      unit: '×',
      baseline: { label: `${mid / 1000}k sweep s`, value: round(midMs / 1000, 2) },
      ratio: r,
      target: '≈ 10 (≤ 15)',
      met: r <= 15,
    });
  }
  return rows;
}
