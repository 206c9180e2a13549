/**
 * How the xAPI sender treats the LRS's answers (#27). Pure: the sender job (services/xapi/sender.ts)
 * applies them to outbox rows.
 */

/** What becomes of a statement after one POST. */
export type DeliveryOutcome = 'sent' | 'retry' | 'rejected';

/** Answers about the connection, not the statement: wrong key or secret, wrong endpoint. */
const CONNECTION_REFUSALS = new Set([401, 403, 404]);

/**
 * 200/204: stored. 409: the LRS already has a statement with this id, which can only be ours (ids
 * come from the event's natural key): sent. No answer, 5xx, 408 and 429 may pass later: retry.
 * 401/403/404 say the settings are wrong, not the statement: retried too (after the admin fixes
 * them), so a mistyped secret never throws the backlog away. Any other 4xx is the LRS refusing the
 * statement itself: kept as rejected with its answer for the admin, never resent on its own.
 */
export function deliveryOutcome(status: number | null): DeliveryOutcome {
  if (status === null || status >= 500 || status === 408 || status === 429) return 'retry';
  if (CONNECTION_REFUSALS.has(status)) return 'retry';
  if ((status >= 200 && status < 300) || status === 409) return 'sent';
  return 'rejected';
}

/** The first retry waits a minute (the sender's schedule), each later one twice as long. */
export const RETRY_BASE_MS = 60_000;
/** An LRS down for a day is tried hourly, not once a day. */
export const RETRY_CAP_MS = 60 * 60_000;

/** When a statement that has failed `attempts` times is tried again. */
export function nextAttemptAt(attempts: number, now: Date): Date {
  const wait = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
  return new Date(now.getTime() + wait);
}

/** The LRS's xAPI base as saved: http(s), no credentials in it, ending in `/`; null if not one. */
export function normaliseEndpoint(text: string): string | null {
  const trimmed = text.trim();
  if (!/^https?:\/\/\S+$/i.test(trimmed)) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.username || url.password || url.search || url.hash) return null;
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}
