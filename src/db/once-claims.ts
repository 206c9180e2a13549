import { isDuplicateKey } from './connection.js';
import { modellessCollection } from './driver-collection.js';
import type { Models } from './models/index.js';

const onceClaims = (models: Models) => modellessCollection<{ _id: string; at: Date }>(models, 'once_claims');

/**
 * Things done once, claimed by a unique insert (issue #30): the `once_claims` collection, one
 * small document per effect, `_id` = the effect's key (`<what>:<id>`, e.g. `bulk-job:<id>:<run>`,
 * `policy-translation:<id>:<rev>`). Of racing callers (a double click, two admins, two instances)
 * exactly one inserts it and goes on to the effect (a bulk job's run, an audit entry, a notice).
 * A filtered update is no such claim on FerretDB v1: of 3 racing `updateOne({_id, field: old})`
 * on one document, more than one reported a match in 51 of 200 rounds. A handful of small
 * documents per rare event, read only by `_id` (claimedAt): no pruning. Only this file writes it.
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

/**
 * Claims `key` once, and takes over a claim whose claimant died: a claim older than
 * `abandonedAfterMs` whose effect `stillUndone()` says never followed is given up for the next key
 * (`<key>~1`, `<key>~2`…, again unique inserts, so racing takeovers also go on once). Without the
 * takeover, a process dying between its claim and its write would block the effect for good.
 */
export async function claimOnceOrTakeOver(
  models: Models,
  key: string,
  now: Date,
  opts: { abandonedAfterMs: number; stillUndone: () => Promise<boolean> },
): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    const next = attempt ? `${key}~${attempt}` : key;
    if (await claimOnce(models, next, now)) return true;
    const at = await claimedAt(models, next);
    if (!at || now.getTime() - at.getTime() < opts.abandonedAfterMs) return false;
    if (!(await opts.stillUndone())) return false;
  }
}
