import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeFeed } from '../../src/db/change-feed.js';
import { ChangeFeedPoller } from '../../src/db/change-feed-poller.js';
import { peopleDirectory } from '../../src/db/people-directory.js';
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

describe('the poller', () => {
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
