import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { Invalid } from '../../../domain/errors.js';
import { bsonDocuments } from './bson-stream.js';
import { MANIFEST_NAME, type Manifest, parseManifest } from './manifest.js';

/** A refusal that names the archive and what is wrong with it; nothing was changed. */
export function refused(file: string, problem: string): Invalid {
  // i18n-ignore: told by the restore CLI command to the operator, never shown in a page
  return new Invalid(`Refused ${file}: ${problem}. Nothing was restored.`);
}

export interface ArchiveEntry {
  name: string;
  /** The entry's bytes, read once; must be consumed before the next entry. */
  chunks: AsyncIterable<Buffer>;
}

/**
 * Each entry of a gzipped tar in turn, streamed from disk. Errors from gunzip or the tar reader
 * (a truncated or foreign file) come out as a refusal saying the file is not a readable archive.
 */
export async function* archiveEntries(file: string): AsyncGenerator<ArchiveEntry> {
  const extract = tar.extract();
  const reading = pipeline(createReadStream(file), createGunzip(), extract);
  let failure: Error | null = null;
  reading.catch((err: Error) => {
    failure = err;
  });
  try {
    for await (const entry of extract) {
      yield { name: entry.header.name, chunks: entry as AsyncIterable<Buffer> };
      entry.resume();
    }
    await reading;
  } catch (err) {
    const cause = failure ?? (err as Error);
    if (cause instanceof Invalid) throw cause;
    throw refused(file, `it is not a readable backup archive (${cause.message})`);
  } finally {
    extract.destroy();
  }
}

interface EntryDigest {
  sha256: string;
  count: number;
  bytes: number;
}

/** SHA-256, document count and size of one entry, read in passing. */
export async function digestOf(chunks: AsyncIterable<Buffer>): Promise<EntryDigest> {
  const hash = createHash('sha256');
  let count = 0;
  let bytes = 0;
  async function* hashed() {
    for await (const chunk of chunks) {
      hash.update(chunk);
      bytes += chunk.length;
      yield chunk;
    }
  }
  for await (const _doc of bsonDocuments(hashed())) count += 1;
  return { sha256: hash.digest('hex'), count, bytes };
}

async function textOf(chunks: AsyncIterable<Buffer>, limit: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.length;
    if (size > limit) throw new Error('manifest.json is too large');
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}

function compare(file: string, manifest: Manifest, digests: Map<string, EntryDigest>): void {
  for (const c of manifest.collections) {
    const found = digests.get(c.entry);
    if (!found) throw refused(file, `${c.entry} is listed in manifest.json but missing from the archive`);
    if (found.sha256 !== c.sha256 || found.bytes !== c.bytes)
      throw refused(
        file,
        `${c.entry} does not match its checksum in manifest.json (the file is damaged or was changed)`,
      );
    if (found.count !== c.count)
      throw refused(file, `${c.entry} holds ${found.count} documents, manifest.json says ${c.count}`);
    digests.delete(c.entry);
  }
  const extra = [...digests.keys()];
  if (extra.length > 0) throw refused(file, `${extra.join(', ')} are not listed in manifest.json`);
}

/**
 * Reads the whole archive once and checks it against its manifest: every entry present, of the
 * listed size and document count, with the listed SHA-256. Returns the manifest, or throws a
 * refusal naming the first problem. Memory stays flat (one chunk at a time).
 */
export async function verifyArchive(file: string): Promise<Manifest> {
  let manifestText: string | null = null;
  const digests = new Map<string, EntryDigest>();
  for await (const entry of archiveEntries(file)) {
    if (entry.name === MANIFEST_NAME) manifestText = await textOf(entry.chunks, 16 * 1024 * 1024);
    else if (entry.name.endsWith('.bson')) {
      try {
        digests.set(entry.name, await digestOf(entry.chunks));
      } catch (err) {
        throw refused(file, `${entry.name} is not a sequence of BSON documents (${(err as Error).message})`);
      }
    } else throw refused(file, `it holds ${entry.name}, which is not part of a backup`);
  }
  if (manifestText === null) throw refused(file, 'it has no manifest.json, so it is not a backup archive');
  const manifest = parseManifest(manifestText);
  if ('problem' in manifest) throw refused(file, manifest.problem);
  compare(file, manifest, digests);
  return manifest;
}
