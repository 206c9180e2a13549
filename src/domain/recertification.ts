import type { RecertificationDefaults } from './course.js';
import { addDays, addMonthsClamped, monthDayIn, utcDay } from './dates.js';

/**
 * Refresher (recertification) rules. Pure: every time-dependent function takes `now`.
 *
 * Day semantics, all in UTC (a deadline is a calendar day, not an instant):
 * - `dueAt` is midnight of the last day on which the work is on time; it is overdue from the next day.
 * - `expiresAt` is midnight of the first day on which a completion is no longer valid.
 * - A refresher cycle is due on the last valid day (`expiresAt - 1 day`), so "overdue" starts
 *   exactly when the previous certification lapses.
 * - The recertification window opens `windowDays` before `expiresAt`; the next cycle opens then.
 * - An overdue cycle counts as expired `graceDays` after it became overdue.
 */

/** Per-course refresher settings (course defaults, overridden by HR in course settings). */
export type RecertificationPolicy = RecertificationDefaults;

export const CYCLE_STATES = [
  'not-started',
  'in-progress',
  'completed',
  'due-soon',
  'overdue',
  'expired',
] as const;
export type CycleState = (typeof CYCLE_STATES)[number];

/** What the rules need from one cycle record (a CycleDoc satisfies it). */
export interface CycleFacts {
  n: number;
  dueAt: Date | null;
  startedAt: Date | null;
  completedAt: Date | null;
  expiresAt: Date | null;
}

export interface CycleStatus {
  state: CycleState;
  /** Number of the latest cycle in the history (0 when there is none). */
  cycleNo: number;
  /** The deadline of the work the person has to do now (the next cycle's when it should open). */
  dueAt: Date | null;
  /** Expiry of the latest completion while it is still valid. */
  validUntil: Date | null;
  /** When the latest completion's recertification window opens (null if it never expires). */
  windowOpensAt: Date | null;
  /** The latest cycle is complete and its window is open: cycle `cycleNo + 1` should be opened. */
  opensNextCycle: boolean;
  /** First overdue day, when overdue or expired. */
  overdueSince: Date | null;
}

/**
 * When a completion made at `completedAt` stops being valid.
 *
 * Rolling: `validityMonths` after the completion day. With `expiryBasis: 'previousExpiry'`, a
 * refresher finished before the previous expiry counts from that expiry, so finishing early never
 * shortens a cycle; one finished after it lapsed counts from the completion day.
 *
 * Calendar (e.g. every 1 January): the next occurrence of the month/day that lies after the
 * completion's own window, so a completion inside the window renews the coming period rather than
 * the one about to end; with `'previousExpiry'` it also never lands on or before the previous expiry.
 * Calendar cycles are yearly; `validityMonths` applies to rolling cycles only.
 */
export function expiryFor(
  policy: RecertificationPolicy,
  completedAt: Date,
  previousExpiresAt: Date | null,
): Date {
  const completedDay = utcDay(completedAt);
  const previous = previousExpiresAt ? utcDay(previousExpiresAt) : null;
  const countFromPrevious = policy.expiryBasis === 'previousExpiry' && previous !== null;

  if (policy.cycle.kind === 'rolling') {
    const base = countFromPrevious && completedDay < previous ? previous : completedDay;
    return addMonthsClamped(base, policy.validityMonths);
  }

  const { month, day } = policy.cycle;
  let floor = addDays(completedDay, policy.windowDays);
  if (countFromPrevious && previous > floor) floor = previous;
  const sameYear = monthDayIn(floor.getUTCFullYear(), month, day);
  return sameYear > floor ? sameYear : monthDayIn(floor.getUTCFullYear() + 1, month, day);
}

/** The due day of the refresher cycle that renews a completion expiring at `expiresAt`. */
export function refresherDueAt(expiresAt: Date): Date {
  return addDays(utcDay(expiresAt), -1);
}

/** When the recertification window for a completion expiring at `expiresAt` opens. */
export function windowOpensAt(policy: RecertificationPolicy, expiresAt: Date): Date {
  return addDays(utcDay(expiresAt), -policy.windowDays);
}

function latestOf(history: readonly CycleFacts[]): CycleFacts | null {
  let latest: CycleFacts | null = null;
  for (const c of history) if (!latest || c.n > latest.n) latest = c;
  return latest;
}

/** Urgency of open work against its deadline; the more urgent state wins over progress. */
function openWorkState(
  policy: RecertificationPolicy,
  dueAt: Date | null,
  started: boolean,
  now: Date,
): { state: CycleState; overdueSince: Date | null } {
  const progress: CycleState = started ? 'in-progress' : 'not-started';
  if (!dueAt) return { state: progress, overdueSince: null };
  const overdueFrom = addDays(utcDay(dueAt), 1);
  if (now >= addDays(overdueFrom, policy.graceDays)) return { state: 'expired', overdueSince: overdueFrom };
  if (now >= overdueFrom) return { state: 'overdue', overdueSince: overdueFrom };
  if (now >= addDays(overdueFrom, -policy.windowDays)) return { state: 'due-soon', overdueSince: null };
  return { state: progress, overdueSince: null };
}

/**
 * The state of a person's training for one course, from the full cycle history.
 *
 * Precedence: expired > overdue > due-soon > in-progress > not-started, so lists of people who must
 * act are never hidden by "in progress". A completed cycle stays `completed` until its window
 * opens; from then on the person is judged against the refresher's deadline even before the
 * sweep has opened the next cycle (`opensNextCycle`), so the state never depends on sweep timing.
 */
export function cycleState(
  policy: RecertificationPolicy,
  history: readonly CycleFacts[],
  now: Date,
): CycleStatus {
  const latest = latestOf(history);
  if (!latest) {
    return {
      state: 'not-started',
      cycleNo: 0,
      dueAt: null,
      validUntil: null,
      windowOpensAt: null,
      opensNextCycle: false,
      overdueSince: null,
    };
  }

  if (latest.completedAt) {
    const expiresAt = latest.expiresAt;
    const base = { cycleNo: latest.n, validUntil: null as Date | null, overdueSince: null };
    if (!expiresAt) {
      return { ...base, state: 'completed', dueAt: null, windowOpensAt: null, opensNextCycle: false };
    }
    const opens = windowOpensAt(policy, expiresAt);
    const validUntil = now < expiresAt ? expiresAt : null;
    if (now < opens) {
      return {
        ...base,
        state: 'completed',
        dueAt: null,
        validUntil,
        windowOpensAt: opens,
        opensNextCycle: false,
      };
    }
    const dueAt = refresherDueAt(expiresAt);
    const work = openWorkState(policy, dueAt, false, now);
    return { ...base, ...work, dueAt, validUntil, windowOpensAt: opens, opensNextCycle: true };
  }

  // An open cycle: a refresher keeps the previous completion's validity until it lapses.
  const previous = latestOf(history.filter((c) => c.n < latest.n && c.completedAt));
  const previousExpiry = previous?.expiresAt ?? null;
  const work = openWorkState(policy, latest.dueAt, latest.startedAt !== null, now);
  return {
    ...work,
    cycleNo: latest.n,
    dueAt: latest.dueAt,
    validUntil: previousExpiry && now < previousExpiry ? previousExpiry : null,
    windowOpensAt: previousExpiry ? windowOpensAt(policy, previousExpiry) : null,
    opensNextCycle: false,
  };
}
