/**
 * Whole-day date arithmetic in UTC. Training deadlines are calendar days, not instants, so every
 * boundary (due day, expiry day, window opening) is a UTC midnight. Nothing here reads the clock.
 */

export const DAY_MS = 86_400_000;

/** Midnight UTC of the day `d` falls on. */
export function utcDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * DAY_MS);
}

/** Days in a month (month 0–11) of a year, leap years included. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/**
 * Adds calendar months to a day, clamping to the last day of the target month:
 * 31 Jan + 1 month = 28 Feb (29 in a leap year); 29 Feb 2028 + 12 months = 28 Feb 2029.
 */
export function addMonthsClamped(d: Date, months: number): Date {
  const total = d.getUTCMonth() + months;
  const year = d.getUTCFullYear() + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const day = Math.min(d.getUTCDate(), daysInMonth(year, month));
  return new Date(Date.UTC(year, month, day));
}

/** A month/day in a given year, clamped (29 Feb in a common year is 28 Feb). month is 1–12. */
export function monthDayIn(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, Math.min(day, daysInMonth(year, month - 1))));
}

/** `YYYY-MM-DD` of the UTC day. */
export function dayKey(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Parses a strict `YYYY-MM-DD` into its UTC midnight; null for anything else (including 2026-02-30). */
export function parseDay(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, da] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || da < 1 || da > daysInMonth(y, mo - 1)) return null;
  return new Date(Date.UTC(y, mo - 1, da));
}

/** Whole days from day `a` to day `b` (both truncated to UTC midnight). */
export function daysBetween(a: Date, b: Date): number {
  return Math.round((utcDay(b).getTime() - utcDay(a).getTime()) / DAY_MS);
}
