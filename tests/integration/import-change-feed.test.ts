import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { changeFeed } from '../../src/db/change-feed.js';
import { peopleDirectory } from '../../src/db/people-directory.js';
import {
  createSecondApp,
  createTestApp,
  createUser,
  loginAs,
  Session,
  type TestApp,
} from '../helpers/app.js';
import { commandsDuring, isWrite, monitoredUri } from '../helpers/db-commands.js';

/**
 * Issue #30 item 3, bulk writes: an import tells the other instances once for the whole batch (one
 * change-feed entry, three commands: the head's number, its claim and the slot), not once per row; a second
 * instance still sees the imported people, and the sessions of people the import deactivated end
 * there, within a second.
 */
const CACHE = { SESSION_CACHE_SECONDS: 300 };
const WITHIN_A_SECOND = { timeout: 1000, interval: 50 };

let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  a = await createTestApp({
    label: 'import-change-feed',
    seed: false,
    config: CACHE,
    mongoUri: monitoredUri(inject('mongoUri')),
  });
  b = await createSecondApp(a);
});

afterAll(async () => {
  await b?.close();
  await a?.close();
});

const csvOf = (rows: Array<{ email: string; name: string; active?: string }>) =>
  ['email,name,department,active', ...rows.map((r) => `${r.email},${r.name},Ops,${r.active ?? 'yes'}`)].join(
    '\n',
  );

/** Previews and applies a CSV on A; returns the feed writes the apply sent. */
async function importOnA(csv: string, deactivateMissing = false): Promise<number> {
  const people = a.app.services.people;
  const now = a.clock.now();
  const preview = await people.previewImport({
    csv,
    fileName: 't.csv',
    deactivateMissing,
    actorId: 'hr',
    now,
  });
  const commands = await commandsDuring(a.app, () =>
    people.applyImport({ previewId: preview._id, actorId: 'hr', now }),
  );
  return commands.filter((c) => isWrite(c) && / change_feed(_head|_claims)?$/.test(c)).length;
}

const namesInB = async (prefix: string) =>
  (await peopleDirectory(b.app.db.models).everyone(b.clock.now().getTime(), 60_000)).filter((h) =>
    h.entry.email.startsWith(prefix),
  ).length;

describe('an import writes one change-feed entry for the whole batch', () => {
  it('150 people imported: one entry (3 feed writes: number, claim, slot), and B lists all of them within a second', async () => {
    await namesInB('big'); // B holds its directory
    const rows = Array.from({ length: 150 }, (_, i) => ({ email: `big${i}@example.com`, name: `Big ${i}` }));
    expect(await importOnA(csvOf(rows))).toBe(3);
    await expect.poll(() => namesInB('big'), WITHIN_A_SECOND).toBe(150);
  });

  it('20 people imported, then renamed: one entry each time, and B shows the new names', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({
      email: `small${i}@example.com`,
      name: `Small ${i}`,
    }));
    expect(await importOnA(csvOf(rows))).toBe(3);
    await expect.poll(() => namesInB('small'), WITHIN_A_SECOND).toBe(20);
    const renamed = rows.map((r) => ({ ...r, name: `${r.name} Renamed` }));
    expect(await importOnA(csvOf(renamed))).toBe(3);
    const renamedInB = async () =>
      (await peopleDirectory(b.app.db.models).everyone(b.clock.now().getTime(), 60_000)).filter((h) =>
        h.entry.name.endsWith('Renamed'),
      ).length;
    await expect.poll(renamedInB, WITHIN_A_SECOND).toBe(20);
  });

  it('an import deactivating signed-in people ends their sessions in B within a second, in one entry', async () => {
    const leavers = ['leaver0@example.com', 'leaver1@example.com', 'leaver2@example.com'];
    const onB: Session[] = [];
    for (const email of leavers) {
      await createUser(a.app, { email, name: email });
      const onA = await loginAs(a.app, email);
      const s = new Session(b.app);
      s.cookies = { ...onA.cookies };
      expect((await s.get('/')).statusCode).toBe(200); // cached in B
      onB.push(s);
    }
    // The leavers and 50 newcomers: one entry for the people, one for the ended sessions.
    const rows = [
      ...leavers.map((email) => ({ email, name: email, active: 'no' })),
      ...Array.from({ length: 50 }, (_, i) => ({ email: `new${i}@example.com`, name: `New ${i}` })),
    ];
    expect(await importOnA(csvOf(rows))).toBe(6);
    for (const s of onB)
      await expect.poll(async () => (await s.get('/')).statusCode, WITHIN_A_SECOND).toBe(302);
    await expect.poll(() => namesInB('new'), WITHIN_A_SECOND).toBe(50);
  });
});

describe('concurrent writers in one instance', () => {
  it('40 entries published at once each get their own number (FerretDB’s $inc is not atomic)', async () => {
    const feed = changeFeed(a.app.db.models);
    const before = await feed.headSeq();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => feed.publish({ kind: 'person', userId: `p${i}` })),
    );
    expect(await feed.headSeq()).toBe(before + 40);
    const written = await Promise.all(Array.from({ length: 40 }, (_, i) => feed.slot(before + 1 + i)));
    expect(new Set(written.map((e) => e?.kind === 'person' && e.userId)).size).toBe(40);
  });
});
