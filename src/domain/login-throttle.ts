/**
 * How failed sign-ins are slowed down (OWASP Authentication Cheat Sheet, NIST SP 800-63B §5.2.2).
 * Pure rules over small state records; the caller keeps the records and passes `now`.
 *
 * Three counts, each answering a different attack:
 * - per (account, address) pair — guessing one account from one place: a few free failures, then
 *   each further attempt waits an exponentially growing interval (capped). A correct password
 *   clears the pair. This is the only limit that ever refuses a particular account.
 * - per address, across accounts — password spraying from one place: a fixed window cap.
 * - per account, across addresses — only tells the owner (one e-mail per window). It never delays
 *   or refuses anyone: otherwise anyone who knows an address could lock its owner out from a few
 *   machines, which is the attack this design removes. Guessing from many addresses is bounded
 *   by the two limits above and by the password rules (12+ characters, not on a breach list).
 *
 * Attempts are counted when they START (pessimistically, and given back on success), so a burst of
 * concurrent requests cannot all pass the check before the first failure is recorded.
 */

export interface LoginThrottlePolicy {
  /** Failures a pair may have before attempts must wait. */
  pairFreeFailures: number;
  /** The wait after the first failure past the free ones; doubled for each further failure. */
  pairBaseDelayMs: number;
  pairMaxDelayMs: number;
  /** A pair with no attempt for this long starts afresh. */
  pairForgetMs: number;
  /** Failures one address may have, across all accounts, per window. */
  addressMaxFailures: number;
  addressWindowMs: number;
  /** Failures on one account (from anywhere) per window that make us e-mail its owner. */
  accountAlertFailures: number;
  accountWindowMs: number;
}

export const LOGIN_THROTTLE_POLICY: LoginThrottlePolicy = {
  pairFreeFailures: 5,
  pairBaseDelayMs: 30_000,
  pairMaxDelayMs: 15 * 60_000,
  pairForgetMs: 24 * 60 * 60_000,
  addressMaxFailures: 30,
  addressWindowMs: 15 * 60_000,
  accountAlertFailures: 10,
  accountWindowMs: 15 * 60_000,
};

/** One (account, address) pair: failures in a row and when the last attempt began (ms since epoch). */
export interface PairRecord {
  failures: number;
  lastAt: number;
}

/** A fixed window of failures (address or account); `alerted` marks the owner e-mail as sent. */
export interface WindowRecord {
  start: number;
  failures: number;
  alerted: boolean;
}

/** The wait a pair has earned after `failures` failures in a row (0 while within the free ones). */
export function pairDelayMs(failures: number, p: LoginThrottlePolicy): number {
  if (failures < p.pairFreeFailures) return 0;
  const doublings = Math.min(failures - p.pairFreeFailures, 30);
  return Math.min(p.pairMaxDelayMs, p.pairBaseDelayMs * 2 ** doublings);
}

function livePair(r: PairRecord | undefined, p: LoginThrottlePolicy, now: number): PairRecord | undefined {
  return r && now - r.lastAt < p.pairForgetMs ? r : undefined;
}

function liveWindow(r: WindowRecord | undefined, windowMs: number, now: number): WindowRecord | undefined {
  return r && now - r.start < windowMs ? r : undefined;
}

export type AttemptDecision =
  | { allowed: true; pair: PairRecord; address: WindowRecord }
  | { allowed: false; reason: 'pair' | 'address'; retryAfterMs: number };

/**
 * Whether a sign-in may be tried now; if so, the records with this attempt already counted as a
 * failure (store them; after a correct password the pair is cleared and the address given its attempt back).
 */
export function beginAttempt(
  records: { pair?: PairRecord; address?: WindowRecord },
  p: LoginThrottlePolicy,
  now: number,
): AttemptDecision {
  const address = liveWindow(records.address, p.addressWindowMs, now);
  if (address && address.failures >= p.addressMaxFailures) {
    return { allowed: false, reason: 'address', retryAfterMs: address.start + p.addressWindowMs - now };
  }
  const pair = livePair(records.pair, p, now);
  const waitUntil = pair ? pair.lastAt + pairDelayMs(pair.failures, p) : now;
  if (waitUntil > now) return { allowed: false, reason: 'pair', retryAfterMs: waitUntil - now };
  return {
    allowed: true,
    pair: { failures: (pair?.failures ?? 0) + 1, lastAt: now },
    address: address
      ? { ...address, failures: address.failures + 1 }
      : { start: now, failures: 1, alerted: false },
  };
}

/** After a correct password (or no verdict): the address gets its attempt back. */
export function giveAddressAttemptBack(address: WindowRecord | undefined): WindowRecord | undefined {
  return address && { ...address, failures: Math.max(0, address.failures - 1) };
}

/** An attempt that never reached a verdict (the database failed): the pair gets it back. */
export function givePairAttemptBack(pair: PairRecord | undefined): PairRecord | undefined {
  return pair && { ...pair, failures: Math.max(0, pair.failures - 1) };
}

/**
 * After a wrong password: the account's window count, and whether this failure is the one that
 * should e-mail the owner (the first to reach the threshold in the window; once per window).
 */
export function afterAccountFailure(
  account: WindowRecord | undefined,
  p: LoginThrottlePolicy,
  now: number,
): { account: WindowRecord; alert: boolean } {
  const live = liveWindow(account, p.accountWindowMs, now);
  const next = live ? { ...live, failures: live.failures + 1 } : { start: now, failures: 1, alerted: false };
  const alert = !next.alerted && next.failures >= p.accountAlertFailures;
  return { account: alert ? { ...next, alerted: true } : next, alert };
}

/** A wait as a person reads it, rounded up to whole seconds under a minute, else whole minutes ("45 seconds", "15 minutes" in auth.throttle.*). */
export function describeWait(ms: number): { wait: number; unit: 'second' | 'minute' } {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return { wait: seconds, unit: 'second' };
  return { wait: Math.ceil(seconds / 60), unit: 'minute' };
}
