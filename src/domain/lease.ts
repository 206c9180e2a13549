import { randomBytes } from 'node:crypto';

/**
 * A job lease (issue #30): the one instance (or `jobs:run`) allowed to run a scheduled job now.
 * Stored as one document per job (`_id` = the job's key) in `job_leases`; these are its rules.
 * Times are wall-clock (the lease measures real elapsed time between processes), never a
 * business date such as `jobs:run --now`.
 */
export interface Lease {
  _id: string;
  /** `host:pid:random` of the process holding it (holderId). */
  holder: string;
  /** When it lapses unless renewed: after this anyone may take it. */
  expiresAt: Date;
  takenAt: Date;
}

/** Whether `holder` may take (or renew) the job's lease at `now`: it is free, theirs, or expired. */
export function canTake(lease: Lease | null, holder: string, now: Date): boolean {
  return !lease || lease.holder === holder || lease.expiresAt.getTime() <= now.getTime();
}

/** The expiry of a lease taken or renewed at `now` for `leaseMs`. */
export function leaseUntil(now: Date, leaseMs: number): Date {
  return new Date(now.getTime() + leaseMs);
}

/**
 * How often a holder renews: every third of the lease, so one late or failed renewal still leaves
 * a third of it before anyone else may take over.
 */
export function renewEveryMs(leaseMs: number): number {
  return Math.floor(leaseMs / 3);
}

/**
 * Whether a holder may still act on its lease at `now`, given the expiry its last successful
 * renewal wrote: past that, another instance may have taken over, so it must stop even before
 * its next renewal says so (a process paused, a renewal that hangs).
 */
export function stillHeld(confirmedUntil: Date, now: Date): boolean {
  return now.getTime() < confirmedUntil.getTime();
}

/** Names a lease holder: host, process, and a random part (two apps in one process differ). */
export function holderId(host: string, pid: number, random = randomBytes(4).toString('hex')): string {
  return `${host}:${pid}:${random}`;
}

/** Thrown by a job's lease check once it has lost the lease: the job stops before its next write. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(job: string) {
    super(`the ${job} lease was taken over by another instance: stopping before the next write`);
  }
}
