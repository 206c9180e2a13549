import type { FastifyInstance, FastifyRequest } from 'fastify';
import { normaliseEmail } from '../../domain/roles.js';
import { HttpError } from '../../plugins/auth.js';

const MAX_TRACKED = 50_000;

/**
 * Per-account limit on FAILED sign-ins, so one account cannot be guessed from many addresses while
 * a person who signs in often is never locked out. Failures are counted by @fastify/rate-limit; once
 * an account passes the limit it is refused (even with the right password) until the window ends.
 * The typed address is the key whether or not such an account exists, so the limit reveals nothing.
 */
export function accountLockout(app: FastifyInstance, opts: { maxFailures: number; windowMs: number }) {
  const keyOf = (request: FastifyRequest) =>
    `acct:${normaliseEmail(String((request.body as { email?: unknown })?.email ?? ''))}`;
  const countFailure = app.createRateLimit({
    max: opts.maxFailures,
    timeWindow: opts.windowMs,
    keyGenerator: keyOf,
  });
  const lockedUntil = new Map<string, number>();

  function refuse(): never {
    throw new HttpError(
      429,
      'Too many failed sign-ins for this account. Please wait 15 minutes and try again.',
    );
  }

  return {
    /** preHandler: refuses a locked account before its password is checked. */
    async check(request: FastifyRequest): Promise<void> {
      const key = keyOf(request);
      const until = lockedUntil.get(key);
      if (until === undefined) return;
      if (until > Date.now()) refuse();
      lockedUntil.delete(key);
    },

    /** After a failed sign-in: counts it, and refuses with 429 once the account is over the limit. */
    async recordFailure(request: FastifyRequest): Promise<void> {
      const limit = await countFailure(request);
      if (limit.isAllowed || !limit.isExceeded) return;
      if (lockedUntil.size >= MAX_TRACKED) lockedUntil.delete(lockedUntil.keys().next().value!);
      lockedUntil.set(keyOf(request), Date.now() + limit.ttl);
      refuse();
    },
  };
}
