import { isDuplicateKey } from './connection.js';
import type { Models } from './models/index.js';

const onceClaims = (models: Models) =>
  models.Assignment.db.collection<{ _id: string; at: Date }>('once_claims');

/**
 * One-time effects claimed by a unique insert (issue #30): the `once_claims` collection, one
 * small document per effect, `_id` = the effect's key (`<what>:<id>`). Of racing callers (two
 * admins, two instances) exactly one inserts it and goes on to the effect (an audit entry, a
 * notice). A filtered update is no such claim on FerretDB v1: of racing `updateOne({_id,
 * field: old})` more than one can report a match. Written for rare events (a token revoked, a
 * clause translation saved), read only by `_id` (claimedAt): no pruning. A driver collection without a mongoose model: only this file writes it.
 */
export async function claimOnce(models: Models, key: string, now: Date): Promise<boolean> {
  try {
    await onceClaims(models).insertOne({ _id: key, at: now });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** When `key` was claimed (the claimant's `now`), or null if nobody has: to give up a claim whose claimant died. */
export async function claimedAt(models: Models, key: string): Promise<Date | null> {
  return (await onceClaims(models).findOne({ _id: key }))?.at ?? null;
}
