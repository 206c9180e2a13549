import { openDb } from '../../../src/db/connection.js';
import { driverCollection } from '../../../src/db/driver-collection.js';
import { attemptKey } from '../../../src/db/keys.js';
import type { AttemptResultDoc } from '../../../src/db/models/quiz.js';
import { readAhead } from '../../../src/db/read-ahead.js';
import type { Course, Question } from '../../../src/domain/course.js';
import { type Answers, drawQuestions, gradeAttempt, seededRng } from '../../../src/domain/quiz/index.js';
import { computeItemStats } from '../../../src/services/reporting/item-stats.js';
import { answerFor } from '../lib/answers.js';
import type { BenchContext } from '../lib/context.js';
import { benchDbName } from '../lib/ferret.js';
import type { MeasureResult, Row } from '../lib/results.js';
import { MB, ratio, round, timed } from '../lib/stats.js';
import { BatchWriter } from '../synthetic/writer.js';

export interface ItemStatsTiming {
  attempts: number;
  seedMs: number;
  /** The baseline: the same cursor pass over the results (same projection), counting only. */
  bareMs: number;
  /** The nightly computation: the pass with the running sums, then one upsert per question. */
  computeMs: number;
  /** Highest heap in use during the computation, above the heap before it. */
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
  const cycleId = `bench-${i}:${course.id}:1`;
  return {
    _id: attemptKey(cycleId, 1),
    userId: `bench-${i}`,
    courseId: course.id,
    cycleId,
    n: 1,
    contentVersion: course.version,
    score: grade.score,
    passed: grade.passed,
    passingScore: course.quiz.passingScore,
    questions: grade.questions,
    clauses: grade.clauses,
    answers,
    startedAt: at,
    submittedAt: at,
    receivedAt: at,
    timedOut: false,
  };
}

/** Heap in use, sampled every 50 ms while `fn` runs: the highest reading above the one before. */
async function heapGrowth<T>(fn: () => Promise<T>): Promise<{ value: T; growthMb: number }> {
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 50);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return { value, growthMb: round((peak - before) / MB, 1) };
  } finally {
    clearInterval(timer);
  }
}

/**
 * The nightly item statistics over `attempts` graded attempts of the real course (abilities from
 * 0.3 to 0.95, so the figures vary), in a database of their own, next to a bare pass over the same
 * results in the same process.
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
    const bare = await timed(async () => {
      let n = 0;
      const cursor = driverCollection(db.models.AttemptResult).find(
        {},
        { projection: { _id: 0, courseId: 1, questions: 1, answers: 1 }, batchSize: 2000 },
      );
      for await (const batch of readAhead(cursor)) n += batch.length;
      return n;
    });
    const courses = new Map([[ctx.course.id, ctx.course]]);
    const computed = await timed(() =>
      heapGrowth(() => computeItemStats({ models: db.models, courses }, { now: new Date() })),
    );
    if (computed.value.value.attempts !== attempts || bare.value !== attempts)
      throw new Error(`item statistics counted ${computed.value.value.attempts} of ${attempts} attempts`);
    ctx.log(
      `  item statistics at ${attempts} attempts: ${round(computed.ms / 1000, 2)} s (bare pass ${round(bare.ms / 1000, 2)} s)`,
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
        baseline: { label: 'bare pass', value: round(t.bareMs / 1000, 2) },
        ratio: ratio(t.computeMs, t.bareMs),
        note: `${t.written} question documents upserted; seeding took ${round(t.seedMs / 1000, 1)} s`,
      },
      {
        measure,
        metric: `heap growth at ${t.attempts}`,
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
