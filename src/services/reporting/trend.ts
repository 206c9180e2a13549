import type { Models } from '../../db/models/index.js';
import type { ReportTrendDoc } from '../../db/models/reporting.js';
import type { AssignmentDoc, CycleDoc } from '../../db/models/training.js';
import type { UserDoc } from '../../db/models/user.js';
import { countTrend, type TrendPerson, trendWeeks } from '../../domain/reporting/trend.js';

/**
 * Only the current week's point moves, and little: the count (about 7 s per 10k assignments on
 * FerretDB, measured) runs at most every 6 hours per course, and the page says when it ran.
 */
export const TREND_MAX_AGE_MS = 6 * 60 * 60 * 1000;

type Completion = { completedAt: Date; expiresAt: Date | null };

/** When each person who left did, from one pass over the inactive people. */
async function leavingDays(models: Models): Promise<Map<string, Date>> {
  const left = new Map<string, Date>();
  const leavers = models.User.find({ active: false }, { leftAt: 1 }).lean<
    Pick<UserDoc, '_id' | 'leftAt'>[]
  >();
  for await (const u of leavers.cursor()) if (u.leftAt) left.set(u._id, u.leftAt);
  return left;
}

type TrendAssignment = Pick<AssignmentDoc, 'userId' | 'department' | 'assignedAt' | 'active' | 'updatedAt'>;

/**
 * Counts a course's weekly trend in one pass over its assignments, one over its completed cycles
 * (every completion, not only the current one, so past weeks count renewals that lapsed) and one
 * over the leavers, and stores it. A leaver counts in the weeks that ended before they left (the
 * person's `leftAt`; else, for an assignment ended otherwise, its last update, which is when it was
 * made inactive: the sweep does not write inactive assignments), so past weeks never change.
 */
export async function countCourseTrend(models: Models, courseId: string, now: Date): Promise<ReportTrendDoc> {
  const started = Date.now();
  const completions = new Map<string, Completion[]>();
  const cycles = models.Cycle.find(
    { courseId, completedAt: { $ne: null } },
    { userId: 1, completedAt: 1, expiresAt: 1 },
  ).lean<Pick<CycleDoc, 'userId' | 'completedAt' | 'expiresAt'>[]>();
  for await (const c of cycles.cursor()) {
    const list = completions.get(c.userId) ?? [];
    list.push({ completedAt: c.completedAt!, expiresAt: c.expiresAt ?? null });
    completions.set(c.userId, list);
  }
  const left = await leavingDays(models);
  const people: TrendPerson[] = [];
  const assignments = models.Assignment.find(
    { courseId },
    { userId: 1, department: 1, assignedAt: 1, active: 1, updatedAt: 1 },
  ).lean<TrendAssignment[]>();
  for await (const a of assignments.cursor())
    people.push({
      department: a.department ?? '',
      assignedAt: a.assignedAt,
      leftAt: a.active ? null : (left.get(a.userId) ?? a.updatedAt ?? null),
      completions: completions.get(a.userId) ?? [],
    });
  const weeks = trendWeeks(now);
  const doc: ReportTrendDoc = {
    _id: courseId,
    courseId,
    asOf: now,
    weeks,
    cells: countTrend(people, weeks),
    tookMs: Date.now() - started,
  };
  await models.ReportTrend.replaceOne({ _id: courseId }, doc, { upsert: true });
  return doc;
}

// One count per course at a time, per database (as the summaries' refresh): a second visit waits.
const running = new WeakMap<Models, Map<string, Promise<unknown>>>();

function recount(models: Models, courseId: string, now: Date): Promise<unknown> {
  const byCourse = running.get(models) ?? new Map<string, Promise<unknown>>();
  running.set(models, byCourse);
  const inFlight = byCourse.get(courseId);
  if (inFlight) return inFlight;
  const pass = countCourseTrend(models, courseId, now).finally(() => byCourse.delete(courseId));
  byCourse.set(courseId, pass);
  return pass;
}

/** Settles when every trend count running now has ended, whether it succeeded or not. */
export async function trendSettled(models: Models): Promise<void> {
  await Promise.all([...(running.get(models)?.values() ?? [])].map((p) => p.catch(() => {})));
}

/**
 * The stored trend the dashboard shows, or null while its first count runs. Missing or older than
 * TREND_MAX_AGE_MS: a background pass counts it (the page never waits; at 100k people it reads every
 * assignment and completed cycle of the course).
 */
export async function trendFor(
  models: Models,
  input: { courseId: string; now: Date; onBackgroundError: (err: unknown) => void },
): Promise<ReportTrendDoc | null> {
  const existing = await models.ReportTrend.findById(input.courseId).lean<ReportTrendDoc>();
  if (!existing || input.now.getTime() - existing.asOf.getTime() > TREND_MAX_AGE_MS)
    recount(models, input.courseId, input.now).catch(input.onBackgroundError);
  return existing;
}
