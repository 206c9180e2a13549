import { LRUCache } from 'lru-cache';
import {
  afterAccountFailure,
  beginAttempt,
  describeWait,
  giveAddressAttemptBack,
  givePairAttemptBack,
  LOGIN_THROTTLE_POLICY,
  type LoginThrottlePolicy,
  type PairRecord,
  type WindowRecord,
} from '../../domain/login-throttle.js';
import { normaliseEmail } from '../../domain/roles.js';

/**
 * The records of domain/login-throttle.ts, kept in this process's memory (bounded: the least
 * recently used records are dropped first). Keys use the typed address as normalised for login,
 * whether or not such an account exists, so nothing here reveals which accounts exist.
 * Several app instances each keep their own records (see the README).
 */
export const THROTTLE_MAX_PAIRS = 100_000;
export const THROTTLE_MAX_ADDRESSES = 50_000;
export const THROTTLE_MAX_ACCOUNTS = 50_000;

export interface Attempt {
  account: string;
  pairKey: string;
  address: string;
}

export type AttemptResult =
  | { allowed: true; attempt: Attempt }
  | { allowed: false; message: RefusalMessage; retryAfterSeconds: number };

/** Why a sign-in is refused for now: a catalogue key and the wait, told in the visitor's language. */
export interface RefusalMessage {
  key: 'auth.throttle.pair' | 'auth.throttle.network';
  values: { wait: number; unit: 'second' | 'minute' };
}

export function loginThrottle(opts: {
  now: () => Date;
  /** Called once per window when an account reaches the alert threshold (never awaited by the request). */
  onRepeatedFailures: (account: string, failures: number, windowStart: Date, windowMinutes: number) => void;
  policy?: LoginThrottlePolicy;
}) {
  const policy = opts.policy ?? LOGIN_THROTTLE_POLICY;
  const pairs = new LRUCache<string, PairRecord>({ max: THROTTLE_MAX_PAIRS });
  const addresses = new LRUCache<string, WindowRecord>({ max: THROTTLE_MAX_ADDRESSES });
  const accounts = new LRUCache<string, WindowRecord>({ max: THROTTLE_MAX_ACCOUNTS });
  const nowMs = () => opts.now().getTime();

  return {
    /** Before the password is checked: refuses, or counts the attempt as a failure until it succeeds. */
    begin(typedEmail: string, address: string): AttemptResult {
      const account = normaliseEmail(typedEmail).slice(0, 254);
      const pairKey = `${account}\n${address}`;
      const decision = beginAttempt(
        { pair: pairs.get(pairKey), address: addresses.get(address) },
        policy,
        nowMs(),
      );
      if (!decision.allowed) {
        return {
          allowed: false,
          retryAfterSeconds: Math.ceil(decision.retryAfterMs / 1000),
          message: {
            key: decision.reason === 'pair' ? 'auth.throttle.pair' : 'auth.throttle.network',
            values: describeWait(decision.retryAfterMs),
          },
        };
      }
      pairs.set(pairKey, decision.pair);
      addresses.set(address, decision.address);
      return { allowed: true, attempt: { account, pairKey, address } };
    },

    /** A correct password: the pair starts afresh and the address gets its attempt back. */
    succeeded(attempt: Attempt): void {
      pairs.delete(attempt.pairKey);
      const address = giveAddressAttemptBack(addresses.get(attempt.address));
      if (address) addresses.set(attempt.address, address);
    },

    /** The check did not finish (the database failed): neither a success nor a failure. */
    unfinished(attempt: Attempt): void {
      const pair = givePairAttemptBack(pairs.get(attempt.pairKey));
      if (pair) pairs.set(attempt.pairKey, pair);
      const address = giveAddressAttemptBack(addresses.get(attempt.address));
      if (address) addresses.set(attempt.address, address);
    },

    /** A wrong password (already counted for the pair and the address): counts it for the account. */
    failed(attempt: Attempt): void {
      const { account, alert } = afterAccountFailure(accounts.get(attempt.account), policy, nowMs());
      accounts.set(attempt.account, account);
      if (alert) {
        const minutes = policy.accountWindowMs / 60_000;
        opts.onRepeatedFailures(attempt.account, account.failures, new Date(account.start), minutes);
      }
    },
  };
}
