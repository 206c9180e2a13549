import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { mongo } from 'mongoose';
import tar from 'tar-stream';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  entryName,
  type IndexSpec,
  MANIFEST_NAME,
  type Manifest,
  type ManifestCollection,
} from './manifest.js';

/**
 * The collections in the order they are read. The audit log goes last: an hourly anchor read
 * earlier always points at events the archive holds (events are only ever appended), so the
 * restored chain verifies even when the app kept writing during the backup.
 */
export async function collectionNames(db: mongo.Db): Promise<string[]> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((n) => !n.startsWith('system.'))
    .sort();
  const last = (n: string) => (n === 'audit_events' ? 1 : 0);
  return names.sort((a, b) => last(a) - last(b));
}

async function indexesOf(collection: mongo.Collection): Promise<IndexSpec[]> {
  const specs = await collection.indexes();
  return specs
    .filter((i) => i.name !== '_id_')
    .map(({ v: _v, ns: _ns, background: _b, ...spec }) => spec as unknown as IndexSpec);
}

/**
 * One collection's documents into a file as raw BSON, exactly the bytes the server sent (the
 * driver's `raw` cursor never decodes them), counted and hashed on the way. A tar header needs the
 * entry's size before its bytes, hence the file rather than streaming straight into the archive.
 */
async function dumpCollection(db: mongo.Db, name: string, file: string): Promise<ManifestCollection> {
  const collection = db.collection(name);
  const indexes = await indexesOf(collection);
  const hash = createHash('sha256');
  const out = createWriteStream(file, { mode: ARCHIVE_MODE });
  let count = 0;
  let bytes = 0;
  const cursor = collection.find({}, { raw: true, batchSize: 1000 });
  try {
    for await (const doc of cursor as unknown as AsyncIterable<Buffer>) {
      hash.update(doc);
      count += 1;
      bytes += doc.length;
      if (!out.write(doc)) await once(out, 'drain');
    }
  } finally {
    await cursor.close();
    out.end();
    await once(out, 'close');
  }
  return { name, entry: entryName(name), count, bytes, sha256: hash.digest('hex'), indexes };
}

function addEntry(pack: tar.Pack, name: string, size: number, source: NodeJS.ReadableStream | Buffer) {
  return new Promise<void>((resolve, reject) => {
    if (Buffer.isBuffer(source)) {
      pack.entry({ name, size, mtime: new Date(0) }, source, (err) => (err ? reject(err) : resolve()));
      return;
    }
    const entry = pack.entry({ name, size, mtime: new Date(0) }, (err) => (err ? reject(err) : resolve()));
    pipeline(source, entry).catch(reject);
  });
}

/** Owner read/write only, for the archive, its `.partial` and the temporary collection files. */
const ARCHIVE_MODE = 0o600;

export interface BackupInput {
  db: mongo.Db;
  /** The archive to write (a `.tar.gz`); written beside it under a temporary name, then renamed. */
  file: string;
  appVersion: string;
  now: Date;
}

/**
 * Writes every collection of the database into a gzipped tar: one `<collection>.bson` entry each,
 * then `manifest.json` (counts, bytes, SHA-256 of each entry, the indexes). Each collection passes
 * through one temporary file next to the archive, so memory stays flat as the data grows; the disk
 * needs room for the archive and the largest collection uncompressed.
 */
export async function writeBackup({ db, file, appVersion, now }: BackupInput): Promise<Manifest> {
  const work = await mkdtemp(path.join(path.dirname(path.resolve(file)), '.backup-'));
  const partial = `${file}.partial`;
  // The archive holds personal data and password hashes: its owner alone may read it. A `.partial`
  // left by a crash is removed first, since opening an existing file keeps that file's mode.
  await rm(partial, { force: true });
  const pack = tar.pack();
  const out = createWriteStream(partial, { mode: ARCHIVE_MODE, flags: 'wx' });
  const written = pipeline(pack, createGzip({ level: 6 }), out);
  try {
    const collections: ManifestCollection[] = [];
    for (const name of await collectionNames(db)) {
      const dump = path.join(work, 'collection.bson');
      const described = await dumpCollection(db, name, dump);
      const { size } = await stat(dump);
      await addEntry(pack, described.entry, size, createReadStream(dump));
      await rm(dump);
      collections.push(described);
    }
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      appVersion,
      createdAt: now.toISOString(),
      database: db.databaseName,
      collections,
    };
    const text = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    await addEntry(pack, MANIFEST_NAME, text.length, text);
    pack.finalize();
    await written;
    await rename(partial, file);
    return manifest;
  } catch (err) {
    pack.destroy(err as Error);
    await written.catch(() => {});
    await rm(partial, { force: true });
    throw err;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
