import { randomBytes } from 'node:crypto';

/**
 * A job lease (issue #30): the one instance (or `jobs:run`) allowed to run a scheduled job now.
 * Stored in `job_leases` as one document per lease *generation* (`_id` `<job>:<gen>`), written
 * only by its holder; these are its rules.
 *
 * Why generations: FerretDB v1 makes no filtered update atomic (of 3 racing
 * `updateOne({_id, status})` on one document, more than one matched in 51 of 200 rounds), so a
 * compare-and-swap on one shared lease document let two instances lead, and an old holder's
 * renewal or release could land on the new holder's lease. Only a unique `_id` insert is a claim:
 * a claim inserts the next generation (of racing claims exactly one inserts it), then reads again
 * and keeps it only if no newer generation exists and no other holder's generation lives (an old
 * holder's renewal that raced the claim wins instead). A holder leads while no newer generation
 * exists; it renews and releases only its own document. The single `_id` `<job>` document an
 * earlier version wrote reads as generation 0 (a rolling upgrade respects it).
 *
 * Times are wall-clock (the lease measures real elapsed time between processes), never a
 * business date such as `jobs:run --now`.
 */
export interface Lease {
  /** `<job>:<gen>` (`<job>` for the earlier version's single lease document). */
  _id: string;
  job?: string;
  /** The generation: each claim inserts the next one. Absent on the earlier version's document: 0. */
  gen?: number;
  /** `host:pid:random` of the process holding it (holderId). */
  holder: string;
  /** When it lapses unless renewed: after this anyone may take it. */
  expiresAt: Date;
  takenAt: Date;
  /** Set by its holder when done: the job is free from then on. */
  releasedAt?: Date | null;
}

/** The `_id` of a job's lease generation. */
export function leaseKey(job: string, gen: number): string {
  return `${job}:${gen}`;
}

const generation = (lease: Lease) => lease.gen ?? 0;

/** Whether a lease still holds others off at `now`: neither released nor expired. */
export function isLive(lease: Lease, now: Date): boolean {
  return !lease.releasedAt && lease.expiresAt.getTime() > now.getTime();
}

/** Whether `holder` may take (or renew) the job's lease at `now`: it is free, theirs, or lapsed. */
export function canTake(lease: Lease | null, holder: string, now: Date): boolean {
  return !lease || lease.holder === holder || !isLive(lease, now);
}

/** The newest of the given generations (null if none). */
function newest(leases: readonly Lease[]): Lease | null {
  let top: Lease | null = null;
  for (const lease of leases) if (!top || generation(lease) > generation(top)) top = lease;
  return top;
}

export type ClaimPlan = { claim: true; gen: number } | { claim: false; lease: Lease };

/**
 * Before a claim, from the job's stored generations: refused (naming the newest live one) while
 * another holder's generation lives, else the generation to insert, one past the newest.
 */
export function planClaim(leases: readonly Lease[], holder: string, now: Date): ClaimPlan {
  const live = newest(leases.filter((l) => !canTake(l, holder, now)));
  if (live) return { claim: false, lease: live };
  const top = newest(leases);
  return { claim: true, gen: top ? generation(top) + 1 : 1 };
}

export type ClaimCheck = { won: true; superseded: string[] } | { won: false; lease: Lease };

/**
 * After inserting `mine`, from the generations read again: it won if none is newer and no other
 * holder's generation lives (the older ones are then superseded: the winner deletes them); else
 * it lost to that one and deletes its own.
 */
export function checkClaim(leases: readonly Lease[], mine: Lease, now: Date): ClaimCheck {
  const others = leases.filter((l) => l._id !== mine._id);
  const newer = newest(others.filter((l) => generation(l) > generation(mine)));
  if (newer) return { won: false, lease: newer };
  const live = newest(others.filter((l) => !canTake(l, mine.holder, now)));
  if (live) return { won: false, lease: live };
  return { won: true, superseded: others.map((l) => l._id) };
}

/**
 * The generation `holder` holds: its own newest, unreleased, with none newer (null: it has none,
 * or another instance has taken over since).
 */
export function heldBy(leases: readonly Lease[], holder: string): Lease | null {
  const top = newest(leases);
  return top && top.holder === holder && !top.releasedAt ? top : null;
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
