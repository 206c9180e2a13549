// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { type Cmi5Api, Cmi5Session, STATE_ID } from '../../../src/scorm/runtime/cmi5-session.js';
import type { QuizResult } from '../../../src/scorm/runtime/lms.js';

interface Transform {
  transform?: (statement: { id: string; verb: { id: string } }) => { id: string; verb: { id: string } };
}

/**
 * The session's cmi5 rules, over a stand-in for @xapi/cmi5 that records which defined statements the
 * session asks for (the library builds them; the browser tests check the built statements in a real LRS).
 */
class FakeCmi5 {
  outbox: Cmi5Api['outbox'];
  sent: string[] = [];
  sentIds: string[] = [];
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
    sendStatement: async ({ statement }: { statement: { id: string; verb: { id: string } } }) => {
      this.sent.push(statement.verb.id);
      this.sentIds.push(statement.id);
    },
    setState: async ({ stateId, state }: { stateId: string; state: Record<string, unknown> }) => {
      expect(stateId).toBe(STATE_ID);
      this.states.push(state);
    },
    getState: async () => {
      if (this.stateFailures > 0) {
        this.stateFailures -= 1;
        throw { response: { status: 503 } };
      }
      if (!this.stored) throw { response: { status: 404 } };
      return { data: this.stored };
    },
    getStatement: async ({ statementId }: { statementId: string }) => {
      this.looked.push(statementId);
      if (!this.lrsHolds.includes(statementId)) throw { response: { status: 404 } };
      return { data: { id: statementId } };
    },
  };
  /** State reads that fail (503) before one is answered. */
  stateFailures = 0;
  /** LMS.LaunchData reads that fail (503) before one is answered, and how many were made. */
  launchDataFailures = 0;
  launchDataReads = 0;
  /** Statement ids the LRS holds (GET statements?statementId=…), and the ids asked for. */
  lrsHolds: string[] = [];
  looked: string[] = [];
  /** Statement ids in the order the session queued them. */
  ids: string[] = [];

  constructor(launchData: Record<string, unknown>, stored: Record<string, unknown> | null = null) {
    this.launchData = {
      launchMode: 'Normal',
      moveOn: 'CompletedAndPassed',
      contextTemplate: {},
      ...launchData,
    };
    this.stored = stored;
  }
  /** As the library: `transform` (an owed verdict's original id) applies to the built statement. */
  private queue(verb: string, scaled?: number, options?: Transform) {
    if (scaled !== undefined) this.scores.push({ verb, scaled });
    const built = { id: `${verb}-${this.ids.length}`, verb: { id: verb } };
    const statement = options?.transform ? options.transform(built) : built;
    this.ids.push(statement.id);
    this.outbox!.push({ kind: 'statement', statement });
    return Promise.resolve({ data: [] });
  }
  /** As the library's (private) read, which the session wraps with retries. */
  async getLaunchDataFromLMS() {
    this.launchDataReads += 1;
    if (this.launchDataFailures > 0) {
      this.launchDataFailures -= 1;
      throw { response: { status: 503 } };
    }
    return this.launchData;
  }
  async initialize(session?: unknown) {
    this.launchData = await this.getLaunchDataFromLMS();
    if (!session) {
      this.fetches += 1;
      await this.queue('initialized');
    }
  }
  getAuthToken = () => 'token';
  getInitializedDate = () => new Date('2026-12-06T10:00:00Z');
  complete = (options?: Transform) => this.queue('completed', undefined, options);
  /** As @xapi/cmi5: a Passed below the LMS's masteryScore is refused, synchronously. */
  pass = (score: { scaled: number }, options?: Transform) => {
    const mastery = this.launchData.masteryScore as number | undefined;
    if (mastery !== undefined && score.scaled < mastery) throw new Error('score below masteryScore');
    return this.queue('passed', score.scaled, options);
  };
  fail = (score: { scaled: number }, options?: Transform) => this.queue('failed', score.scaled, options);
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

/** Retries at once: the back-off's length is the outbox's concern (cmi5-outbox.test.ts). */
const QUICK = [1, 1, 1, 1, 1, 1];

async function open(fake: FakeCmi5) {
  const session = new Cmi5Session(fake as unknown as Cmi5Api, { delays: QUICK });
  const boot = await session.start();
  return { session, boot };
}

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
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
    expect(fake.scores).toEqual([{ verb: 'failed', scaled: 0.7999 }]);
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

  it('a pass the learner was shown as 83.3 % against an LMS masteryScore of 0.8333 goes as Passed, at least 0.8333', async () => {
    const fake = new FakeCmi5({ masteryScore: 0.8333 });
    const { session } = await open(fake);
    session.recordResult(result(83.3, true));
    await session.end(true, 1000);
    expect(fake.sent).toEqual(['initialized', 'completed', 'passed', 'terminated']);
    expect(fake.scores).toEqual([{ verb: 'passed', scaled: 0.8333 }]);
  });

  it('the library refusing to build Passed does not break the course: nothing judged, the session still ends', async () => {
    const fake = new FakeCmi5({ masteryScore: 0.8 });
    fake.pass = () => {
      throw new Error('score below masteryScore');
    };
    const { session } = await open(fake);
    expect(() => session.recordResult(result(90, true))).not.toThrow();
    expect(await session.end(true, 1000)).toBe(true);
    expect(fake.sent).toEqual(['initialized', 'terminated']);
    expect(fake.states.some((s) => s.passed === true)).toBe(false);
  });

  it('retries reading LMS.LaunchData and the AU state (the one-time token is spent) instead of giving up', async () => {
    const fake = new FakeCmi5({ masteryScore: 0.8 });
    fake.launchDataFailures = 2;
    fake.stateFailures = 4;
    const { session, boot } = await open(fake);
    expect(session.connected).toBe(true);
    expect(boot.mode).toBe('normal');
    expect(fake.launchDataReads).toBe(3);
    expect(fake.fetches).toBe(1);
  });

  it('a launch that cannot read its state after Initialized still sends Terminated, and runs offline', async () => {
    const fake = new FakeCmi5({});
    fake.stateFailures = 1000;
    const { session } = await open(fake);
    expect(session.connected).toBe(false);
    await vi.waitFor(() => expect(fake.sent).toEqual(['initialized', 'terminated']));
  });

  it('moveOn decides whether a fail with attempts left completes the AU', async () => {
    const expected: Record<string, string[]> = {
      CompletedAndPassed: ['initialized', 'failed', 'terminated'],
      Passed: ['initialized', 'failed', 'terminated'],
      NotApplicable: ['initialized', 'failed', 'terminated'],
      Completed: ['initialized', 'completed', 'failed', 'terminated'],
      CompletedOrPassed: ['initialized', 'completed', 'failed', 'terminated'],
    };
    for (const [moveOn, verbs] of Object.entries(expected)) {
      const fake = new FakeCmi5({ masteryScore: 0.8, moveOn });
      const { session } = await open(fake);
      session.recordResult(result(50, false));
      await session.end(false, 1000);
      expect({ moveOn, sent: fake.sent }).toEqual({ moveOn, sent: verbs });
    }
  });

  it('a pass the LRS never confirmed: the next launch sends Completed and Passed in its session under their ORIGINAL ids, no statement read', async () => {
    const owed = {
      v: 1,
      location: 'result',
      suspendData: 'x',
      passed: true,
      completed: true,
      verdict: { passed: true, score: 90, id: 'passed-1', completedId: 'completed-0', acked: false },
    };
    const fake = new FakeCmi5({ masteryScore: 0.8 }, owed);
    const first = await open(fake);
    expect(first.boot.passed).toBe(true);
    first.session.recordResult(result(95, true));
    await first.session.end(true, 1000);
    expect(fake.looked).toEqual([]);
    expect(fake.sent).toEqual(['initialized', 'completed', 'passed', 'terminated']);
    expect(fake.sentIds.slice(1, 3)).toEqual(['completed-0', 'passed-1']);
    expect(fake.states.at(-1)).toMatchObject({ verdict: { id: 'passed-1', acked: true } });
  });

  it('a Failed owed by an earlier session waits: a retake pass here replaces it (its Completed kept), else it goes at the end under its ids', async () => {
    const owed = {
      v: 1,
      location: 'quiz',
      suspendData: 'x',
      passed: false,
      completed: true,
      verdict: { passed: false, score: 40, id: 'failed-1', completedId: 'completed-0', acked: false },
    };
    const retake = new FakeCmi5({ masteryScore: 0.8 }, owed);
    const passing = await open(retake);
    passing.session.recordResult(result(90, true));
    await passing.session.end(true, 1000);
    expect(retake.sent).toEqual(['initialized', 'completed', 'passed', 'terminated']);
    expect(retake.sentIds[1]).toBe('completed-0');

    const idle = new FakeCmi5({ masteryScore: 0.8 }, owed);
    const leaving = await open(idle);
    await leaving.session.end(true, 1000);
    expect(idle.sentIds).toEqual(['initialized-0', 'completed-0', 'failed-1', 'terminated-3']);
  });

  it('what a closed window left: only its state document and owed verdict carry over, no other session’s statement is sent again', async () => {
    const sessionId = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
    const fake = new FakeCmi5({ masteryScore: 0.8, contextTemplate: { extensions: { [sessionId]: 's2' } } });
    const { activityId, registration, actor } = fake.launchParameters;
    const statement = (id: string, verb: string, session = 's1') => ({
      kind: 'statement',
      statement: { id, verb: { id: verb }, context: { extensions: { [sessionId]: session } } },
    });
    const verdict = { passed: true, score: 90, id: 'old-passed', completedId: 'old-completed', acked: false };
    const left = [
      statement('stale-passed', 'passed'),
      {
        kind: 'state',
        document: { v: 1, location: 'result', suspendData: 'y', passed: true, completed: true, verdict },
      },
      statement('old-completed', 'completed'),
      statement('old-passed', 'passed'),
      statement('old-terminated', 'terminated'),
      // A reload of this very launch (session s2) left one of its own: that one still goes.
      statement('own-experienced', 'experienced', 's2'),
    ];
    window.localStorage.setItem(
      `cmi5-unsent:${JSON.stringify([activityId, registration, actor])}`,
      JSON.stringify({ jobs: left }),
    );
    const { session, boot } = await open(fake);
    expect(boot).toMatchObject({ passed: true, location: 'result', suspendData: 'y' });
    await session.end(true, 1000);
    expect(fake.sentIds).toEqual([
      'initialized-0',
      'own-experienced',
      'old-completed',
      'old-passed',
      'terminated-3',
    ]);
    expect(fake.looked).toEqual([]);
    expect(fake.states.at(-1)).toMatchObject({ verdict: { id: 'old-passed', acked: true } });
    expect(window.localStorage.length).toBe(0);
  });

  it('an LMS that refuses state writes after Terminated does not hold the learner: the ack is left to the next launch', async () => {
    const fake = new FakeCmi5({ masteryScore: 0.8 });
    const { session } = await open(fake);
    const setState = fake.xapi.setState;
    let terminatedSent = false;
    fake.xapi.sendStatement = async ({ statement }) => {
      fake.sent.push(statement.verb.id);
      terminatedSent ||= statement.verb.id === 'terminated';
    };
    fake.xapi.setState = async (args) => {
      if (terminatedSent) throw { response: { status: 401 } };
      return setState(args);
    };
    session.recordResult(result(90, true));
    expect(await session.end(true, 1000)).toBe(true);
    expect(fake.sent).toEqual(['initialized', 'completed', 'passed', 'terminated']);
  });

  it('a state write refused (4xx) before the LRS took Terminated is retried, not dropped: the final bookmark arrives', async () => {
    const fake = new FakeCmi5({ masteryScore: 0.8 });
    const { session } = await open(fake);
    const setState = fake.xapi.setState;
    let refuseOnce = false;
    fake.xapi.setState = async (args) => {
      if (refuseOnce) {
        refuseOnce = false;
        throw { response: { status: 403 } };
      }
      return setState(args);
    };
    session.saveBookmark('final', 'z');
    refuseOnce = true;
    expect(await session.end(true, 1000)).toBe(true);
    expect(fake.states.at(-1)).toMatchObject({ location: 'final', suspendData: 'z' });
    expect(fake.sent).toEqual(['initialized', 'terminated']);
  });
});
