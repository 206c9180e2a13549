import { isLanguage, shippedLanguage } from '../domain/i18n/languages.js';
import { driverCollection } from './driver-collection.js';
import type { Models } from './models/index.js';

/** The marker's `_id` in the `migrations` collection: once it exists, the migration has run. */
export const LEGACY_LOCALES_MIGRATION = 'locale-not-chosen-26';

export interface LegacyLocalesResult {
  /** People whose old default 'en' became '' (not chosen). */
  cleared: number;
  /** People whose value was no shipped code: now its shipped base code, or ''. */
  normalised: number;
}

/**
 * One-off, at start (db/connection.ts): before #26 `locale` defaulted to 'en' (model, person form,
 * CSV import, user:create), so an 'en' from then is no choice, and read as one it would pin the
 * person to English over their browser and the organisation's default. Values that are no shipped
 * code become the shipped base code ('es-MX' → 'es') or ''. Then every 'en' becomes '', except for
 * people with an audited `person.updated` naming `locale` (they, or HR, set it on purpose).
 *
 * Runs once per database (the marker, inserted last): an 'en' chosen later through a path that
 * writes no such event (a CSV import, a new person) must not be cleared by the next start. Two
 * instances starting together both run it; it gives the same result twice. Cheap at 100,000
 * people: one pass over the audited locale changes, one `updateMany` per distinct odd value and one
 * for the 'en's. Returns null when it had run already.
 */
export async function migrateLegacyLocales(models: Models): Promise<LegacyLocalesResult | null> {
  const db = models.User.db.db;
  if (!db) throw new Error('migrateLegacyLocales: no database');
  const migrations = db.collection<{ _id: string; at: Date; result: LegacyLocalesResult }>('migrations');
  if (await migrations.findOne({ _id: LEGACY_LOCALES_MIGRATION })) return null;

  const users = driverCollection(models.User);
  let normalised = 0;
  for (const value of (await users.distinct('locale')) as unknown[]) {
    if (typeof value !== 'string' || value === '' || isLanguage(value)) continue;
    const res = await users.updateMany({ locale: value }, { $set: { locale: shippedLanguage(value) ?? '' } });
    normalised += res.modifiedCount;
  }
  const chosen = await driverCollection(models.AuditEvent).distinct('subjectId', {
    action: 'person.updated',
    'details.fields': 'locale',
  });
  const cleared = await users.updateMany(
    { locale: 'en', _id: { $nin: chosen.filter((id): id is string => typeof id === 'string') } },
    { $set: { locale: '' } },
  );
  const result = { cleared: cleared.modifiedCount, normalised };
  try {
    await migrations.insertOne({ _id: LEGACY_LOCALES_MIGRATION, at: new Date(), result });
  } catch (err) {
    // Another instance ran it at the same time and recorded it first.
    if ((err as { code?: number }).code !== 11000) throw err;
  }
  return result;
}
