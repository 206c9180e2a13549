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
 * Attempts are counted when they START, so a burst of concurrent requests cannot all pass the check
 * before the first failure is recorded: a pair counts each attempt as a failure until it succeeds;
 * an address keeps its attempts still IN FLIGHT apart from its completed failures, and allows a new
 * one only while failures + in flight < the cap. When only in-flight attempts fill the cap (an
 * office behind one NAT signing in at once, nobody failing), the refusal is "busy" for a moment,
 * not the window's end. An attempt still without a verdict after `inFlightExpiryMs` (its request
 * died, or the check is that slow) becomes a failure: were it just dropped, checks slower than the
 * expiry would free their slots, and one address would get 30 new checks every 30 s (review 31b #1).
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
  /** An address's attempt still without a verdict after this long (its request died, or is that slow) counts as a failure. */
  inFlightExpiryMs: number;
  /** The wait told when only attempts in flight fill the address cap. */
  busyRetryMs: number;
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
  inFlightExpiryMs: 30_000,
  busyRetryMs: 2_000,
};

/** One (account, address) pair: failures in a row and when the last attempt began (ms since epoch). */
export interface PairRecord {
  failures: number;
  lastAt: number;
}

/** A fixed window of failures (an account's); `alerted` marks the owner e-mail as sent. */
export interface WindowRecord {
  start: number;
  failures: number;
  alerted: boolean;
}

/**
 * One address: its window of failures, and when each attempt still in flight began (at most the
 * cap's worth; records from before in-flight tracking have none). `expired`: when each attempt that
 * outlived `inFlightExpiryMs` in this window began; each is one of the failures, and its late
 * verdict finds it there, so that verdict is not counted twice (a correct one gives it back).
 */
export interface AddressRecord {
  start: number;
  failures: number;
  inFlight?: number[];
  expired?: number[];
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

/**
 * The address as it counts at `now`: the live window (or a fresh one), where the in-flight attempts
 * that have expired are failures; those not yet expired are carried over into a new window so a
 * window's end frees no burst (the expired ones belonged to the window that ended).
 */
function liveAddress(r: AddressRecord | undefined, p: LoginThrottlePolicy, now: number) {
  const all = r?.inFlight ?? [];
  const inFlight = all.filter((at) => now - at < p.inFlightExpiryMs);
  if (!r || now - r.start >= p.addressWindowMs) return { start: now, failures: 0, inFlight, expired: [] };
  const lapsed = all.filter((at) => now - at >= p.inFlightExpiryMs);
  const expired = [...(r.expired ?? []), ...lapsed];
  return { start: r.start, failures: r.failures + lapsed.length, inFlight, expired };
}

const withoutOne = (list: number[], i: number) => list.filter((_, j) => j !== i);

export type AttemptDecision =
  | { allowed: true; pair: PairRecord; address: AddressRecord }
  | { allowed: false; reason: 'pair' | 'address' | 'busy'; retryAfterMs: number };

/**
 * Whether a sign-in may be tried now; if so, the records with this attempt counted (store them):
 * a failure for the pair (cleared after a correct password), in flight for the address until its
 * verdict (endAddressAttempt). Refusals: `address` when completed failures fill the window (until
 * it ends), `pair` while the pair's wait runs, `busy` when attempts in flight fill the rest.
 */
export function beginAttempt(
  records: { pair?: PairRecord; address?: AddressRecord },
  p: LoginThrottlePolicy,
  now: number,
): AttemptDecision {
  const address = liveAddress(records.address, p, now);
  if (address.failures >= p.addressMaxFailures) {
    return { allowed: false, reason: 'address', retryAfterMs: address.start + p.addressWindowMs - now };
  }
  const pair = livePair(records.pair, p, now);
  const waitUntil = pair ? pair.lastAt + pairDelayMs(pair.failures, p) : now;
  if (waitUntil > now) return { allowed: false, reason: 'pair', retryAfterMs: waitUntil - now };
  if (address.failures + address.inFlight.length >= p.addressMaxFailures) {
    return { allowed: false, reason: 'busy', retryAfterMs: p.busyRetryMs };
  }
  return {
    allowed: true,
    pair: { failures: (pair?.failures ?? 0) + 1, lastAt: now },
    address: { ...address, inFlight: [...address.inFlight, now] },
  };
}

/**
 * An address attempt's verdict: it leaves the in-flight list (one entry begun at `startedAt`) and,
 * when the password was wrong, counts as a failure. If it expired meanwhile it is already a failure:
 * a wrong password adds nothing, a correct one (or an unfinished check) gives that failure back,
 * once. With no entry at all (it expired in a window that has ended), a wrong password counts in
 * this window. Undefined when there is nothing to store (no record and no failure).
 */
export function endAddressAttempt(
  address: AddressRecord | undefined,
  attempt: { startedAt: number; failed: boolean },
  p: LoginThrottlePolicy,
  now: number,
): AddressRecord | undefined {
  if (!address && !attempt.failed) return undefined;
  const live = liveAddress(address, p, now);
  const failure = attempt.failed ? 1 : 0;
  const mine = live.inFlight.indexOf(attempt.startedAt);
  if (mine >= 0)
    return { ...live, failures: live.failures + failure, inFlight: withoutOne(live.inFlight, mine) };
  const lapsed = live.expired.indexOf(attempt.startedAt);
  if (lapsed < 0) return { ...live, failures: live.failures + failure };
  const failures = attempt.failed ? live.failures : Math.max(0, live.failures - 1);
  return { ...live, failures, expired: withoutOne(live.expired, lapsed) };
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
