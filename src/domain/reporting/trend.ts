import { addDays, DAY_MS, dayKey, utcDay } from '../dates.js';

/**
 * The completion-rate trend: for each of the last 52 weeks (Monday to Monday, UTC), how many
 * people were assigned a course and how many of them held a valid completion at the week's end.
 * Weeks are counted as of their end so a week's figure never changes once it is over; the
 * current week is counted as of now.
 */

export const TREND_WEEKS = 52;

export interface TrendWeek {
  /** The Monday the week starts on, `YYYY-MM-DD`. */
  week: string;
  /** The moment it is counted at: the next Monday, or now for the current week. */
  asOf: Date;
}

/** One person's assignment as the trend needs it: when it started and every completion of it. */
export interface TrendPerson {
  department: string;
  assignedAt: Date;
  /** When they left (or the assignment ended): counted in the weeks that ended before, not after. */
  leftAt?: Date | null;
  completions: ReadonlyArray<{ completedAt: Date; expiresAt: Date | null }>;
}

/** Counts of one department in one week (weeks where nobody in it was assigned are left out). */
export interface TrendCell {
  department: string;
  week: string;
  assigned: number;
  completed: number;
}

export interface WeekRate extends TrendWeek {
  assigned: number;
  completed: number;
  /** completed / assigned; null when nobody was assigned (a gap, not 0 %). */
  rate: number | null;
}

/** The Monday (UTC midnight) of the week `d` falls in. */
function mondayOf(d: Date): Date {
  const day = utcDay(d);
  return addDays(day, -((day.getUTCDay() + 6) % 7));
}

/** The last `count` weeks, oldest first, ending with the week `now` is in. */
export function trendWeeks(now: Date, count = TREND_WEEKS): TrendWeek[] {
  const current = mondayOf(now).getTime();
  const weeks: TrendWeek[] = [];
  for (let back = count - 1; back >= 0; back -= 1) {
    const start = new Date(current - back * 7 * DAY_MS);
    weeks.push({ week: dayKey(start), asOf: back === 0 ? new Date(now) : addDays(start, 7) });
  }
  return weeks;
}

function heldAt(person: TrendPerson, t: number): boolean {
  return person.completions.some(
    (c) => c.completedAt.getTime() < t && (c.expiresAt === null || t < c.expiresAt.getTime()),
  );
}

/** Per department and week: assigned before the week's end and not left by it, and holding a valid completion then. */
export function countTrend(people: Iterable<TrendPerson>, weeks: readonly TrendWeek[]): TrendCell[] {
  const cells = new Map<string, TrendCell>();
  const ends = weeks.map((w) => w.asOf.getTime());
  for (const person of people) {
    const assignedAt = person.assignedAt.getTime();
    const leftAt = person.leftAt ? person.leftAt.getTime() : Number.POSITIVE_INFINITY;
    for (let i = 0; i < weeks.length; i += 1) {
      const t = ends[i]!;
      if (assignedAt >= t || leftAt <= t) continue;
      const key = `${person.department}\u0000${weeks[i]!.week}`;
      let cell = cells.get(key);
      if (!cell) {
        cell = { department: person.department, week: weeks[i]!.week, assigned: 0, completed: 0 };
        cells.set(key, cell);
      }
      cell.assigned += 1;
      if (heldAt(person, t)) cell.completed += 1;
    }
  }
  return [...cells.values()];
}

/** The rate of each week, for one department or (undefined) all of them together. */
export function trendRates(
  cells: readonly TrendCell[],
  weeks: readonly TrendWeek[],
  department?: string,
): WeekRate[] {
  const byWeek = new Map<string, { assigned: number; completed: number }>();
  for (const c of cells) {
    if (department !== undefined && c.department !== department) continue;
    const sum = byWeek.get(c.week) ?? { assigned: 0, completed: 0 };
    sum.assigned += c.assigned;
    sum.completed += c.completed;
    byWeek.set(c.week, sum);
  }
  return weeks.map((w) => {
    const { assigned, completed } = byWeek.get(w.week) ?? { assigned: 0, completed: 0 };
    return { ...w, assigned, completed, rate: assigned ? completed / assigned : null };
  });
}
