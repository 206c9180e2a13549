import { driverCollection } from '../../db/driver-collection.js';
import { masterySnapshotKey } from '../../db/keys.js';
import type { ClauseMemoryDoc, MasterySnapshotDoc } from '../../db/models/mastery.js';
import type { AssignmentDoc, CycleDoc } from '../../db/models/training.js';
import { readAhead } from '../../db/read-ahead.js';
import { findManyById } from '../../db/repositories/by-id.js';
import type { Course } from '../../domain/course.js';
import { NotFound } from '../../domain/errors.js';
import {
  addRecall,
  addRefresher,
  type KnowledgeTable,
  knowledgeTable,
  lastQuarters,
  type Quarter,
  type QuarterChange,
  quarterChange,
  quarterEnd,
  quarterOf,
  quarterStart,
  type RankedClause,
  type RecallCells,
  type RefresherCounts,
  refresherRanking,
} from '../../domain/mastery/knowledge.js';
import { recall } from '../../domain/mastery/memory.js';
import type { ServiceContext } from '../context.js';
import { replayQuarterCells } from './knowledge-backfill.js';

/** Quarters HR sees the change over (the current one and the three before it). */
export const KNOWLEDGE_QUARTERS = 4;
/** Clauses listed as most often tested out of / studied. */
const RANKED = 5;
const BATCH = 1000;

type Ctx = Pick<ServiceContext, 'models' | 'courses'>;

export interface SnapshotReport {
  /** Clause memories counted into the current quarter's snapshots. */
  memories: number;
  /** Decided refresher cycles counted over the last four quarters. */
  refreshers: number;
  /** Past quarters whose snapshot was missing and was written by replaying history. */
  backfilled: string[];
}

/**
 * Recall at `now` per department and clause, per course: one pass over the clause memories,
 * counting only people with an active assignment of the course (a person who left, or whose
 * assignment HR removed, is not in the figures) and placing each in the department their
 * assignment copies from the people directory now (the memory's copy is only as new as its last write).
 */
async function currentCells(ctx: Ctx, now: Date): Promise<{ cells: Map<string, RecallCells>; n: number }> {
  const departments = await activeAssignmentDepartments(ctx);
  const cells = new Map<string, RecallCells>([...ctx.courses.keys()].map((id) => [id, {}]));
  let n = 0;
  const cursor = driverCollection(ctx.models.ClauseMemory).find<
    Pick<ClauseMemoryDoc, '_id' | 'courseId' | 'clauses'>
  >({}, { projection: { _id: 1, courseId: 1, clauses: 1 }, batchSize: BATCH });
  for await (const batch of readAhead(cursor))
    for (const m of batch) {
      const course = cells.get(m.courseId);
      // The memory's `_id` is the assignment's (`<userId>:<courseId>`).
      const department = departments.get(m._id);
      if (!course || department === undefined) continue;
      n += 1;
      addRecall(course, department, m.clauses ?? {}, (card) => recall(card, now));
    }
  return { cells, n };
}

/** Active assignment `_id` → the department it copies: one projected pass over the assignments. */
async function activeAssignmentDepartments(ctx: Ctx): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const cursor = driverCollection(ctx.models.Assignment).find<Pick<AssignmentDoc, '_id' | 'department'>>(
    { active: true },
    { projection: { _id: 1, department: 1 }, batchSize: BATCH },
  );
  for await (const batch of readAhead(cursor)) for (const a of batch) out.set(a._id, a.department ?? '');
  return out;
}

/** courseId → quarter → refresher counts, from one pass over the cycles decided since `from`. */
async function refresherCounts(
  ctx: Ctx,
  from: Date,
): Promise<{ counts: Map<string, Map<Quarter, RefresherCounts>>; n: number }> {
  const counts = new Map<string, Map<Quarter, RefresherCounts>>();
  let n = 0;
  const cursor = driverCollection(ctx.models.Cycle).find<Pick<CycleDoc, 'courseId' | 'refresher'>>(
    { 'refresher.status': 'decided', 'refresher.decidedAt': { $gte: from } },
    { projection: { _id: 0, courseId: 1, refresher: 1 }, batchSize: BATCH },
  );
  for await (const batch of readAhead(cursor))
    for (const c of batch) {
      const r = c.refresher;
      if (!r?.decidedAt || !ctx.courses.has(c.courseId)) continue;
      n += 1;
      const byQuarter = counts.get(c.courseId) ?? new Map<Quarter, RefresherCounts>();
      counts.set(c.courseId, byQuarter);
      const q = quarterOf(new Date(r.decidedAt));
      const quarter = byQuarter.get(q) ?? {};
      byQuarter.set(q, quarter);
      addRefresher(quarter, {
        pretestAttemptId: r.pretestAttemptId ?? null,
        testedOut: r.testedOut ?? [],
        study: r.study ?? [],
        changed: r.changed ?? [],
      });
    }
  return { counts, n };
}

/**
 * The nightly job's part (issue #23): the current quarter's MasterySnapshot of every loaded course
 * rewritten with recall at `now` (so the quarter's last nightly run is what stays), and the refresher
 * counts of all four quarters recounted from the cycles (cheap, and exact after a quarter ends).
 * A past quarter's cells, once stored, are kept; a past quarter with no snapshot is backfilled by
 * replaying history up to its end (knowledge-backfill.ts). Each document is written by `_id`.
 */
export async function storeMasterySnapshots(ctx: Ctx, { now }: { now: Date }): Promise<SnapshotReport> {
  const quarters = lastQuarters(now, KNOWLEDGE_QUARTERS);
  const current = quarters.at(-1)!;
  const { cells, n: memories } = await currentCells(ctx, now);
  const { counts, n: refreshers } = await refresherCounts(ctx, quarterStart(quarters[0]!));
  const collection = driverCollection(ctx.models.MasterySnapshot);
  const backfilled: string[] = [];
  for (const courseId of ctx.courses.keys()) {
    const byQuarter = counts.get(courseId);
    const missing = await missingQuarters(ctx, courseId, quarters.slice(0, -1));
    const replayed = await replayQuarterCells(ctx, courseId, missing);
    const ops = quarters.map((quarter) => {
      const _id = masterySnapshotKey(courseId, quarter);
      const refreshersOf = byQuarter?.get(quarter) ?? {};
      const whole = (asOf: Date, cellsOf: RecallCells) => ({
        updateOne: {
          filter: { _id },
          update: {
            $set: { courseId, quarter, asOf, cells: cellsOf, refreshers: refreshersOf, updatedAt: now },
          },
          upsert: true,
        },
      });
      if (quarter === current) return whole(now, cells.get(courseId) ?? {});
      const cellsThen = replayed.get(quarter);
      if (cellsThen) return whole(quarterEnd(quarter), cellsThen);
      return {
        updateOne: { filter: { _id }, update: { $set: { refreshers: refreshersOf, updatedAt: now } } },
      };
    });
    await collection.bulkWrite(ops, { ordered: false });
    backfilled.push(...missing.map((q) => masterySnapshotKey(courseId, q)));
  }
  return { memories, refreshers, backfilled };
}

/** Which of `quarters` have no stored snapshot for the course (each read by `_id`). */
async function missingQuarters(ctx: Ctx, courseId: string, quarters: Quarter[]): Promise<Quarter[]> {
  const found = await findManyById<{ _id: string }>(
    ctx.models.MasterySnapshot,
    quarters.map((q) => masterySnapshotKey(courseId, q)),
    { _id: 1 },
  );
  const have = new Set(found.map((d) => d._id));
  return quarters.filter((q) => !have.has(masterySnapshotKey(courseId, q)));
}

export interface KnowledgePage {
  course: Pick<Course, 'id' | 'title'>;
  clauses: Array<{ id: string; number: string; title: string }>;
  /** When the current figures were counted; null when no snapshot exists yet. */
  asOf: Date | null;
  quarter: Quarter;
  table: KnowledgeTable;
  change: QuarterChange;
  testedOut: RankedClause[];
  studied: RankedClause[];
  /** Studied because the clause changed since the learner last attested. */
  changed: RankedClause[];
}

/**
 * HR's knowledge page for a course at `now`: the latest stored snapshot of the last four quarters
 * (each read by `_id`), its table, the change over those quarters, and the refresher ranking.
 */
export async function knowledgePage(
  ctx: Ctx,
  { courseId, now }: { courseId: string; now: Date },
): Promise<KnowledgePage> {
  const course = ctx.courses.get(courseId);
  if (!course) throw new NotFound('reports.errors.noCourseHere');
  const quarters = lastQuarters(now, KNOWLEDGE_QUARTERS);
  const docs = await findManyById<MasterySnapshotDoc>(
    ctx.models.MasterySnapshot,
    quarters.map((q) => masterySnapshotKey(course.id, q)),
  );
  const withCells = docs.filter((d) => d.asOf);
  const latest = withCells.at(-1) ?? null;
  const clauseIds = course.clauses.map((c) => c.id);
  const snapshots = Object.fromEntries(withCells.map((d) => [d.quarter, d.cells ?? {}]));
  const ranking = refresherRanking(
    docs.map((d) => d.refreshers ?? {}),
    RANKED,
  );
  return {
    course: { id: course.id, title: course.title },
    clauses: course.clauses.map((c) => ({ id: c.id, number: c.number, title: c.title })),
    asOf: latest?.asOf ?? null,
    quarter: latest?.quarter ?? quarters.at(-1)!,
    table: knowledgeTable(latest?.cells ?? {}, clauseIds),
    change: quarterChange(snapshots, quarters, clauseIds),
    ...ranking,
  };
}
