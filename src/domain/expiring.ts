import { addDays } from './dates.js';

/**
 * "Certificate expiring soon": one rule for HR home's figure and the people list's
 * `state=expiring` filter, so the link shows exactly the people the figure counts. Pure.
 */

/** How far ahead HR looks for completions that expire. */
export const EXPIRING_WITHIN_DAYS = 30;

/** The window a completion's `expiresAt` must fall in (both ends included). */
export function expiringWindow(now: Date): { from: Date; to: Date } {
  return { from: now, to: addDays(now, EXPIRING_WITHIN_DAYS) };
}

/**
 * Whether a completed cycle's certificate counts as expiring: it ends within the window, the
 * assignment is still active, and its renewal (a later cycle) is not complete. The cycle is read,
 * not the assignment summary, which forgets the expiry once the refresher cycle opens.
 */
export function isExpiringCompletion(
  cycle: { n: number; expiresAt?: Date | null },
  assignment: { active: boolean; cycleNo: number; completedAt?: Date | null } | undefined,
  now: Date,
): boolean {
  if (!assignment?.active || !cycle.expiresAt) return false;
  const { from, to } = expiringWindow(now);
  const renewed = assignment.cycleNo > cycle.n && !!assignment.completedAt;
  return cycle.expiresAt >= from && cycle.expiresAt <= to && !renewed;
}
