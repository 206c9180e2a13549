import type { FastifyInstance } from 'fastify';
import { describeWait, type LoginThrottlePolicy } from '../../domain/login-throttle.js';
import type { RepeatedFailures, SignInAttempt } from '../../services/identity/login-throttle.js';

/**
 * The sign-in form's throttle: the identity service keeps its records in the database, shared by
 * every worker and instance (services/identity/login-throttle.ts); this turns its answers into
 * the refusal the visitor reads and sends the owner's alert off the request path.
 */
export type AttemptResult =
  | { allowed: true; attempt: SignInAttempt }
  | { allowed: false; message: RefusalMessage; retryAfterSeconds: number };

/** Why a sign-in is refused for now: a catalogue key and the wait, told in the visitor's language. */
export interface RefusalMessage {
  key: 'auth.throttle.pair' | 'auth.throttle.network' | 'auth.throttle.busy';
  values: { wait: number; unit: 'second' | 'minute' };
}

/** "busy": attempts still in flight (or a flood of writes) fill the address for a moment, nobody failed. */
const REFUSAL_KEYS = {
  pair: 'auth.throttle.pair',
  address: 'auth.throttle.network',
  busy: 'auth.throttle.busy',
} as const satisfies Record<string, RefusalMessage['key']>;

export function loginThrottle(
  app: FastifyInstance,
  opts: {
    /** Called once per window when an account reaches the alert threshold (never awaited by the request). */
    onRepeatedFailures: (failures: RepeatedFailures) => void;
    policy?: LoginThrottlePolicy;
  },
) {
  const identity = () => app.services.identity;
  const policy = opts.policy;
  /** After the verdict: a record not written is logged, never turned into a failed request. */
  const end = async (attempt: SignInAttempt, outcome: 'succeeded' | 'unfinished' | 'failed') => {
    try {
      const alert = await identity().endSignIn({ attempt, outcome, now: app.clock.now(), policy });
      if (alert) opts.onRepeatedFailures(alert);
    } catch (err) {
      app.log.error({ err }, 'sign-in throttle record not written');
    }
  };

  return {
    /** Before the password is checked: refuses, or counts the attempt as a failure until it succeeds. */
    async begin(typedEmail: string, address: string): Promise<AttemptResult> {
      const gate = await identity().beginSignIn({ email: typedEmail, address, now: app.clock.now(), policy });
      if (gate.allowed) return gate;
      return {
        allowed: false,
        retryAfterSeconds: Math.ceil(gate.retryAfterMs / 1000),
        message: {
          key: REFUSAL_KEYS[gate.reason],
          values: describeWait(gate.retryAfterMs),
        },
      };
    },
    /** A correct password: the pair starts afresh and the address gets its attempt back. */
    succeeded: (attempt: SignInAttempt) => end(attempt, 'succeeded'),
    /** The check did not finish (the database failed): neither a success nor a failure. */
    unfinished: (attempt: SignInAttempt) => end(attempt, 'unfinished'),
    /** A wrong password (already counted for the pair and the address): counts it for the account. */
    failed: (attempt: SignInAttempt) => end(attempt, 'failed'),
  };
}
