import { upsertRacing } from '../../db/connection.js';
import { driverCollection } from '../../db/driver-collection.js';
import type { Models } from '../../db/models/index.js';
import type { ClassificationAnswerDoc } from '../../db/models/learning.js';
import type { AttemptResultDoc } from '../../db/models/quiz.js';
import type { ReportSummaryDoc } from '../../db/models/reporting.js';
import { readAhead } from '../../db/read-ahead.js';
import type { Course } from '../../domain/course.js';
import { type ClauseMiss, ClauseMissCounter, isStale, SummaryTally } from '../../domain/reporting.js';
import type { ServiceContext } from '../context.js';
import { buildActionLists, type ListName, readStoredLists, type StoredLists } from './lists.js';

export type CourseSet = ReadonlyMap<string, Pick<Course, 'id'>> | Iterable<Pick<Course, 'id'>>;

export function courseIds(courses: CourseSet): string[] {
  const list =
    courses instanceof Map ? [...courses.values()] : [...(courses as Iterable<Pick<Course, 'id'>>)];
  return list.map((c) => c.id);
}

const BATCH = 2000;

/** The fields of an assignment a summary counts (the sweep adds them to its own projection). */
export const SUMMARY_FIELDS = {
  userId: 1,
  courseId: 1,
  name: 1,
  email: 1,
  department: 1,
  managerId: 1,
  state: 1,
  dueAt: 1,
  cycleNo: 1,
} as const;

export interface ClauseRollup {
  misses: Map<string, ClauseMiss[]>;
  /** Answers counted (quiz results and example answers), for the job report. */
  answers: number;
}

/** A graded attempt as another pass over the quiz results sees it (the nightly item statistics). */
export type ResultVisit = (r: VisitedResult) => void;

/** The fields a visit sees: the item statistics' and the clause-memory repair's (mastery-repair.ts). */
export type VisitedResult = Pick<
  AttemptResultDoc,
  '_id' | 'userId' | 'courseId' | 'clauses' | 'questions' | 'answers' | 'receivedAt'
>;

/**
 * Which clauses learners get wrong, per course: one pass over every quiz result and every example
 * answer. The slowest part of a summary at scale and slow-moving, so the nightly job runs it;
 * the sweep keeps the stored figures. `visit` sees each quiz result of a loaded course in the same
 * pass (FerretDB decodes every document of a pass, so a second pass would cost as much again).
 */
export async function rollUpClauseMisses(
  models: Models,
  courses: CourseSet,
  visit?: ResultVisit,
): Promise<ClauseRollup> {
  const misses = new Map(courseIds(courses).map((id) => [id, new ClauseMissCounter()]));
  let answers = 0;
  // Long passes over big documents: the driver's cursor, reading the next batch ahead.
  const projection = visit
    ? { userId: 1, courseId: 1, clauses: 1, questions: 1, answers: 1, receivedAt: 1 }
    : { courseId: 1, clauses: 1 };
  const results = driverCollection(models.AttemptResult).find<VisitedResult>(
    {},
    { projection, batchSize: BATCH },
  );
  for await (const batch of readAhead(results)) {
    for (const r of batch) {
      const counter = misses.get(r.courseId);
      if (!counter) continue;
      answers += 1;
      for (const [clauseId, s] of Object.entries(r.clauses ?? {}))
        counter.add(clauseId, s.total - s.correct, s.total);
      visit?.(r);
    }
  }
  const examples = driverCollection(models.ClassificationAnswer).find<
    Pick<ClassificationAnswerDoc, 'courseId' | 'clauses' | 'correct'>
  >({}, { projection: { courseId: 1, clauses: 1, correct: 1 }, batchSize: BATCH });
  for await (const batch of readAhead(examples)) {
    for (const a of batch) {
      const counter = misses.get(a.courseId);
      if (!counter) continue;
      answers += 1;
      for (const clauseId of a.clauses ?? []) counter.add(clauseId, a.correct ? 0 : 1, 1);
    }
  }
  return { misses: new Map([...misses].map(([id, c]) => [id, c.list()])), answers };
}

/** Stores the clause figures of a rollup in the existing summaries (a missing one is built later, in full). */
export async function storeClauseMisses(models: Models, rollup: ClauseRollup, now: Date): Promise<number> {
  let stored = 0;
  for (const [courseId, clauseMisses] of rollup.misses) {
    const res = await models.ReportSummary.updateOne(
      { _id: courseId },
      { $set: { clauseMisses, clausesAsOf: now } },
    );
    stored += res.matchedCount;
  }
  return stored;
}

export interface SummaryWrite {
  now: Date;
  /** When the pass started, for `tookMs`. */
  started: number;
  /** Fresh clause figures; without them each summary keeps the ones it has. */
  clauses?: ClauseRollup;
  /** People whose names are known already (the sweep's own lookups, the stored lists). */
  names?: ReadonlyMap<string, ListName>;
  /** The lists as stored: unchanged chunks are not written again. */
  stored?: StoredLists;
}

/**
 * A new summary is written with empty clause figures in the same write (a page reading it between
 * two writes would find none: `.lean()` skips the model default). Not with `$setOnInsert`: FerretDB
 * v1 ignores it on upsert. An existing summary keeps the figures the nightly rollup counted.
 */
async function withEmptyClausesIfNew<T extends object>(models: Models, id: string, counted: T) {
  const stored = await models.ReportSummary.findById(id, { clausesAsOf: 1, clauseMisses: 1 }).lean<{
    clauseMisses?: unknown;
  }>();
  return stored?.clauseMisses ? counted : { ...counted, clauseMisses: [], clausesAsOf: null };
}

/**
 * Writes each course's summary and action lists from a finished tally. Without a rollup the
 * stored clause figures stay untouched (a second update only creates empty ones), so a sweep and
 * the nightly rollup never overwrite each other's part.
 */
export async function writeSummaries(
  models: Models,
  tally: SummaryTally,
  w: SummaryWrite,
): Promise<{ lookedUp: number }> {
  const { lists, lookedUp } = await buildActionLists(models, tally.pending(), w.now, w.names, w.stored);
  for (const id of tally.courseIds()) {
    const counted = {
      courseId: id,
      asOf: w.now,
      total: tally.total(id),
      cells: tally.cells(id),
      lists: lists.get(id) ?? [],
      tookMs: Date.now() - w.started,
    };
    const misses = w.clauses?.misses.get(id);
    const set = misses
      ? { ...counted, clauseMisses: misses, clausesAsOf: w.now }
      : await withEmptyClausesIfNew(models, id, counted);
    await upsertRacing(() => models.ReportSummary.updateOne({ _id: id }, { $set: set }, { upsert: true }));
    // A rollup that wrote its figures between the read above and this write lost them to the
    // empty ones only if the summary was new; the next nightly rollup writes them again.
  }
  return { lookedUp };
}

/** The stored summaries of these courses, each read by `_id`. */
export async function storedSummaries(models: Models, courses: CourseSet): Promise<ReportSummaryDoc[]> {
  const docs = await Promise.all(
    courseIds(courses).map((id) => models.ReportSummary.findById(id).lean<ReportSummaryDoc>()),
  );
  return docs.filter((d): d is ReportSummaryDoc => d !== null);
}

/** The stored lists of these courses (their names let a frequent pass look up only newcomers). */
export async function storedLists(models: Models, courses: CourseSet): Promise<StoredLists> {
  return readStoredLists(models, await storedSummaries(models, courses));
}

/** What a summary pass works with: the database and the loaded courses. */
export type SummaryContext = Pick<ServiceContext, 'models' | 'courses'>;

/**
 * Rebuilds every course's report summary and action lists in one streaming pass over the
 * assignments, with fresh names. With `clauses: true` (the default) it also rolls up the clause
 * misses (a pass over quiz results and example answers); otherwise the stored figures are kept.
 * Memory grows with departments × states × months and with the overdue/due-soon people, not with
 * the whole org. The sweep keeps summaries current with its own pass; this is for the dashboard
 * when a summary is missing, old, or HR asks for a refresh.
 */
export async function recomputeSummaries(
  ctx: SummaryContext,
  input: { now: Date; clauses?: boolean },
): Promise<ReportSummaryDoc[]> {
  const { models, courses } = ctx;
  const { now } = input;
  const started = Date.now();
  const tally = new SummaryTally(courseIds(courses));
  const assignments = models.Assignment.find({ active: true }, SUMMARY_FIELDS)
    .lean()
    .cursor({ batchSize: BATCH });
  for await (const a of assignments) tally.add(a);
  const clauses = input.clauses === false ? undefined : await rollUpClauseMisses(models, courses);
  await writeSummaries(models, tally, { now, started, clauses });
  return storedSummaries(models, courses);
}

// One refresh at a time per database: a second dashboard visit while a pass runs waits for it.
// Kept per process and keyed by the database's models rather than a service context, so every
// context built on one database (the app's, a test's, the CLI's) shares the one pass.
const running = new WeakMap<Models, Promise<void>>();

/**
 * Refreshes the summaries for the dashboard. When every course has one, only the assignment
 * pass runs and the clause figures stay as the nightly rollup left them. A missing summary also
 * gets its clause figures, after the states are written: the states take one pass over the
 * assignments (about 20 s at 100k people), the clauses one over every quiz result (minutes).
 */
export function refreshSummaries(ctx: SummaryContext, now: Date): Promise<void> {
  const { models, courses } = ctx;
  const inFlight = running.get(models);
  if (inFlight) return inFlight;
  const pass = (async () => {
    const complete = (await storedSummaries(models, courses)).length === courseIds(courses).length;
    await recomputeSummaries(ctx, { now, clauses: false });
    if (!complete) await storeClauseMisses(models, await rollUpClauseMisses(models, courses), now);
  })().finally(() => running.delete(models));
  running.set(models, pass);
  return pass;
}

export function isRefreshing(models: Models): boolean {
  return running.has(models);
}

/** Settles when the refresh running now (if any) ends, whether it succeeded or not. */
export async function refreshSettled(models: Models): Promise<void> {
  await running.get(models)?.catch(() => {});
}

/**
 * The summary the dashboard shows, or null while the first count runs. Missing or older than the
 * limit: a background pass (re)counts it, and the page never waits for it (the first count of
 * 100k people, with the clause roll-up over every quiz result, takes minutes on FerretDB).
 */
export async function summaryFor(
  ctx: SummaryContext,
  courseId: string,
  now: Date,
  onBackgroundError: (err: unknown) => void,
): Promise<ReportSummaryDoc | null> {
  const existing = await ctx.models.ReportSummary.findById(courseId).lean<ReportSummaryDoc>();
  if (!existing || isStale(existing.asOf, now)) refreshSummaries(ctx, now).catch(onBackgroundError);
  return existing;
}
