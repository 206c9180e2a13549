import { addDays, dayKey, daysBetween, utcDay } from './dates.js';
import type { CycleState } from './recertification.js';

/** Reminder cadence for one course (HR edits it in the course settings). */
export interface ReminderPlanSettings {
  onAssignment: boolean;
  daysBeforeDue: number;
  onDueDate: boolean;
  overdueEveryDays: number;
  escalateAfterDays: number;
}

export const REMINDER_DEFAULTS: ReminderPlanSettings = {
  onAssignment: true,
  daysBeforeDue: 7,
  onDueDate: true,
  overdueEveryDays: 7,
  escalateAfterDays: 14,
};

/**
 * A reminder is still sent this many days after its scheduled day (a sweep outage), never later:
 * stale reminders are noise, and every sweep would otherwise retry every old key.
 */
export const CATCH_UP_DAYS = 2;

/** `spaced`: a five-minute practice between cycles (issue #23, domain/mastery/spaced.ts), not a deadline. */
export type ReminderKind = 'assigned' | 'before-due' | 'due-today' | 'overdue' | 'escalation' | 'spaced';

export interface PlannedReminder {
  kind: ReminderKind;
  /** The day this reminder belongs to; part of its unique key, so a late or repeated sweep cannot resend it. */
  day: string;
  /** Copy (or, for escalation, address) the person's manager. */
  toManager: boolean;
}

export interface ReminderFacts {
  state: CycleState;
  /** When the current cycle was assigned or opened. */
  assignedAt: Date;
  dueAt: Date | null;
}

/**
 * The reminders a sweep at `now` should make sure were sent for one person's current cycle.
 *
 * Each one is keyed on the day it is scheduled for, not the day the sweep runs, so sweeps that run
 * every 15 minutes, skip a day, or run twice never produce a second copy. When sweeps were missed,
 * only the latest reminder of each kind is sent, and only within CATCH_UP_DAYS of its day.
 */
export function planReminders(s: ReminderPlanSettings, facts: ReminderFacts, now: Date): PlannedReminder[] {
  if (facts.state === 'completed') return [];
  const today = utcDay(now);
  const assignedDay = utcDay(facts.assignedAt);
  const out: PlannedReminder[] = [];
  const dueDay = facts.dueAt ? utcDay(facts.dueAt) : null;
  const overdueFrom = dueDay ? addDays(dueDay, 1) : null;
  const isOverdue = overdueFrom !== null && today >= overdueFrom;
  const fresh = (day: Date) => today >= day && daysBetween(day, today) <= CATCH_UP_DAYS;

  if (s.onAssignment && fresh(assignedDay) && !isOverdue) {
    out.push({ kind: 'assigned', day: dayKey(assignedDay), toManager: false });
  }
  if (!dueDay || !overdueFrom) return out;

  if (s.daysBeforeDue > 0) {
    const target = addDays(dueDay, -s.daysBeforeDue);
    // Not on the assignment day itself: the assignment notice already gives the due date.
    if (fresh(target) && today < dueDay && target > assignedDay) {
      out.push({ kind: 'before-due', day: dayKey(target), toManager: false });
    }
  }
  if (s.onDueDate && today.getTime() === dueDay.getTime()) {
    out.push({ kind: 'due-today', day: dayKey(dueDay), toManager: false });
  }
  if (isOverdue) {
    const late = daysBetween(overdueFrom, today);
    const step = s.overdueEveryDays > 0 ? s.overdueEveryDays : Number.POSITIVE_INFINITY;
    const latest = Number.isFinite(step) ? Math.floor(late / step) * step : 0;
    const day = addDays(overdueFrom, latest);
    const escalated = s.escalateAfterDays > 0 && latest >= s.escalateAfterDays;
    if (fresh(day)) out.push({ kind: 'overdue', day: dayKey(day), toManager: escalated });
    const escalationDay = addDays(overdueFrom, s.escalateAfterDays);
    if (s.escalateAfterDays > 0 && fresh(escalationDay)) {
      out.push({ kind: 'escalation', day: dayKey(escalationDay), toManager: true });
    }
  }
  return out;
}

/** Monday (UTC) of the week `now` falls in: the key of that week's HR digest. */
export function digestWeek(now: Date): string {
  const today = utcDay(now);
  const sinceMonday = (today.getUTCDay() + 6) % 7;
  return dayKey(addDays(today, -sinceMonday));
}
