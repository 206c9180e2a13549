import { addDays, utcDay } from './dates.js';

/**
 * Rules for HR revoking a certificate (issued in error, or the completion was not honest).
 * A revoked certificate is never valid again; when it was the person's current completion they
 * have to take the course again, by `RETAKE_DAYS` after the revocation day.
 */

export const REASON_MIN = 5;
export const REASON_MAX = 500;
export const RETAKE_DAYS = 14;

/** The reason as stored: spaces collapsed; null when it is too short or too long once trimmed. */
export function revocationReason(text: string): string | null {
  const reason = text.trim().replace(/\s+/g, ' ');
  return reason.length >= REASON_MIN && reason.length <= REASON_MAX ? reason : null;
}

/** The due day of the retake cycle opened by a revocation on `now`. */
export function retakeDueAt(now: Date): Date {
  return addDays(utcDay(now), RETAKE_DAYS);
}
