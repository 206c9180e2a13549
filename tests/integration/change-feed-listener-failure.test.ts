import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeFeed, SHARED_SETTINGS, type SharedSetting } from '../../src/db/change-feed.js';
import { ChangeFeedPoller } from '../../src/db/change-feed-poller.js';
import { sessionCacheOf } from '../../src/db/session-store.js';
import { createSecondApp, createTestApp, type TestApp } from '../helpers/app.js';

/**
 * Issue #30, review 31 finding 3: a settings listener that fails (a course version that does not
 * resolve, a read error) must not stall the change feed. It is reported and the poller moves on:
 * otherwise the same entries were applied again every poll, and once the poller had fallen behind,
 * every poll started afresh (every cached session dropped, everyone read again) until the listener
 * stopped failing.
 */
let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  a = await createTestApp({ label: 'feed-listener', seed: false });
  b = await createSecondApp(a);
  // B's own poller would apply the entries first: this test drives its own poller on B's caches.
  await b.app.changeFeedPoller.stop();
});

afterAll(async () => {
  await b?.close();
  await a?.close();
});

/**
 * A poller on B, at the feed's head, polled by hand as its timer would (a failed poll reported);
 * every report collected.
 */
async function pollerOnB() {
  const reported: unknown[] = [];
  const poller = new ChangeFeedPoller(b.app.db.models, (err) => reported.push(err));
  await poller.start();
  await poller.stop();
  const poll = () => poller.pollOnce().catch((err: unknown) => reported.push(err));
  return { poller, poll, reported };
}

const keepSession = async (sid: string) => {
  const expiresAt = b.clock.now().getTime() + 3_600_000;
  await sessionCacheOf(b.app.db.models)?.load(sid, async () => ({
    json: '{}',
    expiresAt,
    userId: 'someone',
  }));
};

describe('a settings listener that fails', () => {
  it('is reported once, does not keep the others from hearing, and the feed moves on', async () => {
    const { poller, poll, reported } = await pollerOnB();
    const heard: SharedSetting[][] = [];
    const alsoHeard: SharedSetting[][] = [];
    poller.onSettingChanged(async (changed) => {
      heard.push([...changed]);
      if (heard.length === 1) throw new Error('the catalogue could not resolve a course');
    });
    poller.onSettingChanged(async (changed) => {
      alsoHeard.push([...changed]);
    });
    await keepSession('ended-in-a');
    await changeFeed(a.app.db.models).publish({ kind: 'setting', what: 'profile' });
    await changeFeed(a.app.db.models).publish({ kind: 'session', sid: 'ended-in-a' });
    for (let n = 0; n < 3; n++) await poll();
    expect(heard).toEqual([['profile']]);
    expect(alsoHeard).toEqual([['profile']]);
    expect(sessionCacheOf(b.app.db.models)?.holds('ended-in-a')).toBe(false);
    expect(reported).toHaveLength(1);
    expect(String((reported[0] as Error).cause)).toContain('could not resolve a course');
    // The next change is applied as usual.
    await changeFeed(a.app.db.models).publish({ kind: 'setting', what: 'xapi' });
    await poll();
    expect(heard).toEqual([['profile'], ['xapi']]);
    expect(reported).toHaveLength(1);
  });

  it('does not make a poller that fell behind start afresh at every poll', async () => {
    const { poller, poll, reported } = await pollerOnB();
    const heard: SharedSetting[][] = [];
    poller.onSettingChanged(async (changed) => {
      heard.push([...changed]);
      throw new Error('the catalogue keeps failing');
    });
    const feed = changeFeed(a.app.db.models);
    await feed.publish({ kind: 'setting', what: 'policy' });
    // More entries than the poller reads one by one: it starts afresh (every setting read again).
    await Promise.all(
      Array.from({ length: 101 }, (_, i) => feed.publish({ kind: 'person', userId: `p${i}` })),
    );
    await poll();
    expect(heard).toEqual([[...SHARED_SETTINGS]]);
    // Cached after the fresh start: nothing since, so the next polls keep it.
    await keepSession('kept');
    for (let n = 0; n < 2; n++) await poll();
    expect(heard).toHaveLength(1);
    expect(sessionCacheOf(b.app.db.models)?.holds('kept')).toBe(true);
    expect(reported).toHaveLength(1);
  });
});
