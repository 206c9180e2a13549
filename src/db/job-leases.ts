import type { mongo } from 'mongoose';
import { checkClaim, heldBy, type Lease, leaseKey, leaseUntil, planClaim } from '../domain/lease.js';
import { isDuplicateKey } from './connection.js';
import { modellessCollection } from './driver-collection.js';
import type { Models } from './models/index.js';

/**
 * The `job_leases` collection (issue #30): one document per lease generation (`_id`
 * `<job>:<gen>`, see domain/lease.ts), each written only by its holder. Claimed by a unique
 * insert, never by a filtered update (FerretDB v1 does not make one atomic). No mongoose model:
 * nothing else reads it.
 */
export function jobLeases(models: Models): mongo.Collection<Lease> {
  return modellessCollection<Lease>(models, 'job_leases');
}

/**
 * The job's stored generations, with the earlier version's single `_id` `<job>` document as
 * generation 0. Between claims a job has one document (its last, released generation), during a
 * takeover two or three. The `$or` filter is a scan of `job_leases` on FerretDB v1, in every claim,
 * renewal and release: cheap only because the collection holds a handful of documents (a few per
 * job name), which the winner's deletes of superseded generations keep so.
 */
async function generations(models: Models, job: string): Promise<Lease[]> {
  const stored = await jobLeases(models)
    .find({ $or: [{ _id: job }, { job }] })
    .toArray();
  return stored.map((lease) => ({ ...lease, job, gen: lease.gen ?? 0 }));
}

/**
 * The job's newest lease generation (live, released or lapsed), or null if never leased. Not
 * used by the claims (they decide from every generation, domain/lease.ts): it is what the tests
 * (jobs-lease*.test.ts) read to see who holds a job and whether it was released.
 */
export async function latestLease(models: Models, job: string): Promise<Lease | null> {
  const stored = await generations(models, job);
  return stored.reduce<Lease | null>((top, l) => (!top || (l.gen ?? 0) > (top.gen ?? 0) ? l : top), null);
}

export type Claim = { taken: true; until: Date } | { taken: false; lease: Lease };

const ATTEMPTS = 5;

/**
 * Takes the job's lease for `holder` at `now` (planClaim / checkClaim): inserts the next
 * generation (a unique `_id`: of racing claims exactly one inserts it; a loser reads again), then
 * reads again and keeps it only if none is newer and no other holder's lives (an old holder's
 * renewal that raced it keeps the lease: this claim deletes its own document and is refused).
 * The winner deletes the generations it superseded, each by `_id`.
 */
export async function claimLease(
  models: Models,
  { job, holder, now, leaseMs }: { job: string; holder: string; now: Date; leaseMs: number },
): Promise<Claim> {
  const leases = jobLeases(models);
  const until = leaseUntil(now, leaseMs);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const plan = planClaim(await generations(models, job), holder, now);
    if (!plan.claim) return { taken: false, lease: plan.lease };
    const mine: Lease = {
      _id: leaseKey(job, plan.gen),
      job,
      gen: plan.gen,
      holder,
      expiresAt: until,
      takenAt: now,
    };
    try {
      await leases.insertOne(mine);
    } catch (err) {
      if (isDuplicateKey(err)) continue; // another claim inserted this generation first: read again
      throw err;
    }
    const check = checkClaim(await generations(models, job), mine, now);
    if (!check.won) {
      await leases.deleteOne({ _id: mine._id });
      return { taken: false, lease: check.lease };
    }
    if (check.superseded.length > 0) await leases.deleteMany({ _id: { $in: check.superseded } });
    return { taken: true, until };
  }
  throw new Error(`the ${job} lease kept changing while it was claimed: try again`);
}

/**
 * Moves the expiry of `holder`'s own generation on, and says whether it still leads: false when a
 * newer generation exists (another instance took over), read again after the write so a takeover
 * racing this renewal is seen (that claim, reading after its insert, yields to the renewal or this
 * renewal yields to it; at worst both: then this renewal marks its generation released, and the
 * next tick claims again).
 */
export async function renewLease(
  models: Models,
  { job, holder, now, leaseMs }: { job: string; holder: string; now: Date; leaseMs: number },
): Promise<boolean> {
  const mine = heldBy(await generations(models, job), holder);
  if (!mine) return false;
  const result = await jobLeases(models).updateOne(
    { _id: mine._id },
    { $set: { expiresAt: leaseUntil(now, leaseMs) } },
  );
  if (result.matchedCount !== 1) return false;
  if (heldBy(await generations(models, job), holder)?._id === mine._id) return true;
  // Lost to a racing takeover: the expiry just written must not hold the job off if that claim
  // yielded to it too.
  await jobLeases(models).updateOne({ _id: mine._id }, { $set: { releasedAt: new Date() } });
  return false;
}

/**
 * Marks `holder`'s own generation released: the job is free from now. Left in place (the newest
 * generation is never deleted, only superseded) and written by `_id`, so it never touches another
 * instance's lease; nothing to do if another instance took over already.
 */
export async function releaseLease(models: Models, { job, holder }: { job: string; holder: string }) {
  const mine = heldBy(await generations(models, job), holder);
  if (mine) await jobLeases(models).updateOne({ _id: mine._id }, { $set: { releasedAt: new Date() } });
}
