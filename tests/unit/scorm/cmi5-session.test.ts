// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { type Cmi5Api, Cmi5Session, STATE_ID } from '../../../src/scorm/runtime/cmi5-session.js';
import type { QuizResult } from '../../../src/scorm/runtime/lms.js';

/**
 * The session's cmi5 rules, over a stand-in for @xapi/cmi5 that records which defined statements the
 * session asks for (the library builds them; the browser tests check the built statements in a real LRS).
 */
class FakeCmi5 {
  outbox: Cmi5Api['outbox'];
  sent: string[] = [];
  states: Array<Record<string, unknown>> = [];
  scores: Array<{ verb: string; scaled: number }> = [];
  launchParameters = {
    endpoint: 'https://lms.test/xapi/',
    fetch: `https://lms.test/fetch/${Math.random()}`,
    actor: { objectType: 'Agent', account: { homePage: 'https://lms.test', name: 'learner' } },
    registration: 'b3a5e1f0-0000-4000-8000-000000000001',
    activityId: 'https://lms.test/au/1',
  };
  launchData: Record<string, unknown>;
  stored: Record<string, unknown> | null;
  fetches = 0;
  xapi = {
    sendStatement: async ({ statement }: { statement: { verb: { id: string } } }) => {
      this.sent.push(statement.verb.id);
    },
    setState: async ({ stateId, state }: { stateId: string; state: Record<string, unknown> }) => {
      expect(stateId).toBe(STATE_ID);
      this.states.push(state);
    },
    getState: async () => {
      if (!this.stored) throw { response: { status: 404 } };
      return { data: this.stored };
    },
  };

  constructor(launchData: Record<string, unknown>, stored: Record<string, unknown> | null = null) {
    this.launchData = {
      launchMode: 'Normal',
      moveOn: 'CompletedAndPassed',
      contextTemplate: {},
      ...launchData,
    };
    this.stored = stored;
  }
  private queue(verb: string, scaled?: number) {
    if (scaled !== undefined) this.scores.push({ verb, scaled });
    this.outbox!.push({
      kind: 'statement',
      statement: { id: `${verb}-${this.sent.length}`, verb: { id: verb } },
    });
    return Promise.resolve({ data: [] });
  }
  async initialize(session?: unknown) {
    if (!session) {
      this.fetches += 1;
      await this.queue('initialized');
    }
  }
  getAuthToken = () => 'token';
  getInitializedDate = () => new Date('2026-12-06T10:00:00Z');
  complete = () => this.queue('completed');
  pass = (score: { scaled: number }) => this.queue('passed', score.scaled);
  fail = (score: { scaled: number }) => this.queue('failed', score.scaled);
  terminate = () => this.queue('terminated');
}

const result = (score: number, passed: boolean, finalAttempt = false): QuizResult => ({
  score,
  passed,
  failStatus: 'failed',
  interactions: [],
  at: new Date('2026-12-06T10:05:00Z'),
  finalAttempt,
});

async function open(fake: FakeCmi5) {
  const session = new Cmi5Session(fake as unknown as Cmi5Api);
  const boot = await session.start();
  return { session, boot };
}

beforeEach(() => {
  window.sessionStorage.clear();
});

describe('the cmi5 session', () => {
  it('reads the launch data: masteryScore as the pass mark, returnURL, the mode', async () => {
    const fake = new FakeCmi5({ masteryScore: 0.9, returnURL: 'https://lms.test/back' });
    const { boot } = await open(fake);
    expect(boot).toMatchObject({
      passingScore: 90,
      returnUrl: 'https://lms.test/back',
      mode: 'normal',
      passed: false,
    });
  });

  it('a fail with attempts left then a pass in the same session: only Completed and Passed (one judgement per session)', async () => {
    const fake = new FakeCmi5({ masteryScore: 0.8 });
    const { session } = await open(fake);
    session.recordResult(result(60, false));
    session.recordResult(result(90, true));
    expect(await session.end(true, 1000)).toBe(true);
    expect(fake.sent).toEqual(['initialized', 'completed', 'passed', 'terminated']);
    // The flags reach the State API before the Passed statement.
    expect(fake.states.at(-1)).toMatchObject({ passed: true, completed: true });
  });

  it('a fail with attempts left is sent as Failed when the session ends, below the mastery score, without Completed', async () => {
    const fake = new FakeCmi5({ masteryScore: 0.8 });
    const { session } = await open(fake);
    // 80.0 % after rounding, yet a fail by the unrounded ratio: the Failed score must stay below 0.8.
    session.recordResult(result(80, false));
    await session.end(false, 1000);
    expect(fake.sent).toEqual(['initialized', 'failed', 'terminated']);
    expect(fake.scores).toEqual([{ verb: 'failed', scaled: 0.799 }]);
  });

  it('never a second Passed, nor a Failed after Passed, in a registration that already passed', async () => {
    const fake = new FakeCmi5(
      {},
      { v: 1, location: 'result', suspendData: 'x', passed: true, completed: true },
    );
    const { session, boot } = await open(fake);
    expect(boot.passed).toBe(true);
    session.recordResult(result(100, true));
    session.recordResult(result(10, false, true));
    await session.end(true, 1000);
    expect(fake.sent).toEqual(['initialized', 'terminated']);
  });

  it('Browse and Review: Initialized and Terminated only, and the learner’s bookmark is left alone', async () => {
    for (const launchMode of ['Browse', 'Review']) {
      const fake = new FakeCmi5({ launchMode });
      const { session, boot } = await open(fake);
      expect(boot.mode).toBe(launchMode.toLowerCase());
      session.saveBookmark('quiz', 'practice');
      session.commit();
      session.recordResult(result(100, true, true));
      await session.end(true, 1000);
      expect(fake.sent).toEqual(['initialized', 'terminated']);
      expect(fake.states).toEqual([]);
    }
  });

  it('nothing after Terminated; a reload of the launch reuses the token, and a terminated launch stays closed', async () => {
    const fake = new FakeCmi5({});
    const { session } = await open(fake);
    session.saveBookmark('l1', 'state-1');
    session.commit();
    await session.end(false, 1000);
    session.saveBookmark('l2', 'state-2');
    session.commit();
    session.recordResult(result(100, true));
    expect(fake.sent).toEqual(['initialized', 'terminated']);
    expect(fake.states.map((s) => s.suspendData)).toEqual(['state-1']);

    // Reloaded mid-launch (not terminated): no second fetch, no second Initialized.
    const other = new FakeCmi5({});
    await open(other);
    const reloaded = new FakeCmi5({});
    reloaded.launchParameters = other.launchParameters;
    const again = await open(reloaded);
    expect(again.boot.mode).toBe('normal');
    expect(reloaded.fetches).toBe(0);
    expect(reloaded.sent).toEqual([]);

    // The terminated launch's link opened again: offline, nothing sent.
    const reopened = new FakeCmi5({});
    reopened.launchParameters = fake.launchParameters;
    const closed = await open(reopened);
    expect(closed.session.connected).toBe(false);
    expect(closed.session.health).toBe('not-recording');
    expect(reopened.sent).toEqual([]);
  });
});
