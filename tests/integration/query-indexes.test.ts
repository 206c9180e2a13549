import type { Schema } from 'mongoose';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { type Db, openDb } from '../../src/db/connection.js';
import type { Models } from '../../src/db/models/index.js';
import { isFerretdb, QUERY_INDEXES, queryIndexName } from '../../src/db/query-indexes.js';
import { uniqueDbName } from '../helpers/app.js';

/** The query indexes: created where the server plans with them, skipped on FerretDB, valid specs. */

const opened: Db[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    await db.conn.dropDatabase();
    await db.close();
  }
});

async function open(mode: 'auto' | 'on' | 'off'): Promise<Db> {
  const db = await openDb(inject('mongoUri'), uniqueDbName(`qidx_${mode}`), mode);
  opened.push(db);
  return db;
}

/** Names of the `q_` indexes on every collection that declares some. */
async function queryIndexesIn(db: Db): Promise<string[]> {
  const names: string[] = [];
  for (const model of Object.keys(QUERY_INDEXES) as Array<keyof Models>) {
    const listed = await db.models[model].collection.listIndexes().toArray();
    names.push(...listed.map((i) => String(i.name)).filter((n) => n.startsWith('q_')));
  }
  return names.sort();
}

const declared = Object.values(QUERY_INDEXES)
  .flatMap((specs) => specs ?? [])
  .map(queryIndexName)
  .sort();

describe('query indexes', () => {
  it('recognises FerretDB by the version field it adds to buildInfo', () => {
    expect(isFerretdb({ version: '7.0.42', ferretdbVersion: 'v1.24.2' })).toBe(true);
    expect(isFerretdb({ version: '7.0.14', gitVersion: 'ce59cfc6a3c5e5c067dca0d30697edd68d4f5188' })).toBe(
      false,
    );
  });

  it('auto: skipped on FerretDB (never used there), created on a server that plans with them', async () => {
    const db = await open('auto');
    const info = await db.conn.db!.admin().buildInfo();
    expect(await queryIndexesIn(db)).toEqual(isFerretdb(info) ? [] : declared);
    // The unique indexes that guard inserts are there either way.
    const userIndexes = await db.models.User.collection.listIndexes().toArray();
    expect(userIndexes.filter((i) => i.unique).map((i) => Object.keys(i.key)[0])).toEqual(
      expect.arrayContaining(['email', 'employeeId']),
    );
  });

  it('on: every declared index is created (valid specs), and a second start changes nothing', async () => {
    const db = await open('on');
    expect(await queryIndexesIn(db)).toEqual(declared);
    const again = await openDb(inject('mongoUri'), db.conn.name, 'on');
    opened.push(again);
    expect(await queryIndexesIn(again)).toEqual(declared);
  });

  it('off: none are created', async () => {
    expect(await queryIndexesIn(await open('off'))).toEqual([]);
  });

  it('indexes only fields the documents have', async () => {
    const db = await open('off');
    for (const [model, specs] of Object.entries(QUERY_INDEXES)) {
      const schema = db.models[model as keyof Models].schema as Schema;
      for (const field of (specs ?? []).flatMap((s) => Object.keys(s))) {
        expect(schema.path(field), `${model}.${field}`).toBeTruthy();
      }
    }
  });
});
