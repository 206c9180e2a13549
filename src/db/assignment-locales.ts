import type { mongo } from 'mongoose';
import { driverCollection } from './driver-collection.js';
import type { Models } from './models/index.js';
import type { AssignmentDoc } from './models/training.js';

/** The marker's `_id` in the `migrations` collection: once it exists, the backfill has run. */
export const ASSIGNMENT_LOCALES_MIGRATION = 'assignment-locale-copy-26';

/** Updates sent per bulk write, each by `_id`. */
const BATCH = 500;

/**
 * One-off, at start (db/connection.ts), after the legacy locales are cleared: copies each person's
 * chosen language onto their assignments written before the person copy carried it
 * (domain/person-copy.ts), so the sweep's reminders need no read of the person. People who chose
 * none are skipped (an absent copy reads as none). One pass over the people with a language and one
 * over the assignments, written by `_id` in bulk; every later change goes through the person copy.
 * Runs once per database (the marker, inserted last); two instances starting together write the
 * same values. Returns null when it had run already, else how many assignments it set.
 */
export async function copyLocalesToAssignments(models: Models): Promise<{ copied: number } | null> {
  const db = models.User.db.db;
  if (!db) throw new Error('copyLocalesToAssignments: no database');
  const migrations = db.collection<{ _id: string; at: Date; result: { copied: number } }>('migrations');
  if (await migrations.findOne({ _id: ASSIGNMENT_LOCALES_MIGRATION })) return null;

  const chosen = new Map<string, string>();
  const people = driverCollection(models.User).find<{ _id: string; locale?: string }>(
    { locale: { $ne: '' } },
    { projection: { locale: 1 } },
  );
  for await (const p of people) if (p.locale) chosen.set(p._id, p.locale);

  let copied = 0;
  if (chosen.size) {
    const assignments = driverCollection(models.Assignment);
    let batch: mongo.AnyBulkWriteOperation<AssignmentDoc>[] = [];
    const flush = async () => {
      if (batch.length) copied += (await assignments.bulkWrite(batch, { ordered: false })).modifiedCount;
      batch = [];
    };
    const cursor = assignments.find<Pick<AssignmentDoc, '_id' | 'userId' | 'locale'>>(
      {},
      { projection: { userId: 1, locale: 1 } },
    );
    for await (const a of cursor) {
      const locale = chosen.get(a.userId);
      if (!locale || a.locale === locale) continue;
      batch.push({ updateOne: { filter: { _id: a._id }, update: { $set: { locale } } } });
      if (batch.length >= BATCH) await flush();
    }
    await flush();
  }
  const result = { copied };
  try {
    await migrations.insertOne({ _id: ASSIGNMENT_LOCALES_MIGRATION, at: new Date(), result });
  } catch (err) {
    // Another instance ran it at the same time and recorded it first.
    if ((err as { code?: number }).code !== 11000) throw err;
  }
  return result;
}
