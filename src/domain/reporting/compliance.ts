import { addDays, utcDay } from '../dates.js';

/**
 * Rules of the compliance report that do not need the database: what a cycle's due date was on a
 * past day (extensions move it later, and the report must show the deadline that applied then),
 * and whether the person was overdue on that day.
 */

/** An `assignment.extended` audit event, as the report reads it. */
export interface Extension {
  at: Date;
  cycleNo: number;
  from: Date | null;
  to: Date;
}

/**
 * The due date a cycle had at `asAt`: its current one, unless an extension made at or after
 * `asAt` changed it since, in which case the earliest such extension's "from" was in force.
 */
export function dueDateOn(
  current: Date | null,
  cycleNo: number,
  extensions: readonly Extension[],
  asAt: Date,
): Date | null {
  let earliestLater: Extension | null = null;
  for (const e of extensions) {
    if (e.cycleNo !== cycleNo || e.at < asAt) continue;
    if (!earliestLater || e.at < earliestLater.at) earliestLater = e;
  }
  return earliestLater ? earliestLater.from : current;
}

/**
 * Overdue at `asAt`: the cycle was open, its due day had passed (overdue from the day after, as on
 * the dashboard; past the grace period counts too) and it was not completed by then.
 */
export function overdueOn(
  cycle: { openedAt: Date; completedAt: Date | null },
  dueAt: Date | null,
  asAt: Date,
): boolean {
  if (!dueAt || cycle.openedAt >= asAt) return false;
  if (cycle.completedAt && cycle.completedAt < asAt) return false;
  return asAt >= addDays(utcDay(dueAt), 1);
}
