import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ label: 'idindex', seed: false });
});
afterAll(async () => t.close());

/** The query plan as text: SQLite's plan on FerretDB, the winning plan stages on MongoDB. */
async function planFor(command: Record<string, unknown>): Promise<string> {
  const plan = await t.app.db.conn.db!.command({ explain: command });
  return JSON.stringify(plan.queryPlanner ?? plan);
}

const usesIdIndex = /USING INDEX \S+__id_|IDHACK|EXPRESS_IXSCAN|IXSCAN/;

// Every hot path (sessions, login keys, assignments, cycles, attempts) is a read or write by _id.
// FerretDB's SQLite backend only uses its _id index with the fix applied at build time
// (src/db/ferretdb/build.ts); without it each of these scans the whole collection.
describe('_id lookups use an index', () => {
  it('for find, update and delete by _id', async () => {
    const col = t.app.db.conn.db!.collection<{ _id: string; n: number }>('id_index_probe');
    await col.insertMany(Array.from({ length: 50 }, (_, n) => ({ _id: `user${n}:course`, n })));
    expect(await planFor({ find: 'id_index_probe', filter: { _id: 'user7:course' } })).toMatch(usesIdIndex);
    expect(await col.findOne({ _id: 'user7:course' })).toMatchObject({ n: 7 });
    await col.updateOne({ _id: 'user7:course' }, { $set: { n: 70 } });
    expect(await col.findOne({ _id: 'user7:course' })).toMatchObject({ n: 70 });
    await col.deleteOne({ _id: 'user8:course' });
    expect(await col.countDocuments()).toBe(49);
  });
});
