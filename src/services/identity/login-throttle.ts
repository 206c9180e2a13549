import { createHmac } from 'node:crypto';
import {
  pruneThrottleRecords,
  readThrottleRecord,
  type ThrottleVersion,
  writeThrottleRecord,
} from '../../db/login-throttle-store.js';
import type { Models } from '../../db/models/index.js';
import {
  type AddressRecord,
  afterAccountFailure,
  beginAttempt,
  endAddressAttempt,
  givePairAttemptBack,
  LOGIN_THROTTLE_POLICY,
  type LoginThrottlePolicy,
  type PairRecord,
  type WindowRecord,
} from '../../domain/login-throttle.js';
import { normaliseEmail } from '../../domain/roles.js';
import type { ServiceContext } from '../context.js';

/**
 * The sign-in throttle (domain/login-throttle.ts) with its records in the database, so every worker
 * and instance counts the same failures (issue #30). Each record is read, decided on by the domain
 * rule and written as its next version, which only one writer can take (db/login-throttle-store.ts);
 * a lost race reads on and decides again, so no attempt is lost and no burst passes the limit.
 * Keys use the typed address as normalised for login, whether or not such an account exists, so
 * nothing here reveals which accounts exist.
 */

/** The stored ids of one attempt's records: HMAC-SHA256 of kind and key (no address or IP in clear). */
export interface SignInAttempt {
  /** The typed address, normalised: whom a repeated-failures alert is for. */
  account: string;
  pairId: string;
  addressId: string;
  accountId: string;
  /** When it began (ms): its entry in the address's in-flight list. */
  startedAt: number;
  /** The versions this attempt wrote: the end of the attempt reads on from them (no hint read). */
  pair?: ThrottleVersion<PairRecord>;
  address?: ThrottleVersion<AddressRecord>;
}

export type SignInGate =
  | { allowed: true; attempt: SignInAttempt }
  | { allowed: false; reason: 'pair' | 'address' | 'busy'; retryAfterMs: number };

/** An account that just reached the alert threshold (once per window, across instances). */
export interface RepeatedFailures {
  account: string;
  failures: number;
  windowStart: Date;
  windowMinutes: number;
}

/**
 * Rounds a record may be read and written before giving up. Every round some racer's write wins,
 * and refused attempts write nothing, so the rounds needed grow with the attempts still allowed (at
 * most the address allowance, 30); the jitter below spreads the racers out.
 */
const MAX_ROUNDS = 60;

/** Versions are kept this long after they stop counting (a writer may be between a version and its hint). */
const PRUNE_GRACE_MS = 60 * 60_000;

const hashed = (key: string, ...parts: string[]) =>
  createHmac('sha256', key).update(parts.join('\n')).digest('hex');

/**
 * When a version stops counting, never earlier than the version before it (the nightly prune then
 * always leaves the latest versions of a record): a pair is forgotten a day after its last attempt
 * (a cleared pair: a day from now), a window when it ends.
 */
const pairExpiry = (r: PairRecord | null, p: LoginThrottlePolicy, now: number) =>
  new Date((r?.lastAt ?? now) + p.pairForgetMs);
const windowExpiry = (r: { start: number }, windowMs: number) => new Date(r.start + windowMs);

/**
 * A random pause after a lost race, growing with the rounds lost (5 ms, 10, 20 … at most 100), so
 * racing requests do not all read again at once: with 60 sign-ins at once from one address it cut
 * the throttle's commands from about 7,000 to 5,300 (840 from 60 addresses).
 */
const jitter = (round: number) =>
  new Promise((r) => setTimeout(r, Math.random() * Math.min(5 * 2 ** round, 100)));

type Change<R> = (current: R | undefined) => { record: R | null; expiresAt: Date } | null;

/** Applies `change` to one record until its version is written (null from `change`: nothing to write). */
async function changeRecord<R>(
  models: Models,
  id: string,
  change: Change<R>,
  known?: ThrottleVersion<R>,
): Promise<R | null> {
  let read = known;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    read = await readThrottleRecord<R>(models, id, read);
    const next = change(read.record ?? undefined);
    if (!next) return read.record;
    if (await writeThrottleRecord(models, id, read, next)) return next.record;
    read = undefined; // lost a race: others are writing, skip ahead through the hint
    await jitter(round);
  }
  throw new Error('a sign-in throttle record kept changing while it was written');
}

/** A refusal when the records cannot be written (a flood on one key): fail closed, try again soon. */
const busy = (p: LoginThrottlePolicy): SignInGate => ({
  allowed: false,
  reason: 'busy',
  retryAfterMs: p.busyRetryMs,
});

/**
 * Before the password is checked: refuses, or counts the attempt as a failure (until it succeeds)
 * for the pair and as in flight for the address. The address is written first; if the pair then
 * lost a race, the address takes this attempt out of its in-flight list and both are decided again.
 */
export async function beginSignIn(
  ctx: Pick<ServiceContext, 'models' | 'throttleKey'>,
  input: { email: string; address: string; now: Date; policy?: LoginThrottlePolicy },
): Promise<SignInGate> {
  const p = input.policy ?? LOGIN_THROTTLE_POLICY;
  const account = normaliseEmail(input.email).slice(0, 254);
  if (!ctx.throttleKey) throw new Error('sign-in throttle: no throttleKey in the service context');
  const key = ctx.throttleKey;
  const attempt: SignInAttempt = {
    account,
    pairId: hashed(key, 'pair', account, input.address),
    addressId: hashed(key, 'address', input.address),
    accountId: hashed(key, 'account', account),
    startedAt: input.now.getTime(),
  };
  const now = attempt.startedAt;
  let pair: ThrottleVersion<PairRecord> | undefined;
  let address: ThrottleVersion<AddressRecord> | undefined;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    [pair, address] = await Promise.all([
      readThrottleRecord(ctx.models, attempt.pairId, pair),
      readThrottleRecord(ctx.models, attempt.addressId, address),
    ]);
    const records = { pair: pair.record ?? undefined, address: address.record ?? undefined };
    const decision = beginAttempt(records, p, now);
    if (!decision.allowed) return decision;
    const addressNext = {
      record: decision.address,
      expiresAt: windowExpiry(decision.address, p.addressWindowMs),
    };
    if (await writeThrottleRecord(ctx.models, attempt.addressId, address, addressNext)) {
      const pairNext = { record: decision.pair, expiresAt: pairExpiry(decision.pair, p, now) };
      if (await writeThrottleRecord(ctx.models, attempt.pairId, pair, pairNext)) {
        const written = {
          pair: { v: pair.v + 1, record: decision.pair },
          address: { v: address.v + 1, record: decision.address },
        };
        return { allowed: true, attempt: { ...attempt, ...written } };
      }
      await endAddress(ctx.models, attempt, false, p, now);
    }
    address = undefined; // lost a race: others are writing, skip ahead through the hint
    await jitter(round);
  }
  return busy(p);
}

/**
 * The address's side of a verdict: the attempt leaves the in-flight list, a wrong password counts.
 * A verdict later than the in-flight expiry finds its attempt already counted as a failure
 * (domain endAddressAttempt): a wrong password adds nothing, a correct one gives it back once.
 */
function endAddress(
  models: Models,
  attempt: SignInAttempt,
  failed: boolean,
  p: LoginThrottlePolicy,
  now: number,
) {
  const change: Change<AddressRecord> = (current) => {
    const next = endAddressAttempt(current, { startedAt: attempt.startedAt, failed }, p, now);
    return next ? { record: next, expiresAt: windowExpiry(next, p.addressWindowMs) } : null;
  };
  return changeRecord(models, attempt.addressId, change, attempt.address);
}

/**
 * After the check: the attempt leaves the address's in-flight list; a correct password clears the
 * pair; an unfinished check (the database failed) gives the pair its attempt back; a wrong password
 * (already counted for the pair) counts for the address and the account, and returns the alert to
 * send when this failure is the one that reaches the threshold (one writer takes that version: one alert).
 */
export async function endSignIn(
  ctx: Pick<ServiceContext, 'models'>,
  input: {
    attempt: SignInAttempt;
    outcome: 'succeeded' | 'unfinished' | 'failed';
    now: Date;
    policy?: LoginThrottlePolicy;
  },
): Promise<RepeatedFailures | null> {
  const p = input.policy ?? LOGIN_THROTTLE_POLICY;
  const { attempt, outcome } = input;
  const now = input.now.getTime();
  if (outcome !== 'failed') {
    await Promise.all([
      changeRecord<PairRecord>(
        ctx.models,
        attempt.pairId,
        (current) => {
          if (!current) return null;
          const next = outcome === 'succeeded' ? null : (givePairAttemptBack(current) ?? null);
          return { record: next, expiresAt: pairExpiry(next, p, now) };
        },
        attempt.pair,
      ),
      endAddress(ctx.models, attempt, false, p, now),
    ]);
    return null;
  }
  let alert = false;
  const [account] = await Promise.all([
    changeRecord<WindowRecord>(ctx.models, attempt.accountId, (current) => {
      const next = afterAccountFailure(current, p, now);
      alert = next.alert;
      return { record: next.account, expiresAt: windowExpiry(next.account, p.accountWindowMs) };
    }),
    endAddress(ctx.models, attempt, true, p, now),
  ]);
  if (!alert || !account) return null;
  return {
    account: attempt.account,
    failures: account.failures,
    windowStart: new Date(account.start),
    windowMinutes: p.accountWindowMs / 60_000,
  };
}

/** Nightly: deletes the versions that no longer count (FerretDB has no TTL indexes). */
export function pruneSignInThrottle(ctx: Pick<ServiceContext, 'models'>, { now }: { now: Date }) {
  return pruneThrottleRecords(ctx.models, now, PRUNE_GRACE_MS);
}
