import { mongo } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { bsonDocuments } from '../../../src/services/operations/backup/bson-stream.js';
import { BACKUP_FORMAT, parseManifest } from '../../../src/services/operations/backup/manifest.js';

async function* chunked(bytes: Buffer, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const doc of bsonDocuments(chunks)) out.push(Buffer.from(doc));
  return out;
}

describe('BSON entry reader', () => {
  const docs = [
    { _id: 'a', n: 1 },
    { _id: 'b', text: 'x'.repeat(300), at: new Date(0) },
    { _id: 'c', list: [1, 2, 3] },
  ].map((d) => mongo.BSON.serialize(d));
  const all = Buffer.concat(docs);

  it('finds every document whatever the chunk boundaries', async () => {
    for (const size of [1, 3, 7, 64, all.length])
      expect(await collect(chunked(all, size)), `chunks of ${size}`).toEqual(docs);
  });

  it('refuses an entry that ends inside a document', async () => {
    await expect(collect(chunked(all.subarray(0, all.length - 2), 64))).rejects.toThrow(/ends inside/);
  });
});

describe('manifest', () => {
  const manifest = {
    format: BACKUP_FORMAT,
    formatVersion: 1,
    appVersion: '0.1.0',
    createdAt: '2026-12-06T02:00:00.000Z',
    database: 'policy_training',
    collections: [
      { name: 'users', entry: 'users.bson', count: 2, bytes: 10, sha256: 'a'.repeat(64), indexes: [] },
    ],
  };

  it('reads a manifest of this format version', () => {
    expect(parseManifest(JSON.stringify(manifest))).toEqual(manifest);
  });

  it('says why it cannot restore another one', () => {
    expect(parseManifest('{')).toEqual({ problem: 'manifest.json is not JSON' });
    expect(parseManifest(JSON.stringify({ ...manifest, format: 'mongodump' }))).toMatchObject({
      problem: expect.stringMatching(/not describe a policy-training backup/),
    });
    expect(parseManifest(JSON.stringify({ ...manifest, formatVersion: 2 }))).toMatchObject({
      problem: expect.stringMatching(/format version 2; this version of the app restores version 1/),
    });
    for (const name of ['../etc/passwd', 'system.users']) {
      const renamed = { ...manifest.collections[0], name, entry: `${name}.bson` };
      expect(parseManifest(JSON.stringify({ ...manifest, collections: [renamed] })), name).toHaveProperty(
        'problem',
      );
    }
  });
});
