import type { mongo } from 'mongoose';
import { isDuplicateKey } from './connection.js';
import { modellessCollection } from './driver-collection.js';
import type { Models } from './models/index.js';

/**
 * The sign-in throttle's records (domain/login-throttle.ts), shared by every worker and instance
 * (issue #30), in the `login_throttle` collection. `<id>` is a sha256 of the record's kind and key
 * (services/identity/login-throttle.ts), so typed addresses and IPs are not stored in clear.
 *
 * Each change of a record is a new VERSION document `<id>:<n>`, claimed by a unique insert: of two
 * racing writers of version n exactly one inserts, the other reads it and decides again. A version
 * field updated in place would not do: on FerretDB v1 an update is a read then a write, so
 * `updateOne({_id, v})` lets two racers both match (measured: 65 "wins" for 60 versions with 40
 * racers), like `$inc`. The `<id>` document is only a HINT of the latest version (written after each
 * version, possibly stale, never trusted): a read starts from it and reads `<id>:<n+1>`, … by `_id`
 * until one is missing. Every command is by a plain `_id`, which FerretDB v1 answers without a scan.
 */
export interface ThrottleVersion<R> {
  /** The version number (0: no version yet). */
  v: number;
  /** The record as of this version (null: cleared, e.g. a pair after a correct password). */
  record: R | null;
}

interface StoredVersion {
  _id: string;
  v: number;
  record: unknown;
  /** When this version stops counting: the nightly prune deletes it after that. */
  expiresAt: Date;
}

function versions(models: Models): mongo.Collection<StoredVersion> {
  return modellessCollection<StoredVersion>(models, 'login_throttle');
}

const versionId = (id: string, v: number) => `${id}:${v}`;

/** The latest version of record `id`, reading on from `known` (a version already read) or the hint. */
export async function readThrottleRecord<R>(
  models: Models,
  id: string,
  known?: ThrottleVersion<R>,
): Promise<ThrottleVersion<R>> {
  let current = known;
  if (!current) {
    const hint = await versions(models).findOne({ _id: id });
    current = hint ? { v: hint.v, record: hint.record as R | null } : { v: 0, record: null };
  }
  for (;;) {
    const next: StoredVersion | null = await versions(models).findOne({ _id: versionId(id, current.v + 1) });
    if (!next) return current;
    current = { v: next.v, record: next.record as R | null };
  }
}

/**
 * Writes `next` as the version after `read`, and says whether this write won: false means another
 * writer took that version (read on from `read` and decide again). The hint is moved on after a win.
 */
export async function writeThrottleRecord<R>(
  models: Models,
  id: string,
  read: ThrottleVersion<R>,
  next: { record: R | null; expiresAt: Date },
): Promise<boolean> {
  const v = read.v + 1;
  try {
    await versions(models).insertOne({ _id: versionId(id, v), v, ...next });
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
  await moveHint(models, id, { v, ...next });
  return true;
}

/**
 * Sets the hint to version `v`: inserted with the first version, else set by plain `_id` (a filter
 * with anything more, e.g. "only if older", is a scan on FerretDB v1: 20–50 ms instead of 0.4).
 * Racing hint writes may leave an earlier version in place, which costs a reader one more `_id`
 * read, never a wrong answer.
 */
async function moveHint(models: Models, id: string, version: Omit<StoredVersion, '_id'>): Promise<void> {
  if (version.v > 1) {
    const moved = await versions(models).updateOne({ _id: id }, { $set: version });
    if (moved.matchedCount === 1) return;
  }
  try {
    await versions(models).insertOne({ _id: id, ...version });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/**
 * Deletes the versions and hints that stopped counting more than `graceMs` before `now` (nightly:
 * one scan of the collection). A record's versions expire in order, so what is left of a live
 * record is its latest versions; the grace keeps a hint its record still needs while a writer is
 * between a version and its hint.
 */
export async function pruneThrottleRecords(models: Models, now: Date, graceMs: number): Promise<number> {
  const before = new Date(now.getTime() - graceMs);
  return (await versions(models).deleteMany({ expiresAt: { $lte: before } })).deletedCount;
}
