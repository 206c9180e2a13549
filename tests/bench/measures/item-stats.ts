import v8 from 'node:v8';
import vm from 'node:vm';
import { openDb } from '../../../src/db/connection.js';
import type { AttemptResultDoc } from '../../../src/db/models/quiz.js';
import type { Course, Question } from '../../../src/domain/course.js';
import { type Answers, drawQuestions, gradeAttempt, seededRng } from '../../../src/domain/quiz/index.js';
import { CourseItemTallies, storeItemStats } from '../../../src/services/reporting/item-stats.js';
import { rollUpClauseMisses } from '../../../src/services/reporting/summaries.js';
import { buildAttemptResult } from '../../factories.js';
import { answerFor } from '../lib/answers.js';
import type { BenchContext } from '../lib/context.js';
import { benchDbName } from '../lib/ferret.js';
import type { MeasureResult, Row } from '../lib/results.js';
import { MB, ratio, round, timed } from '../lib/stats.js';
import { BatchWriter } from '../synthetic/writer.js';

export interface ItemStatsTiming {
  attempts: number;
  seedMs: number;
  /** The baseline: the nightly job's clause report alone (its pass over the results), as before. */
  bareMs: number;
  /** The same pass feeding the item statistics' running sums, then one upsert per question. */
  computeMs: number;
  /** Highest live heap (after a full collection) during the computation, above the one before it. */
  heapGrowthMb: number;
  written: number;
}

/** A graded attempt by a learner of the given ability (chance of a right answer), drawn and graded by the app's code. */
function syntheticResult(
  course: Course,
  byId: ReadonlyMap<string, Question>,
  i: number,
  ability: number,
): AttemptResultDoc {
  const rng = seededRng(`bench-items:${i}`);
  const draw = drawQuestions(course.questions, course.quiz.questionsPerAttempt, rng);
  const answers: Answers = {};
  for (const d of draw) answers[d.questionId] = answerFor(byId.get(d.questionId)!, rng() < ability);
  const grade = gradeAttempt(byId, draw, answers, course.quiz.passingScore);
  const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000);
  const cycle = { _id: `bench-${i}:${course.id}:1`, userId: `bench-${i}`, courseId: course.id };
  return buildAttemptResult({ ...cycle, contentVersion: course.version }, 1, {
    score: grade.score,
    passed: grade.passed,
    passingScore: course.quiz.passingScore,
    questions: grade.questions,
    clauses: grade.clauses,
    answers,
    startedAt: at,
    submittedAt: at,
    receivedAt: at,
  });
}

/** V8's collector on demand (the bench is not started with --expose-gc). */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/**
 * Live heap while `fn` runs: a full collection, then a reading, once a second (about 1–2 % of the
 * time), so the figure is what the computation holds, not garbage waiting to be collected. The
 * highest reading above the one before.
 */
async function liveHeapGrowth<T>(fn: () => Promise<T>): Promise<{ value: T; growthMb: number }> {
  const gc = collector();
  const live = () => {
    gc();
    return process.memoryUsage().heapUsed;
  };
  const before = live();
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, live());
  }, 1000);
  try {
    const value = await fn();
    peak = Math.max(peak, live());
    return { value, growthMb: round((peak - before) / MB, 1) };
  } finally {
    clearInterval(timer);
  }
}

/**
 * The nightly item statistics over `attempts` graded attempts of the real course (abilities from
 * 0.3 to 0.95, so the figures vary), in a database of their own: the nightly job's pass over the
 * quiz results (the clause report) feeding the item sums, then the upserts, next to the same pass
 * without them (what the nightly job did before) in the same process.
 */
export async function itemStatsAt(ctx: BenchContext, attempts: number): Promise<ItemStatsTiming> {
  const db = await openDb(ctx.mongoUri, benchDbName(`items${attempts}`));
  try {
    const seeded = await timed(async () => {
      const writer = new BatchWriter(db.models);
      const byId = new Map(ctx.course.questions.map((q) => [q.id, q]));
      for (let i = 0; i < attempts; i += 1) {
        const ability = 0.3 + (0.65 * ((i * 7919) % 100)) / 99;
        await writer.add('AttemptResult', [syntheticResult(ctx.course, byId, i, ability)]);
      }
      await writer.flush();
    });
    const courses = new Map([[ctx.course.id, ctx.course]]);
    const bare = await timed(async () => (await rollUpClauseMisses(db.models, courses)).answers);
    const computed = await timed(() =>
      liveHeapGrowth(async () => {
        const tallies = new CourseItemTallies(courses.keys());
        await rollUpClauseMisses(db.models, courses, (r) => tallies.add(r));
        return storeItemStats({ models: db.models, courses }, { tallies, now: new Date() });
      }),
    );
    if (computed.value.value.attempts !== attempts || bare.value !== attempts)
      throw new Error(`item statistics counted ${computed.value.value.attempts} of ${attempts} attempts`);
    ctx.log(
      `  clause report + item statistics at ${attempts} attempts: ${round(computed.ms / 1000, 2)} s (clause report alone ${round(bare.ms / 1000, 2)} s)`,
    );
    return {
      attempts,
      seedMs: seeded.ms,
      bareMs: bare.ms,
      computeMs: computed.ms,
      heapGrowthMb: computed.value.growthMb,
      written: computed.value.value.written,
    };
  } finally {
    await db.conn.dropDatabase().catch(() => {});
    await db.close();
  }
}

export function itemStatsRows(timings: ItemStatsTiming[]): Row[] {
  const measure = 'item statistics (nightly)';
  const rows: Row[] = [];
  for (const t of timings) {
    rows.push(
      {
        measure,
        metric: `${t.attempts} graded attempts`,
        value: round(t.computeMs / 1000, 2),
        unit: 's',
        baseline: { label: 'clause report alone', value: round(t.bareMs / 1000, 2) },
        ratio: ratio(t.computeMs, t.bareMs),
        note: `${t.written} question documents upserted; seeding took ${round(t.seedMs / 1000, 1)} s`,
      },
      {
        measure,
        metric: `live heap growth at ${t.attempts}`,
        value: t.heapGrowthMb,
        unit: 'MB',
        note: 'running sums per question: should not grow with the attempts',
      },
    );
  }
  const [small, large] = [timings[0], timings.at(-1)];
  if (small && large && large !== small)
    rows.push({
      measure,
      metric: `${large.attempts}/${small.attempts} time`,
      value: ratio(large.computeMs, small.computeMs),
      unit: '×',
      note: `${large.attempts / small.attempts}× the attempts: linear is ${large.attempts / small.attempts}×`,
    });
  return rows;
}

/** Item statistics at each size, each in its own database. */
export async function measureItemStats(ctx: BenchContext, sizes: number[]): Promise<MeasureResult> {
  ctx.log('\n== item statistics');
  const timings: ItemStatsTiming[] = [];
  for (const attempts of sizes) timings.push(await itemStatsAt(ctx, attempts));
  return {
    id: 'items',
    title: 'Nightly item statistics',
    rows: itemStatsRows(timings),
    details: { timings },
  };
}
