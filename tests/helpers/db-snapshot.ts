import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import mongoose from 'mongoose';

export interface CollectionSnapshot {
  count: number;
  hash: string;
}

export type DbSnapshot = Record<string, CollectionSnapshot>;

/**
 * Count and sha256 of every document of every collection, read in `_id` order as canonical
 * extended JSON. Two equal snapshots mean nothing was inserted, changed or deleted.
 */
export async function snapshotDb(
  conn: Connection,
  opts: { ignore?: readonly string[] } = {},
): Promise<DbSnapshot> {
  const db = conn.db;
  if (!db) throw new Error('not connected');
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((n) => !n.startsWith('system.') && !(opts.ignore ?? []).includes(n))
    .sort();
  const out: DbSnapshot = {};
  for (const name of names) {
    const hash = createHash('sha256');
    let count = 0;
    for await (const doc of db.collection(name).find({}).sort({ _id: 1 })) {
      hash.update(mongoose.mongo.BSON.EJSON.stringify(doc, { relaxed: false }));
      hash.update('\n');
      count += 1;
    }
    out[name] = { count, hash: hash.digest('hex').slice(0, 16) };
  }
  return out;
}

/** Names of the collections whose count or content differ between two snapshots. */
export function changedCollections(before: DbSnapshot, after: DbSnapshot): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names]
    .filter((n) => {
      const a = before[n] ?? { count: 0, hash: '' };
      const b = after[n] ?? { count: 0, hash: '' };
      // An empty collection appearing (created lazily) is not a change of data.
      if (a.count === 0 && b.count === 0) return false;
      return a.count !== b.count || a.hash !== b.hash;
    })
    .sort();
}
