import type { Models } from '../db/models/index.js';
import type { ReportSummaryDoc } from '../db/models/reporting.js';
import type { Course } from '../domain/course.js';
import { CellCounter, ClauseMissCounter, isStale } from '../domain/reporting.js';
import { buildActionLists, type PendingRow } from './report-lists.js';

export type CourseSet = ReadonlyMap<string, Pick<Course, 'id'>> | Iterable<Pick<Course, 'id'>>;

function courseIds(courses: CourseSet): string[] {
  const list =
    courses instanceof Map ? [...courses.values()] : [...(courses as Iterable<Pick<Course, 'id'>>)];
  return list.map((c) => c.id);
}

const BATCH = 2000;

/**
 * Rebuilds every course's report summary and action lists in one streaming pass over the
 * assignments (plus quiz results and example answers for the clause report). Memory grows with
 * departments × states × months and with the overdue/due-soon people, not with the whole org.
 * Called at the end of each sweep, and by the dashboard when a summary is missing or old.
 */
export async function recomputeSummaries(
  models: Models,
  courses: CourseSet,
  now: Date,
): Promise<ReportSummaryDoc[]> {
  const started = Date.now();
  const ids = courseIds(courses);
  const cells = new Map(ids.map((id) => [id, new CellCounter()]));
  const misses = new Map(ids.map((id) => [id, new ClauseMissCounter()]));
  const pending = new Map<string, PendingRow[]>(ids.map((id) => [id, []]));
  const totals = new Map(ids.map((id) => [id, 0]));

  const assignments = models.Assignment.find(
    { active: true },
    { userId: 1, courseId: 1, department: 1, managerId: 1, state: 1, dueAt: 1, cycleNo: 1 },
  )
    .lean()
    .cursor({ batchSize: BATCH });
  for await (const a of assignments) {
    const counter = cells.get(a.courseId);
    if (!counter) continue; // a retired course: nothing to report on the dashboard
    counter.add(a.department, a.state, a.dueAt);
    totals.set(a.courseId, (totals.get(a.courseId) ?? 0) + 1);
    if (a.state === 'overdue' || a.state === 'due-soon') {
      pending.get(a.courseId)!.push({
        userId: a.userId,
        department: a.department,
        managerId: a.managerId ?? null,
        state: a.state,
        dueAt: a.dueAt ?? null,
        cycleNo: a.cycleNo,
      });
    }
  }

  const results = models.AttemptResult.find({}, { courseId: 1, clauses: 1 })
    .lean()
    .cursor({ batchSize: BATCH });
  for await (const r of results) {
    const counter = misses.get(r.courseId);
    if (!counter) continue;
    for (const [clauseId, s] of Object.entries(r.clauses ?? {}))
      counter.add(clauseId, s.total - s.correct, s.total);
  }

  const answers = models.ClassificationAnswer.find({}, { courseId: 1, clauses: 1, correct: 1 })
    .lean()
    .cursor({ batchSize: BATCH });
  for await (const a of answers) {
    const counter = misses.get(a.courseId);
    if (!counter) continue;
    for (const clauseId of a.clauses ?? []) counter.add(clauseId, a.correct ? 0 : 1, 1);
  }

  const lists = await buildActionLists(models, pending);

  const docs: ReportSummaryDoc[] = ids.map((id) => ({
    _id: id,
    courseId: id,
    asOf: now,
    total: totals.get(id) ?? 0,
    cells: cells.get(id)!.cells(),
    clauseMisses: misses.get(id)!.list(),
    lists: lists.get(id) ?? [],
    tookMs: Date.now() - started,
  }));
  for (const doc of docs) await models.ReportSummary.replaceOne({ _id: doc._id }, doc, { upsert: true });
  return docs;
}

// One refresh at a time per database: a second dashboard visit while a pass runs waits for it.
const running = new WeakMap<Models, Promise<ReportSummaryDoc[]>>();

export function refreshSummaries(models: Models, courses: CourseSet, now: Date): Promise<ReportSummaryDoc[]> {
  const inFlight = running.get(models);
  if (inFlight) return inFlight;
  const pass = recomputeSummaries(models, courses, now).finally(() => running.delete(models));
  running.set(models, pass);
  return pass;
}

export function isRefreshing(models: Models): boolean {
  return running.has(models);
}

/**
 * The summary the dashboard shows. Missing: computed now (first visit). Older than the limit:
 * returned as is while a background pass refreshes it, so the page never waits for 100k rows.
 */
export async function summaryFor(
  models: Models,
  courses: CourseSet,
  courseId: string,
  now: Date,
  onBackgroundError: (err: unknown) => void,
): Promise<ReportSummaryDoc> {
  const existing = await models.ReportSummary.findById(courseId).lean<ReportSummaryDoc>();
  if (existing) {
    if (isStale(existing.asOf, now)) refreshSummaries(models, courses, now).catch(onBackgroundError);
    return existing;
  }
  const fresh = await refreshSummaries(models, courses, now);
  const doc = fresh.find((d) => d._id === courseId);
  if (!doc) throw new Error(`no summary computed for course ${courseId}`);
  return doc;
}
