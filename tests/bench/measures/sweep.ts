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
  report: Record<string, number | string | boolean>;
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
  /** Both sweeps finished (the target); the nightly job is reported on its own. */
  finished: boolean;
  /** The last progress report of a run that did not finish: what it had done, what it waited on. */
  lastProgress?: SweepProgress;
  rssBeforeMb?: number;
  /** Peak RSS of the child after the two sweeps. */
  maxRssMb?: number;
  ferretPeakMb?: number | null;
  runs: SweepRun[];
  /** The nightly job after the sweeps (missing when it did not finish in time). */
  nightly?: SweepRun;
  /** Peak RSS of the child after the nightly job too. */
  nightlyMaxRssMb?: number;
}

/** Runs children/sweep.ts against `dbName`; kills it after `timeoutS`. */
export async function sweepInChild(
  ctx: BenchContext,
  dbName: string,
  employees: number,
  ferretPid: number | null,
  timeoutS: number,
  /** Extra options for children/sweep.ts (e.g. the refresher measurement's spaced-off repeat). */
  childOptions: { spacedOffRepeat?: boolean; nightly?: boolean } = {},
): Promise<SweepOutcome> {
  if (ferretPid) await resetPeak(ferretPid);
  let ferretCpu = ferretPid ? await cpuMsOf(ferretPid) : null;
  const runs: SweepRun[] = [];
  const ferretCpuPerRun: Array<number | null> = [];
  const child = fork(path.join(here, '../children/sweep.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_SWEEP: JSON.stringify({ mongoUri: ctx.mongoUri, dbName, ...childOptions }) },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let stdout = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  let lastProgress: SweepProgress | undefined;
  let maxRssMb: number | undefined;
  const done: SweepRun[] = [];
  child.on(
    'message',
    async (m: { type?: string; run?: SweepRun; maxRssMb?: number } & Partial<SweepProgress>) => {
      if (m.type === 'progress') lastProgress = m as SweepProgress;
      if (m.type !== 'sweep-done' || !m.run) return;
      if (m.run.label !== 'nightly') maxRssMb = m.maxRssMb;
      done.push(m.run);
      if (!ferretPid) return;
      const nowCpu = await cpuMsOf(ferretPid);
      ferretCpuPerRun.push(nowCpu !== null && ferretCpu !== null ? nowCpu - ferretCpu : null);
      ferretCpu = nowCpu;
    },
  );
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  const ferretPeakMb = ferretPid ? ((await memoryOf(ferretPid))?.peak ?? Number.NaN) / 2 ** 20 : null;
  done.forEach((r, i) => {
    runs.push({ ...r, ferretCpuMs: ferretCpuPerRun[i] ?? null });
  });
  const sweeps = runs.filter((r) => r.label !== 'nightly');
  const nightly = runs.find((r) => r.label === 'nightly');
  if (code !== 0)
    return {
      employees,
      finished: sweeps.length >= 2,
      ferretPeakMb,
      maxRssMb,
      runs: sweeps,
      nightly,
      lastProgress,
    };
  const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as Pick<
    SweepOutcome,
    'rssBeforeMb' | 'maxRssMb' | 'nightlyMaxRssMb'
  >;
  return {
    employees,
    finished: true,
    rssBeforeMb: out.rssBeforeMb,
    maxRssMb: out.maxRssMb,
    nightlyMaxRssMb: out.nightlyMaxRssMb,
    ferretPeakMb,
    runs: sweeps,
    nightly,
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

/** The nightly job's row: time, CPU, peak RSS and where its database time went. */
function nightlyRow(o: SweepOutcome, size: string, timeoutS: number): Row {
  const metric = `${size}: nightly job (clauses, catch-up, names, sessions, digest)`;
  const n = o.nightly;
  if (!n)
    return {
      measure: 'refresher sweep',
      metric,
      value: Number.NaN,
      unit: 's',
      note: `did not finish within ${timeoutS} s`,
    };
  return {
    measure: 'refresher sweep',
    metric,
    value: round(n.wallMs / 1000, 2),
    unit: 's',
    note: `peak RSS ${round(o.nightlyMaxRssMb ?? Number.NaN)} MB; node CPU ${round(n.nodeCpuMs / 1000, 1)} s, FerretDB CPU ${n.ferretCpuMs == null ? '?' : round(n.ferretCpuMs / 1000, 1)} s; ${topDbTime(n)}`,
  };
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
    rows.push(nightlyRow(o, size, timeoutS));
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
