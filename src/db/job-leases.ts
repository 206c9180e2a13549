import type { mongo } from 'mongoose';
import { canTake, type Lease, leaseUntil } from '../domain/lease.js';
import { isDuplicateKey } from './connection.js';
import type { Models } from './models/index.js';

/**
 * The `job_leases` collection (issue #30): one document per scheduled job, `_id` = its key. Read
 * and written with the driver only, every command by `_id` (plus the holder's fields on that one
 * document), which FerretDB v1 answers without a scan. No mongoose model: nothing else reads it.
 */
export function jobLeases(models: Models): mongo.Collection<Lease> {
  return models.Assignment.db.collection<Lease>('job_leases');
}

export type Claim = { taken: true; until: Date } | { taken: false; lease: Lease };

/**
 * The takeover of one expired lease, as read (its holder and expiry), claimed by inserting that
 * name into `job_lease_takeovers`: of racing takeovers exactly one inserts. Not a filtered update
 * on the lease (`{_id, holder, expiresAt}`): FerretDB v1 does not make it atomic (measured: of 3
 * racing on one document, more than one matched in 51 of 200 rounds: two leaders). One small
 * document per takeover (a holder that died), never read.
 */
async function claimTakeover(models: Models, lease: Lease, now: Date): Promise<boolean> {
  const takeovers = models.Assignment.db.collection<{ _id: string; at: Date }>('job_lease_takeovers');
  try {
    await takeovers.insertOne({ _id: `${lease._id}:${lease.holder}:${lease.expiresAt.getTime()}`, at: now });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/**
 * Takes the job's lease for `holder` at `now`: by inserting it (a unique `_id`: of two racing
 * claims exactly one inserts), or, when the stored one has expired, by claiming its takeover
 * (claimTakeover: of racing takeovers exactly one) and then writing the lease as its own.
 */
export async function claimLease(
  models: Models,
  { job, holder, now, leaseMs }: { job: string; holder: string; now: Date; leaseMs: number },
): Promise<Claim> {
  const leases = jobLeases(models);
  const until = leaseUntil(now, leaseMs);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await leases.insertOne({ _id: job, holder, expiresAt: until, takenAt: now });
      return { taken: true, until };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const lease = await leases.findOne({ _id: job });
    if (!lease) continue; // released between the insert and the read: insert again
    if (!canTake(lease, holder, now)) return { taken: false, lease };
    // Its own lease still running: nobody else may take it. Expired (even its own): claimed first.
    const expired = lease.expiresAt.getTime() <= now.getTime();
    if (expired && !(await claimTakeover(models, lease, now))) continue; // another took it over
    await leases.replaceOne({ _id: job }, { holder, expiresAt: until, takenAt: now }, { upsert: true });
    return { taken: true, until };
  }
  const lease = await leases.findOne({ _id: job });
  if (lease) return { taken: false, lease };
  throw new Error(`the ${job} lease kept changing while it was claimed: try again`);
}

/** Moves the expiry on while `holder` still holds the lease; false: another instance took it over. */
export async function renewLease(
  models: Models,
  { job, holder, now, leaseMs }: { job: string; holder: string; now: Date; leaseMs: number },
): Promise<boolean> {
  const result = await jobLeases(models).updateOne(
    { _id: job, holder },
    { $set: { expiresAt: leaseUntil(now, leaseMs) } },
  );
  return result.matchedCount === 1;
}

/** Gives the lease up, unless another instance holds it by now (then it is theirs to keep). */
export async function releaseLease(models: Models, { job, holder }: { job: string; holder: string }) {
  await jobLeases(models).deleteOne({ _id: job, holder });
}
