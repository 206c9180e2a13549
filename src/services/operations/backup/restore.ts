import { createHash } from 'node:crypto';
import { mongo } from 'mongoose';
import { Conflict } from '../../../domain/errors.js';
import { bsonDocuments } from './bson-stream.js';
import type { Manifest, ManifestCollection } from './manifest.js';
import { archiveEntries, refused, verifyArchive } from './read.js';
import { collectionNames } from './write.js';

const BATCH_DOCUMENTS = 2000;
const BATCH_BYTES = 8 * 1024 * 1024;
const IN_FLIGHT = 3;

/** Each collection of the target holding documents, with its count (the first few). */
/**
 * The app's data-migration markers (db/connection.ts `migrateData`), written by any start even on an
 * empty database, are not data: a database holding only them is empty. Restore drops them with every
 * other collection, so the archive's markers (or none, for an older archive: migrated at next start) decide.
 */
const NOT_DATA = new Set(['migrations']);

async function collectionsWithData(db: mongo.Db): Promise<Array<{ name: string; count: number }>> {
  const found: Array<{ name: string; count: number }> = [];
  for (const name of await collectionNames(db)) {
    if (NOT_DATA.has(name)) continue;
    if (!(await db.collection(name).findOne({}, { projection: { _id: 1 } }))) continue;
    found.push({ name, count: await db.collection(name).countDocuments({}) });
    if (found.length === 5) break;
  }
  return found;
}

/**
 * Inserts one entry's documents in batches, up to three in flight while the next is decoded (the
 * bench's synthetic writer's setting, the fastest measured on FerretDB). `promoteValues: false`
 * keeps every number's BSON type (an int32 stays an int32, a double a double), so each document is
 * stored with the bytes it had. Re-hashes the entry: the file must not have changed since it was
 * verified. Returns the inserts the database acknowledged (counting afterwards would read every
 * document again: FerretDB counts by scanning).
 */
async function restoreEntry(
  db: mongo.Db,
  file: string,
  described: ManifestCollection,
  chunks: AsyncIterable<Buffer>,
): Promise<number> {
  const collection = db.collection(described.name);
  await db.createCollection(described.name);
  const hash = createHash('sha256');
  async function* hashed() {
    for await (const chunk of chunks) {
      hash.update(chunk);
      yield chunk;
    }
  }
  let inserted = 0;
  const inFlight: Array<Promise<void>> = [];
  let batch: mongo.Document[] = [];
  let batchBytes = 0;
  const flush = async () => {
    if (batch.length > 0) {
      const insert = collection.insertMany(batch, { ordered: false }).then((r) => {
        inserted += r.insertedCount;
      });
      // Awaited below in turn; marked handled now so a failure while an earlier one is awaited
      // does not count as an unhandled rejection (which would end the process).
      insert.catch(() => {});
      inFlight.push(insert);
    }
    batch = [];
    batchBytes = 0;
    if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
  };
  for await (const bytes of bsonDocuments(hashed())) {
    batch.push(mongo.BSON.deserialize(bytes, { promoteValues: false, bsonRegExp: true }));
    batchBytes += bytes.length;
    if (batch.length >= BATCH_DOCUMENTS || batchBytes >= BATCH_BYTES) await flush();
  }
  await flush();
  await Promise.all(inFlight);
  if (hash.digest('hex') !== described.sha256)
    throw refused(
      file,
      `${described.entry} changed while it was being restored; restore again with --replace`,
    );
  if (described.indexes.length > 0)
    await collection.createIndexes(
      described.indexes.map(({ key, name, ...options }) => ({
        key: key as Record<string, mongo.IndexDirection>,
        name,
        ...options,
      })),
    );
  return inserted;
}

export interface RestoreInput {
  db: mongo.Db;
  file: string;
  /** Drop every collection of a database that already holds documents, instead of refusing it. */
  replace: boolean;
}

export interface RestoreReport {
  manifest: Manifest;
  /** Per collection: the count the manifest lists and the inserts the database acknowledged. */
  counts: Array<{ name: string; expected: number; restored: number }>;
}

/**
 * Restores an archive written by `writeBackup`: verifies every checksum first (a damaged archive
 * changes nothing), refuses a database holding documents unless `replace`, drops the target's
 * collections (empty ones included, so every index comes from the archive), inserts the documents
 * in batches, recreates the indexes and reports the inserts the database acknowledged.
 */
export async function restoreBackup({ db, file, replace }: RestoreInput): Promise<RestoreReport> {
  const manifest = await verifyArchive(file);
  const occupied = await collectionsWithData(db);
  if (occupied.length > 0 && !replace) {
    const listed = occupied
      .map((c) => `${c.name}: ${c.count} document${c.count === 1 ? '' : 's'}`)
      .join(', ');
    // i18n-ignore: told by the restore CLI command to the operator, never shown in a page
    throw new Conflict(
      `Refused ${file}: the database "${db.databaseName}" is not empty (${listed}${occupied.length === 5 ? ', …' : ''}). ` +
        'Restore into an empty database, or add --replace to drop its collections first. Nothing was restored.',
    );
  }
  for (const name of await collectionNames(db)) await db.collection(name).drop();
  const byEntry = new Map(manifest.collections.map((c) => [c.entry, c]));
  const inserted = new Map<string, number>();
  for await (const entry of archiveEntries(file)) {
    const described = byEntry.get(entry.name);
    if (described) inserted.set(described.name, await restoreEntry(db, file, described, entry.chunks));
  }
  const counts = manifest.collections.map((c) => ({
    name: c.name,
    expected: c.count,
    restored: inserted.get(c.name) ?? 0,
  }));
  return { manifest, counts };
}
