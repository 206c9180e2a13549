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
 * Takes the job's lease for `holder` at `now`: by inserting it (a unique `_id`: of two racing
 * claims exactly one inserts), or, when the stored one has expired, by replacing it only if it is
 * still the one read (holder and expiry unchanged: of two racing takeovers exactly one matches).
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
    const swap = await leases.updateOne(
      { _id: job, holder: lease.holder, expiresAt: lease.expiresAt },
      { $set: { holder, expiresAt: until, takenAt: now } },
    );
    if (swap.matchedCount === 1) return { taken: true, until };
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
