import { claimLease, releaseLease, renewLease } from '../../db/job-leases.js';
import { LeaseLostError, renewEveryMs, stillHeld } from '../../domain/lease.js';
import type { ServiceContext } from '../context.js';

/** What a job running under its lease is given: `check` throws LeaseLostError once it lost it. */
export interface HeldLease {
  check(): void;
}

/** A run under the lease: its report, or who holds the lease (and until when) if refused. */
export type LeasedRun<R> = { ran: true; report: R } | { ran: false; heldBy: string; until: Date };

/**
 * Runs `run` while `holder` holds the job's lease (issue #30), or refuses at once if another
 * instance holds it. The lease is renewed every third of `leaseMs` while the job runs and released
 * at the end, also when it failed. A long job calls `check` before each write batch: it throws once
 * a renewal found the lease taken over, or once the last confirmed expiry has passed (a renewal
 * that hangs or a paused process), so a holder that lost its lease writes nothing more.
 * Lease times are wall-clock (`wallClock`), whatever business date the job runs at.
 */
export async function runUnderLease<R>(
  ctx: ServiceContext,
  input: {
    job: string;
    holder: string;
    leaseMs: number;
    run: (lease: HeldLease) => Promise<R>;
    wallClock?: () => Date;
  },
): Promise<LeasedRun<R>> {
  const { job, holder, leaseMs } = input;
  const wall = input.wallClock ?? (() => new Date());
  const claim = await claimLease(ctx.models, { job, holder, now: wall(), leaseMs });
  if (!claim.taken) return { ran: false, heldBy: claim.lease.holder, until: claim.lease.expiresAt };
  let confirmedUntil = claim.until;
  let lost = false;
  let renewing = false;
  const renew = async () => {
    if (renewing || lost) return;
    const at = wall();
    // Past the last confirmed expiry another instance may have taken over already: a late
    // renewal would only race that takeover, so the lease counts as lost.
    if (!stillHeld(confirmedUntil, at)) {
      lost = true;
      return;
    }
    renewing = true;
    try {
      if (await renewLease(ctx.models, { job, holder, now: at, leaseMs }))
        confirmedUntil = new Date(at.getTime() + leaseMs);
      else lost = true;
    } catch (err) {
      // Not fatal by itself: `check` stops the job once the last confirmed expiry passes.
      ctx.log?.error({ err, job }, 'job lease renewal failed');
    } finally {
      renewing = false;
    }
  };
  const timer = setInterval(renew, renewEveryMs(leaseMs));
  timer.unref();
  const check = () => {
    if (lost || !stillHeld(confirmedUntil, wall())) throw new LeaseLostError(job);
  };
  try {
    return { ran: true, report: await input.run({ check }) };
  } finally {
    clearInterval(timer);
    await releaseLease(ctx.models, { job, holder }).catch((err: unknown) =>
      ctx.log?.error({ err, job }, 'job lease release failed (it expires by itself)'),
    );
  }
}
