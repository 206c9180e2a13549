/**
 * The archive's table of contents, `manifest.json`, written as its last entry (the checksums are
 * known only once every collection has been streamed). Restore reads it before changing anything.
 */
export const BACKUP_FORMAT = 'policy-training-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_NAME = 'manifest.json';

/** An index as `listIndexes` describes it, without the server-specific fields (`v`, `ns`). */
export interface IndexSpec {
  key: Record<string, number | string>;
  name: string;
  [option: string]: unknown;
}

export interface ManifestCollection {
  name: string;
  /** The tar entry holding the documents: BSON, one after another (as mongodump's `.bson` files). */
  entry: string;
  count: number;
  bytes: number;
  /** SHA-256 of the entry's bytes, hex. */
  sha256: string;
  indexes: IndexSpec[];
}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  appVersion: string;
  createdAt: string;
  database: string;
  collections: ManifestCollection[];
}

export const entryName = (collection: string) => `${collection}.bson`;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function isCollection(v: unknown): v is ManifestCollection {
  return (
    isRecord(v) &&
    typeof v.name === 'string' &&
    // The app's own collection names: never a system collection, never a path.
    /^[a-z][a-z0-9_]{0,99}$/.test(v.name) &&
    v.entry === entryName(v.name) &&
    Number.isSafeInteger(v.count) &&
    Number.isSafeInteger(v.bytes) &&
    typeof v.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(v.sha256) &&
    Array.isArray(v.indexes) &&
    v.indexes.every((i) => isRecord(i) && typeof i.name === 'string' && isRecord(i.key))
  );
}

/** The manifest's text as a Manifest, or why it is not one this version can restore. */
export function parseManifest(text: string): Manifest | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'manifest.json is not JSON' };
  }
  if (!isRecord(value) || value.format !== BACKUP_FORMAT)
    return { problem: 'manifest.json does not describe a policy-training backup' };
  if (value.formatVersion !== BACKUP_FORMAT_VERSION)
    return {
      problem: `the archive has format version ${String(value.formatVersion)}; this version of the app restores version ${BACKUP_FORMAT_VERSION}`,
    };
  if (!Array.isArray(value.collections) || !value.collections.every(isCollection))
    return { problem: 'manifest.json lists its collections in a form this version does not read' };
  return value as unknown as Manifest;
}
