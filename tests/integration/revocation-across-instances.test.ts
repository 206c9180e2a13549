import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeFeed, FEED_SLOTS } from '../../src/db/change-feed.js';
import { ChangeFeedPoller } from '../../src/db/change-feed-poller.js';
import { peopleDirectory } from '../../src/db/people-directory.js';
import { sessionCacheOf } from '../../src/db/session-store.js';
import {
  createSecondApp,
  createTestApp,
  createUser,
  loginAs,
  Session,
  type TestApp,
} from '../helpers/app.js';

/**
 * Issue #30 item 3: two instances on one database, each with a session cache that would serve a
 * copy for 300 s. A sign-out, a role change or a deactivation in A ends the session in B within a
 * second (the change feed), and B's people directory shows A's changes as fast.
 */
const CACHE = { SESSION_CACHE_SECONDS: 300 };
const WITHIN_A_SECOND = { timeout: 1000, interval: 50 };

let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  a = await createTestApp({ label: 'revocation', seed: false, config: CACHE });
  b = await createSecondApp(a);
});

afterAll(async () => {
  await b?.close();
  await a?.close();
});

/** Signs in on A and makes B hold the session in its cache; returns the session as B sees it. */
async function signedInOnBoth(email: string): Promise<{ onA: Session; onB: Session; id: string }> {
  const user = await createUser(a.app, { email });
  const onA = await loginAs(a.app, email);
  const onB = new Session(b.app);
  onB.cookies = { ...onA.cookies };
  expect((await onB.get('/')).statusCode).toBe(200);
  return { onA, onB, id: user._id };
}

const signedOut = async (s: Session) => (await s.get('/')).statusCode === 302;

describe('a change in one instance reaches the other within a second', () => {
  it('sign-out in A ends the session in B', async () => {
    const { onA, onB } = await signedInOnBoth('signout@example.com');
    expect((await onA.post('/logout')).statusCode).toBe(303);
    await expect.poll(() => signedOut(onB), WITHIN_A_SECOND).toBe(true);
  });

  it('a role change in A ends the person’s sessions in B and shows in B’s directory', async () => {
    const { onB, id } = await signedInOnBoth('promoted@example.com');
    const directoryOfB = peopleDirectory(b.app.db.models);
    await directoryOfB.everyone(b.clock.now().getTime(), 60_000);
    await a.app.services.people.updatePerson({
      userId: id,
      changes: { role: 'hr' },
      actorId: null,
      now: a.clock.now(),
    });
    await expect.poll(() => signedOut(onB), WITHIN_A_SECOND).toBe(true);
    const roleInB = async () =>
      (await directoryOfB.everyone(b.clock.now().getTime(), 60_000)).find((h) => h.entry._id === id)?.entry
        .role;
    await expect.poll(roleInB, WITHIN_A_SECOND).toBe('hr');
  });

  it('a deactivation in A ends the person’s sessions in B', async () => {
    const { onB, id } = await signedInOnBoth('leaver@example.com');
    await a.app.services.people.updatePerson({
      userId: id,
      changes: { active: false },
      actorId: null,
      now: a.clock.now(),
    });
    await expect.poll(() => signedOut(onB), WITHIN_A_SECOND).toBe(true);
  });

  it('a language chosen in A is the person’s language in B', async () => {
    const { onA, id } = await signedInOnBoth('sprache@example.com');
    const localeInB = () => peopleDirectory(b.app.db.models).localeOf(id, b.clock.now().getTime(), 60_000);
    expect(await localeInB()).not.toBe('de');
    expect((await onA.post('/language', { lang: 'de', next: '/' })).statusCode).toBe(303);
    await expect.poll(localeInB, WITHIN_A_SECOND).toBe('de');
  });

  it('a sign-out behind hundreds of other changes (an import) still ends the session in B', async () => {
    const { onA, onB } = await signedInOnBoth('behind@example.com');
    const feed = changeFeed(a.app.db.models);
    // More than a poll reads one by one: B drops every copy instead.
    for (let i = 0; i < 250; i += 25) {
      await Promise.all(Array.from({ length: 25 }, () => feed.publish({ kind: 'person', userId: 'nobody' })));
    }
    expect((await onA.post('/logout')).statusCode).toBe(303);
    await expect.poll(() => signedOut(onB), WITHIN_A_SECOND).toBe(true);
  });

  it('a person created in A is in B’s directory', async () => {
    const directoryOfB = peopleDirectory(b.app.db.models);
    await directoryOfB.everyone(b.clock.now().getTime(), 60_000);
    const person = await a.app.services.people.createPerson({
      person: {
        email: 'newcomer@example.com',
        name: 'New Comer',
        employeeId: null,
        department: 'Sales',
        managerId: null,
        hireDate: null,
        locale: '',
        active: true,
        region: null,
      },
      actorId: null,
      now: a.clock.now(),
    });
    const inB = async () =>
      (await directoryOfB.everyone(b.clock.now().getTime(), 60_000)).some((h) => h.entry._id === person._id);
    await expect.poll(inB, WITHIN_A_SECOND).toBe(true);
  });
});

describe('two instances publishing at once', () => {
  it('never share a number: 40 sign-outs from each, all at once, all end in a third instance within a second', async () => {
    const c = await createSecondApp(a);
    try {
      const cacheOfC = sessionCacheOf(c.app.db.models);
      if (!cacheOfC) throw new Error('the observer caches no sessions');
      const expiresAt = c.clock.now().getTime() + 3_600_000;
      const cacheInC = (sid: string) =>
        cacheOfC.load(sid, async () => ({ json: '{}', expiresAt, userId: `user-${sid}` }));
      const sids = Array.from({ length: 80 }, (_, i) => `race-${i}`);
      // A session nobody ends: still held at the end, so C applied each entry (no start afresh).
      await Promise.all([...sids, 'bystander'].map(cacheInC));
      expect(sids.every((sid) => cacheOfC.holds(sid))).toBe(true);

      const feedOfA = changeFeed(a.app.db.models);
      const feedOfB = changeFeed(b.app.db.models);
      const before = await feedOfA.headSeq();
      await Promise.all(sids.map((sid, i) => (i % 2 ? feedOfB : feedOfA).publish({ kind: 'session', sid })));

      const numbered = await Promise.all(Array.from({ length: 80 }, (_, i) => feedOfA.slot(before + 1 + i)));
      expect(numbered.map((e) => e?.seq)).toEqual(Array.from({ length: 80 }, (_, i) => before + 1 + i));
      expect(new Set(numbered.map((e) => (e?.kind === 'session' ? e.sid : null)))).toEqual(new Set(sids));
      await expect.poll(() => sids.filter((sid) => cacheOfC.holds(sid)).length, WITHIN_A_SECOND).toBe(0);
      expect(cacheOfC.holds('bystander')).toBe(true);
    } finally {
      await c.close();
    }
  });
});

describe('the claims', () => {
  it('a publish deletes the claim of one lap ago, by its number', async () => {
    const d = await createTestApp({ label: 'feed-claims', seed: false });
    try {
      const db = d.app.db.models.Session.db.db;
      if (!db) throw new Error('no database');
      const claims = db.collection<{ _id: number }>('change_feed_claims');
      await db
        .collection<{ _id: string; seq: number }>('change_feed_head')
        .updateOne({ _id: 'head' }, { $set: { seq: FEED_SLOTS + 9 } }, { upsert: true });
      await claims.insertMany([{ _id: 9 }, { _id: 10 }, { _id: 11 }]);
      await changeFeed(d.app.db.models).publish({ kind: 'session', sid: 'lap' });
      const left = (await claims.find({}).toArray()).map((c) => c._id).sort((x, y) => x - y);
      expect(left).toEqual([9, 11, FEED_SLOTS + 10]);
    } finally {
      await d.close();
    }
  });
});

describe('the poller', () => {
  it('waits out a head put back by a racing increment instead of dropping every copy', async () => {
    const c = await createSecondApp(a);
    try {
      await c.app.changeFeedPoller.stop();
      await changeFeed(a.app.db.models).publish({ kind: 'person', userId: 'nobody' });
      const poller = new ChangeFeedPoller(c.app.db.models, (err) => {
        throw err;
      });
      await poller.start();
      await poller.stop();
      const cacheOfC = sessionCacheOf(c.app.db.models);
      const expiresAt = c.clock.now().getTime() + 3_600_000;
      await cacheOfC?.load('kept', async () => ({ json: '{}', expiresAt, userId: 'someone' }));
      const head = c.app.db.models.Session.db.db?.collection<{ _id: string; seq: number }>(
        'change_feed_head',
      );
      await head?.updateOne({ _id: 'head' }, { $inc: { seq: -1 } });
      try {
        await poller.pollOnce();
      } finally {
        await head?.updateOne({ _id: 'head' }, { $inc: { seq: 1 } });
      }
      expect(cacheOfC?.holds('kept')).toBe(true);
    } finally {
      await c.close();
    }
  });

  it('starts with its app and leaves no timer behind when the app closes', async () => {
    const c = await createSecondApp(a);
    expect(c.app.changeFeedPoller.scheduled).toBe(true);
    await c.close();
    expect(c.app.changeFeedPoller.scheduled).toBe(false);
  });

  it('reports a database it cannot read once, keeps trying, and stops', async () => {
    const c = await createSecondApp(a);
    await c.app.changeFeedPoller.stop();
    await c.app.db.conn.close();
    const errors: unknown[] = [];
    const poller = new ChangeFeedPoller(c.app.db.models, (err) => errors.push(err), 10);
    await poller.start();
    await expect.poll(() => errors.length).toBe(1);
    // Polls go on failing (a streak is reported once) and are still scheduled.
    await new Promise((resolve) => setImmediate(resolve));
    expect(poller.scheduled).toBe(true);
    await poller.stop();
    expect(poller.scheduled).toBe(false);
    expect(errors).toHaveLength(1);
    await c.close();
  });
});
