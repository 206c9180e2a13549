import { openDb } from '../../../src/db/connection.js';
import { driverCollection } from '../../../src/db/driver-collection.js';
import { assignmentKey, attemptKey, clauseMemoryKey, cycleKey } from '../../../src/db/keys.js';
import type { Models } from '../../../src/db/models/index.js';
import type { ClauseMemoryDoc } from '../../../src/db/models/mastery.js';
import type { AttemptDoc, AttemptResultDoc } from '../../../src/db/models/quiz.js';
import type { AssignmentDoc, CycleDoc } from '../../../src/db/models/training.js';
import { readAhead } from '../../../src/db/read-ahead.js';
import type { Course } from '../../../src/domain/course.js';
import { addMonthsClamped, utcDay } from '../../../src/domain/dates.js';
import { type ClauseReview, memoryFrom, mostDue, recall } from '../../../src/domain/mastery/memory.js';
import {
  decidePath,
  drawPretest,
  type LastAttempt,
  lessonsToStudy,
  pretestPlan,
  quizDrawPlan,
} from '../../../src/domain/mastery/refresher-path.js';
import { SPACED_CLAUSE_COUNT, spacedRefresherDue } from '../../../src/domain/mastery/spaced.js';
import { seededRng } from '../../../src/domain/quiz/random.js';
import { defaultSettings } from '../../../src/services/assignments/course-settings.js';
import { APPLIED_KEPT, appliedId } from '../../../src/services/learning/mastery.js';
import { buildAssignment, buildAttempt, buildAttemptResult, buildCycle } from '../../factories.js';
import type { BenchContext } from '../lib/context.js';
import { benchDbName } from '../lib/ferret.js';
import { below, type MeasureResult, type Row } from '../lib/results.js';
import { percentile, ratio, round, timed } from '../lib/stats.js';
import { BatchWriter } from '../synthetic/writer.js';
import { generateOrg } from '../synthetic-org.js';
import { type SweepOutcome, sweepInChild, topDbTime } from './sweep.js';

/**
 * Issue #23's two speed targets, on learners whose stored state is written straight to a database
 * of their own (no full synthetic organisation: only what the refresher work reads):
 *  - the spaced-refresher selection over every learner (the sweep step's work: is a spaced
 *    refresher due for the completion, and which SPACED_CLAUSE_COUNT clauses are most due, chosen
 *    for every learner as an upper bound although only the due need them), at two sizes, against a bare pass over the same memories in the same process, and the large/small ratio;
 *  - one learner's refresher path from stored state: the reads by `_id` (assignment, this and the
 *    previous cycle, the last graded attempt and its result, the clause memory) and the path rules
 *    (pretest plan and draw, the decision from the graded pretest, lessons to study, the scoped quiz
 *    plan), p50/p99 over a sample, against the same five reads alone.
 */

const DAY = 86_400_000;
/** The largest organisation the refresher measurement also runs the nightly job on. */
const NIGHTLY_UP_TO = 10_000;
const SAMPLE = 200;

export interface RefresherTiming {
  learners: number;
  seedMs: number;
  /** A cursor pass over the clause memories, nothing computed: the baseline. */
  bareMs: number;
  /** The same pass choosing each learner's spaced refresher. */
  selectMs: number;
  due: number;
  /** Per learner, the path from stored state. */
  pathMs: { p50: number; p99: number };
  /** The same reads alone. */
  readsMs: { p50: number; p99: number };
}

/** Learner i's history: a quiz a year ago and one ~4 months ago, abilities spread over the clauses. */
function historyOf(course: Course, i: number, now: Date): ClauseReview[] {
  const rng = seededRng(`bench-refresher:${i}`);
  const ability = 0.3 + 0.7 * rng();
  const at = [
    new Date(now.getTime() - (330 + (i % 30)) * DAY),
    new Date(now.getTime() - (100 + (i % 60)) * DAY),
  ];
  return at.flatMap((when, k) =>
    course.clauses.map((c) => ({
      eventId: `q${k}`,
      clauseId: c.id,
      at: when,
      score: rng() < ability ? 1 : 0,
      source: 'quiz' as const,
    })),
  );
}

/** The stored state of learner i: an open refresher cycle 2 after a completed, attested cycle 1. */
function learnerDocs(course: Course, i: number, now: Date) {
  const userId = `bench-r-${i}`;
  const person = {
    _id: userId,
    department: `Dept ${i % 50}`,
    managerId: null,
    name: userId,
    email: `${userId}@bench.test`,
  };
  // Completions spread over the 90 days before the first spaced refresher (every 3 months) is due.
  const completedAt = new Date(addMonthsClamped(utcDay(now), -3).getTime() - (i % 90) * DAY + 3_600_000);
  const c1 = buildCycle(person, 1, {
    contentVersion: course.version,
    passedAt: completedAt,
    passedAttemptId: attemptKey(cycleKey(userId, course.id, 1), 1),
    attestedAt: completedAt,
    attestedVersion: course.version,
    completedAt,
  });
  const c2 = buildCycle(person, 2, { contentVersion: course.version, openedAt: now });
  const draw = course.questions.slice(i % 20, (i % 20) + course.quiz.questionsPerAttempt);
  const reviews = historyOf(course, i, now);
  const last = reviews.filter((r) => r.eventId === 'q1');
  const clauses = Object.fromEntries(last.map((r) => [r.clauseId, { correct: r.score, total: 1 }]));
  return {
    Assignment: buildAssignment(person as never, {
      cycleNo: 2,
      completedAt,
      state: 'in-progress',
    }) as AssignmentDoc,
    Cycle: [c1, c2] as CycleDoc[],
    Attempt: buildAttempt(c1, 1, {
      draw: draw.map((q) => ({ questionId: q.id, choiceIds: [] })),
      status: 'graded',
    }),
    AttemptResult: buildAttemptResult(c1, 1, { clauses, passed: true, score: 90 }) as AttemptResultDoc,
    ClauseMemory: {
      _id: clauseMemoryKey(userId, course.id),
      userId,
      courseId: course.id,
      department: person.department,
      clauses: memoryFrom(reviews),
      applied: appliedOf(userId),
      updatedAt: now,
    } satisfies ClauseMemoryDoc,
  };
}

/**
 * A realistic `applied` list: a year's graded events of one learner (two quiz results, the course's
 * example answers in two cycles, a few practices), as the short ids the service keeps.
 * BENCH_LONG_APPLIED=1 keeps the full ids instead (what was stored before short ids), to compare.
 */
const APPLIED_EVENTS = 60;
function appliedOf(userId: string): string[] {
  const full = Array.from(
    { length: APPLIED_EVENTS },
    (_, k) =>
      `example:${userId}:social-media-policy:example:${userId}:social-media-policy:${1 + (k % 2)}:ex-${k}`,
  );
  return full.map(appliedKept);
}
const appliedKept = (eventId: string) =>
  process.env.BENCH_LONG_APPLIED === '1' ? eventId : appliedId(eventId);

async function seed(models: Models, course: Course, learners: number, now: Date): Promise<void> {
  const writer = new BatchWriter(models);
  for (let i = 0; i < learners; i += 1) {
    const d = learnerDocs(course, i, now);
    await writer.add('Assignment', [d.Assignment]);
    await writer.add('Cycle', d.Cycle);
    await writer.add('Attempt', [d.Attempt]);
    await writer.add('AttemptResult', [d.AttemptResult]);
    await writer.add('ClauseMemory', [d.ClauseMemory]);
  }
  await writer.flush();
}

type MemoryRow = Pick<ClauseMemoryDoc, 'userId' | 'clauses' | 'updatedAt'>;

/** One pass over the course's clause memories; `each` gets every document (nothing: the baseline). */
async function passOverMemories(
  models: Models,
  courseId: string,
  each: (m: MemoryRow) => void,
): Promise<number> {
  let n = 0;
  const cursor = driverCollection(models.ClauseMemory).find<MemoryRow>(
    { courseId },
    { projection: { _id: 0, userId: 1, clauses: 1, updatedAt: 1 }, batchSize: 2000 },
  );
  for await (const batch of readAhead(cursor))
    for (const m of batch) {
      n += 1;
      each(m);
    }
  return n;
}

/** The reads a refresher path needs, each by `_id`. */
async function readState(models: Models, courseId: string, userId: string) {
  const [assignment, cycle, previous, memory] = await Promise.all([
    models.Assignment.findById(assignmentKey(userId, courseId)).lean<AssignmentDoc>(),
    models.Cycle.findById(cycleKey(userId, courseId, 2)).lean<CycleDoc>(),
    models.Cycle.findById(cycleKey(userId, courseId, 1)).lean<CycleDoc>(),
    models.ClauseMemory.findById(clauseMemoryKey(userId, courseId)).lean<ClauseMemoryDoc>(),
  ]);
  const attemptId = previous?.passedAttemptId ?? '';
  const [attempt, result] = await Promise.all([
    models.Attempt.findById(attemptId).lean<AttemptDoc>(),
    models.AttemptResult.findById(attemptId).lean<AttemptResultDoc>(),
  ]);
  if (!assignment || !cycle || !memory || !attempt || !result)
    throw new Error(`state of ${userId} incomplete`);
  return { cycle, memory, attempt, result };
}

/** A learner's refresher path from stored state; the pretest is answered as their memory predicts. */
async function pathFromStoredState(models: Models, course: Course, userId: string, now: Date) {
  const { memory, attempt, result } = await readState(models, course.id, userId);
  const last: LastAttempt = { questionIds: attempt.draw.map((d) => d.questionId), clauses: result.clauses };
  const plan = pretestPlan(course, [], last);
  const draw = drawPretest(course.questions, plan, last, seededRng(userId));
  const byId = new Map(course.questions.map((q) => [q.id, q]));
  const graded = draw.map((d) => {
    const clauses = byId.get(d.questionId)!.clauses;
    const known = clauses.every((c) => recall(memory.clauses[c], now) >= 0.9);
    return { questionId: d.questionId, points: known ? 1 : 0, clauses };
  });
  const decision = decidePath(course, [], graded);
  const refresher = { status: 'decided' as const, pretestAttemptId: 'x', study: decision.study };
  return {
    decision,
    lessons: lessonsToStudy(course, decision.study),
    quiz: quizDrawPlan(course, course.questions, refresher),
  };
}

async function sampleTimes(fn: (userId: string) => Promise<unknown>, learners: number): Promise<number[]> {
  const times: number[] = [];
  for (let k = 0; k < SAMPLE; k += 1) {
    const userId = `bench-r-${(k * 7919) % learners}`;
    const t0 = performance.now();
    await fn(userId);
    times.push(performance.now() - t0);
  }
  return times;
}

export async function refresherAt(ctx: BenchContext, learners: number): Promise<RefresherTiming> {
  const db = await openDb(ctx.mongoUri, benchDbName(`refresher${learners}`));
  const course = ctx.course;
  const now = new Date();
  try {
    const seeded = await timed(() => seed(db.models, course, learners, now));
    const clauseIds = course.clauses.map((c) => c.id);
    const completed = new Map<string, Date>();
    for (let i = 0; i < learners; i += 1)
      completed.set(`bench-r-${i}`, learnerDocs(course, i, now).Cycle[0]!.completedAt!);
    const bare = await timed(() => passOverMemories(db.models, course.id, () => {}));
    let due = 0;
    const select = await timed(() =>
      passOverMemories(db.models, course.id, (m) => {
        if (!spacedRefresherDue({ completedAt: completed.get(m.userId) ?? null, everyMonths: 3 }, now))
          return;
        if (mostDue(m.clauses, clauseIds, now, SPACED_CLAUSE_COUNT).length > 0) due += 1;
      }),
    );
    if (bare.value !== learners || select.value !== learners)
      throw new Error(`passed over ${select.value} of ${learners} memories`);
    const reads = await sampleTimes((u) => readState(db.models, course.id, u), learners);
    const path = await sampleTimes((u) => pathFromStoredState(db.models, course, u, now), learners);
    const pct = (t: number[]) => ({ p50: round(percentile(t, 50), 2), p99: round(percentile(t, 99), 2) });
    ctx.log(
      `  ${learners} learners: selection ${round(select.ms / 1000, 2)} s (bare pass ${round(bare.ms / 1000, 2)} s, ${due} due); path p50 ${pct(path).p50} ms`,
    );
    return {
      learners,
      seedMs: seeded.ms,
      bareMs: bare.ms,
      selectMs: select.ms,
      due,
      pathMs: pct(path),
      readsMs: pct(reads),
    };
  } finally {
    await db.conn.dropDatabase().catch(() => {});
    await db.close();
  }
}

export function refresherRows(timings: RefresherTiming[]): Row[] {
  const measure = 'refreshers (issue #23)';
  const rows: Row[] = [];
  for (const t of timings) {
    rows.push(
      below(
        {
          measure,
          metric: `spaced selection, ${t.learners} learners`,
          value: round(t.selectMs / 1000, 2),
          unit: 's',
          baseline: { label: 'bare pass over the memories', value: round(t.bareMs / 1000, 2) },
          ratio: ratio(t.selectMs, t.bareMs),
          note: `${t.due} due (every 3 months); seeding took ${round(t.seedMs / 1000, 1)} s`,
        },
        30,
      ),
      below(
        {
          measure,
          metric: `refresher path p50, ${t.learners} learners`,
          value: t.pathMs.p50,
          unit: 'ms',
          baseline: { label: 'its five _id reads alone', value: t.readsMs.p50 },
          ratio: ratio(t.pathMs.p50, t.readsMs.p50),
          note: `p99 ${t.pathMs.p99} ms (reads alone ${t.readsMs.p99} ms), ${SAMPLE} learners`,
        },
        50,
      ),
    );
  }
  const [small, large] = [timings[0], timings.at(-1)];
  if (small && large && large !== small)
    rows.push({
      measure,
      metric: `spaced selection ${large.learners}/${small.learners} time`,
      value: ratio(large.selectMs, small.selectMs),
      unit: '×',
      note: `${large.learners / small.learners}× the learners: linear is ${large.learners / small.learners}×`,
    });
  return rows;
}

export interface SpacedSweepTiming {
  employees: number;
  generateMs: number;
  memories: number;
  outcome: SweepOutcome;
  /** Spaced refresher e-mails the first sweep claimed and sent. */
  spacedSent: number;
}

/** 100 distinct memory states, shared round-robin (replaying 100k histories would dominate the setup). */
function memoryStates(course: Course, now: Date): ClauseMemoryDoc['clauses'][] {
  return Array.from({ length: 100 }, (_, i) => memoryFrom(historyOf(course, i, now)));
}

/** A clause memory for every assigned person of the course (the states round-robin). */
async function writeMemories(models: Models, course: Course, now: Date): Promise<number> {
  const states = memoryStates(course, now);
  // The learners' quiz results are in their memory already (as the live hook leaves it), so the
  // nightly repair finds nothing missing, as on a healthy night.
  const results = new Map<string, string[]>();
  const resultCursor = driverCollection(models.AttemptResult).find<Pick<AttemptResultDoc, '_id' | 'userId'>>(
    { courseId: course.id },
    { projection: { _id: 1, userId: 1 }, batchSize: 2000 },
  );
  for await (const batch of readAhead(resultCursor))
    for (const r of batch) results.set(r.userId, [...(results.get(r.userId) ?? []), `attempt:${r._id}`]);
  const writer = new BatchWriter(models);
  let memories = 0;
  const cursor = driverCollection(models.Assignment).find<Pick<AssignmentDoc, 'userId' | 'department'>>(
    { courseId: course.id },
    { projection: { _id: 0, userId: 1, department: 1 }, batchSize: 2000 },
  );
  for await (const batch of readAhead(cursor))
    for (const a of batch) {
      const doc: ClauseMemoryDoc = {
        _id: clauseMemoryKey(a.userId, course.id),
        userId: a.userId,
        courseId: course.id,
        department: a.department,
        clauses: states[memories % states.length]!,
        applied: [...appliedOf(a.userId), ...(results.get(a.userId) ?? []).map(appliedKept)].slice(
          -APPLIED_KEPT,
        ),
        updatedAt: now,
      };
      await writer.add('ClauseMemory', [doc]);
      memories += 1;
    }
  await writer.flush();
  return memories;
}

/**
 * The real refresher sweep (children/sweep.ts, what `jobs:run --job sweep` runs) on a synthetic
 * organisation (synthetic-org.ts: two years of cycles) whose course has a spaced refresher every 3
 * months and a clause memory for every assigned person: the first sweep with spaced refreshers on,
 * the repeat, and the repeat again with them off (the same process's baseline); up to 10k people
 * the nightly job too (its knowledge snapshots, with three past quarters to backfill).
 */
export async function spacedSweepAt(
  ctx: BenchContext,
  employees: number,
  timeoutS: number,
): Promise<SpacedSweepTiming> {
  const dbName = benchDbName(`spaced${employees}`);
  const db = await openDb(ctx.mongoUri, dbName);
  const course = ctx.course;
  const now = new Date();
  try {
    const org = await generateOrg(db.models, {
      employees,
      course,
      now,
      passwordHash: ctx.passwordHash,
      audit: false,
      sessionShare: 0,
    });
    await db.models.CourseSettings.updateOne(
      { _id: course.id },
      { $set: { ...defaultSettings(course, now), spacedEveryMonths: 3 } },
      { upsert: true },
    );
    const memories = await writeMemories(db.models, course, now);
    ctx.log(
      `  ${employees}: organisation in ${round(org.ms / 1000, 1)} s, ${memories} clause memories; sweeping…`,
    );
    // The nightly job only up to 10k: with three past quarters to backfill it replays everyone's history.
    const outcome = await sweepInChild(ctx, dbName, employees, ctx.dbPid, timeoutS, {
      spacedOffRepeat: true,
      nightly: employees <= NIGHTLY_UP_TO,
    });
    const spacedSent = await db.models.Reminder.countDocuments({ kind: 'spaced' });
    ctx.log(
      `  ${employees}: first sweep ${round((outcome.runs[0]?.wallMs ?? Number.NaN) / 1000, 1)} s, ${spacedSent} spaced e-mails`,
    );
    return { employees, generateMs: org.ms, memories, outcome, spacedSent };
  } finally {
    await db.conn.dropDatabase().catch(() => {});
    await db.close();
  }
}

export function spacedSweepRows(timings: SpacedSweepTiming[], timeoutS: number): Row[] {
  const measure = 'spaced refreshers in the sweep (issue #23)';
  const rows: Row[] = [];
  const run = (t: SpacedSweepTiming | undefined, label: string) =>
    t?.outcome.runs.find((r) => r.label === label);
  for (const t of timings) {
    const [first, repeat, off] = ['first', 'repeat', 'repeat-spaced-off'].map((l) => run(t, l));
    rows.push(
      below(
        {
          measure,
          metric: `${t.employees}: first sweep, spaced refreshers on`,
          value: first ? round(first.wallMs / 1000, 2) : Number.NaN,
          unit: 's',
          note: first
            ? `${t.spacedSent} spaced e-mails; ${t.memories} memories; top DB time: ${topDbTime(first, 3)}`
            : `did not finish within ${timeoutS} s`,
        },
        30,
      ),
      {
        measure,
        metric: `${t.employees}: repeat sweep, spaced on`,
        value: repeat ? round(repeat.wallMs / 1000, 2) : Number.NaN,
        unit: 's',
        baseline: {
          label: 'the same repeat, spaced off',
          value: off ? round(off.wallMs / 1000, 2) : Number.NaN,
        },
        ratio: repeat && off ? ratio(repeat.wallMs, off.wallMs) : Number.NaN,
      },
    );
  }
  for (const t of timings) {
    const n = t.outcome.nightly;
    const masteryMs = Number(n?.report.masteryMs ?? Number.NaN);
    if (n)
      rows.push({
        measure,
        metric: `${t.employees}: nightly knowledge snapshots, 3 past quarters backfilled`,
        value: round(masteryMs / 1000, 2),
        unit: 's',
        baseline: {
          label: 'the rest of the same nightly run',
          value: round((n.wallMs - masteryMs) / 1000, 2),
        },
        ratio: ratio(masteryMs, n.wallMs - masteryMs),
        note: `${n.report.masteryMemories} memories, ${n.report.masteryRepaired ?? 0} rebuilt by the repair; a later night (nothing to backfill) is one pass over them`,
      });
  }
  const [small, large] = [timings[0], timings.at(-1)];
  const [fs, fl] = [run(small, 'first'), run(large, 'first')];
  if (small && large && large !== small && fs && fl)
    rows.push({
      measure,
      metric: `first sweep ${large.employees}/${small.employees} time`,
      value: ratio(fl.wallMs, fs.wallMs),
      unit: '×',
      note: `${large.employees / small.employees}× the people: linear is ${large.employees / small.employees}× or less`,
    });
  return rows;
}

/** The refresher measurements: path and selection at `sizes` learners, the sweep at `sweepSizes` people. */
export async function measureRefresher(
  ctx: BenchContext,
  sizes: number[],
  sweepSizes: number[],
  sweepTimeoutS: number,
): Promise<MeasureResult> {
  ctx.log(
    '\n== refreshers: the path from stored state, the spaced selection, the sweep with spaced refreshers',
  );
  const timings: RefresherTiming[] = [];
  for (const learners of sizes) timings.push(await refresherAt(ctx, learners));
  const sweeps: SpacedSweepTiming[] = [];
  for (const employees of sweepSizes) sweeps.push(await spacedSweepAt(ctx, employees, sweepTimeoutS));
  return {
    id: 'refresher',
    title: 'Refreshers (issue #23)',
    rows: [...refresherRows(timings), ...spacedSweepRows(sweeps, sweepTimeoutS)],
    details: { timings, sweeps },
  };
}
