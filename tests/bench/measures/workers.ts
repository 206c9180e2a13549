import os from 'node:os';
import { type BenchContext, openOrgFixture } from '../lib/context.js';
import type { CpuSplit } from '../lib/cpu-split.js';
import { waitForIdle } from '../lib/cpu-split.js';
import type { MeasureResult, Row } from '../lib/results.js';
import { startServerTarget } from '../lib/server-target.js';
import { ratio, round } from '../lib/stats.js';
import { type ExamBurstOptions, measureExamBurst } from './exam-burst.js';
import { type LessonPageOptions, measureLessonPage } from './lesson-page.js';
import { measureQuizSubmit, type QuizSubmitOptions } from './quiz-submit.js';

/**
 * Cluster mode (issue #30): the real `src/server.ts` with `WORKERS=1`, then `WORKERS=2`, each on its
 * own database holding the same synthetic organisation (same seed, same "today"), through the same
 * lesson page, quiz submission and exam-day code as the single-process measurements.
 */

export interface WorkersOptions {
  /** The WORKERS values, in the order they run; the first is the baseline of the others. */
  counts: number[];
  employees: number;
  lesson: LessonPageOptions;
  quiz: QuizSubmitOptions;
  burst: ExamBurstOptions;
  logLevel?: string;
}

interface Latency {
  p95: number;
  p99: number;
}

/** What one WORKERS value achieved. */
export interface WorkersRun {
  workers: number;
  /** The app's processes during the runs: the primary and its workers (1 without cluster mode). */
  processes: number;
  loadAverage: number[];
  lesson: Latency & { rps: number; failures: number; cpu: CpuSplit | null };
  quiz: Latency & { gradedPerS: number; graded: number; stored: number; cpu: CpuSplit | null };
  burst: {
    learners: number;
    errors: number;
    startsWithinWindow: number;
    admittedPerS: number;
    toStart: Latency;
    submit: Latency;
    cpu: CpuSplit | null;
  };
  results: MeasureResult[];
}

type Details = Record<string, unknown>;
const num = (v: unknown) => (typeof v === 'number' ? v : Number.NaN);
const rowValue = (r: MeasureResult, prefix: string) =>
  r.rows.find((row) => row.metric.startsWith(prefix))?.value ?? Number.NaN;

/** The figures this measure compares, read from the three measurements' results. */
function summarise(
  workers: number,
  processes: number,
  results: MeasureResult[],
): Omit<WorkersRun, 'loadAverage' | 'results'> {
  const [lesson, quiz, burst] = results.map((r) => (r.details ?? {}) as Details) as [
    Details,
    Details,
    Details,
  ];
  const quizApp = quiz.app as { p95: number; p99: number };
  const p = (key: 'p95' | 'p99', field: string) => num((burst[key] as Details)[field]);
  return {
    workers,
    processes,
    lesson: {
      rps: rowValue(results[0]!, 'req/s'),
      p95: num(lesson.p95),
      p99: num(lesson.p99),
      failures: rowValue(results[0]!, 'failed responses'),
      cpu: (lesson.cpu as CpuSplit | null) ?? null,
    },
    quiz: {
      gradedPerS: num(quiz.gradedPerS),
      p95: quizApp.p95,
      p99: quizApp.p99,
      graded: num(quiz.graded),
      stored: num(quiz.stored),
      cpu: (quiz.cpu as CpuSplit | null) ?? null,
    },
    burst: {
      learners: num(burst.learners),
      errors: num(burst.errors),
      startsWithinWindow: num(burst.startsWithinWindow),
      admittedPerS: num(burst.admittedPerS),
      toStart: { p95: p('p95', 'toStart'), p99: p('p99', 'toStart') },
      submit: { p95: p('p95', 'submit'), p99: p('p99', 'submit') },
      cpu: (burst.cpu as CpuSplit | null) ?? null,
    },
  };
}

/** One WORKERS value: its organisation, the server, the three loads, then everything dropped. */
export async function workersRunAt(
  ctx: BenchContext,
  workers: number,
  opts: WorkersOptions,
  now: Date,
): Promise<WorkersRun> {
  const loadAverage = os.loadavg().map((l) => round(l, 2));
  ctx.log(
    `\n== WORKERS=${workers} (src/server.ts), ${opts.employees}-person organisation, load ${loadAverage.join(' ')}`,
  );
  const fx = await openOrgFixture(ctx, {
    label: `workers${workers}`,
    employees: opts.employees,
    // Like the web organisation by default: every append would otherwise scan the log.
    audit: false,
    now,
    startApp: (dbName) =>
      startServerTarget({ mongoUri: ctx.mongoUri, dbName, workers, logLevel: opts.logLevel }),
  });
  try {
    const processes = (await fx.app.cpuPids()).length;
    ctx.log(`  ${processes} app process(es); lesson page…`);
    const results = [await measureLessonPage(fx, opts.lesson)];
    ctx.log('  quiz submission…');
    results.push(await measureQuizSubmit(fx, opts.quiz));
    results.push(await measureExamBurst(fx, opts.burst));
    return { ...summarise(workers, processes, results), loadAverage, results };
  } finally {
    await fx.close();
    // Whatever FerretDB still does for this run (dropping its database) must not fall into the next.
    await waitForIdle(ctx.dbPid, 60_000);
  }
}

const pct = (ms: number | null | undefined, s: CpuSplit | null) =>
  s && ms != null ? `${Math.round((ms / s.wallMs) * 100)}%` : '?';

/** "app 180% (primary 12%, workers 84% + 84%), FerretDB 95%, load generator 20% of one core". */
export function describeCpu(s: CpuSplit | null): string {
  if (!s) return 'CPU: n/a';
  const each = Object.values(s.appByPid);
  const parts =
    each.length > 1
      ? ` (primary ${pct(each[0], s)}, workers ${each
          .slice(1)
          .map((ms) => pct(ms, s))
          .join(' + ')})`
      : '';
  // What the rest of the machine took meanwhile (other users of a shared machine), if /proc says.
  const ours = (s.appCpuMs ?? 0) + (s.dbCpuMs ?? 0) + s.loadCpuMs;
  const others =
    s.machineCpuMs === null ? '' : `, everything else ${pct(Math.max(0, s.machineCpuMs - ours), s)}`;
  return `CPU: app ${pct(s.appCpuMs, s)}${parts}, FerretDB ${pct(s.dbCpuMs, s)}, load generator ${pct(s.loadCpuMs, s)}${others} (of one core; ${os.availableParallelism()} cores = ${os.availableParallelism() * 100}%)`;
}

/** One row per WORKERS value and figure; every value after the first carries the first as its baseline. */
export function workerRows(runs: WorkersRun[]): Row[] {
  const first = runs[0];
  if (!first) return [];
  const figures: {
    metric: string;
    unit: string;
    pick: (r: WorkersRun) => number;
    note?: (r: WorkersRun) => string;
  }[] = [
    {
      metric: 'app processes (primary + workers)',
      unit: 'proc',
      pick: (r) => r.processes,
      note: (r) => `load average at start ${r.loadAverage.join(' ')}`,
    },
    {
      metric: 'lesson page req/s',
      unit: 'req/s',
      pick: (r) => r.lesson.rps,
      note: (r) => `${r.lesson.failures} failed; ${describeCpu(r.lesson.cpu)}`,
    },
    {
      metric: 'lesson page p95',
      unit: 'ms',
      pick: (r) => r.lesson.p95,
      note: (r) => `p99 ${round(r.lesson.p99)} ms`,
    },
    {
      metric: 'quiz submissions graded+stored/s',
      unit: 'req/s',
      pick: (r) => r.quiz.gradedPerS,
      note: (r) => `${r.quiz.graded} graded, ${r.quiz.stored} stored; ${describeCpu(r.quiz.cpu)}`,
    },
    {
      metric: 'quiz submit p95',
      unit: 'ms',
      pick: (r) => r.quiz.p95,
      note: (r) => `p99 ${round(r.quiz.p99)} ms`,
    },
    {
      metric: 'exam day: learners admitted/s',
      unit: 'learner/s',
      pick: (r) => r.burst.admittedPerS,
      note: (r) =>
        `${r.burst.startsWithinWindow} of ${r.burst.learners} starts answered within the window, ${r.burst.errors} errors; ${describeCpu(r.burst.cpu)}`,
    },
    {
      metric: 'exam day: quiz page opened → attempt started p95',
      unit: 'ms',
      pick: (r) => r.burst.toStart.p95,
      note: (r) => `p99 ${round(r.burst.toStart.p99)} ms`,
    },
    {
      metric: 'exam day: submit p95',
      unit: 'ms',
      pick: (r) => r.burst.submit.p95,
      note: (r) => `p99 ${round(r.burst.submit.p99)} ms`,
    },
  ];
  return figures.flatMap((f) =>
    runs.map(
      (r): Row => ({
        measure: `WORKERS=${r.workers}`,
        metric: f.metric,
        value: round(f.pick(r)),
        unit: f.unit,
        ...(r === first
          ? {}
          : {
              baseline: { label: `WORKERS=${first.workers}`, value: round(f.pick(first)) },
              ratio: ratio(f.pick(r), f.pick(first)),
            }),
        ...(f.note ? { note: f.note(r) } : {}),
      }),
    ),
  );
}

/** Every WORKERS value in turn, on organisations generated alike. */
export async function measureWorkers(ctx: BenchContext, opts: WorkersOptions): Promise<MeasureResult> {
  const now = new Date();
  const runs: WorkersRun[] = [];
  for (const workers of opts.counts) runs.push(await workersRunAt(ctx, workers, opts, now));
  return {
    id: 'workers',
    title: `Cluster mode: src/server.ts with WORKERS=${opts.counts.join(' then ')}, ${opts.employees}-person org`,
    rows: workerRows(runs),
    details: { cores: os.availableParallelism(), runs },
  };
}
