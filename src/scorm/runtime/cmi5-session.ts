// Types only: the library itself is loaded by cmi5-connect.ts, so the session's rules test without it.
import type Cmi5Package from '@xapi/cmi5';
import type { LaunchData } from '@xapi/cmi5';
import { Outbox, type OutboxJob, RETRY_DELAYS_MS, withRetries } from './cmi5-outbox.js';
import type { LmsBoot, LmsHealth, LmsSession, QuizResult } from './lms.js';

/**
 * The AU's own state document in the State API (per registration): the bookmark, as SCORM's
 * `suspend_data`, and what this registration has already been sent, so a later launch never sends a
 * second Completed or Passed, nor a Failed after a Passed (cmi5 9.3 verb rules per registration).
 */
export const STATE_ID = 'bookmark';

/**
 * The Passed or Failed this registration was given, kept until the LRS confirmed it: a window closed
 * while the LRS refused statements must not lose a pass, and a later launch must not send a second.
 */
export interface Verdict {
  passed: boolean;
  /** Percent, as the learner was told. */
  score: number;
  /** The Passed or Failed statement's id, and the Completed's queued before it, if one was. */
  id: string;
  completedId?: string;
  /** The LRS took the verdict (and so the Completed before it: the outbox sends in order). */
  acked: boolean;
}

interface AuState {
  v: 1;
  location: string;
  suspendData: string;
  passed: boolean;
  completed: boolean;
  verdict?: Verdict;
  /** When the document was queued; decides between the LRS's copy and one left in the browser. */
  savedAt?: string;
}

/** The jobs a closed window left unsent, kept in localStorage for the next launch of the registration. */
interface Unsent {
  jobs: OutboxJob[];
}

type MoveOn = LaunchData['moveOn'];

/**
 * Whether a fail should come with Completed: when moveOn asks for Completed (alone or as an
 * alternative to Passed), the learner who has been through the content and taken the quiz has
 * completed it, pass or not. Under CompletedAndPassed and Passed a fail completes nothing the LMS
 * needs until the last attempt.
 */
export function failCompletes(moveOn: MoveOn | undefined, finalAttempt: boolean): boolean {
  return finalAttempt || moveOn === 'Completed' || moveOn === 'CompletedOrPassed';
}

/**
 * What survives a reload of the AU page within one launch (sessionStorage, keyed by the fetch URL,
 * which the LMS makes per launch): the auth token, since the fetch URL answers only once, and what
 * this session has sent (one Initialized, one Passed or Failed, nothing after Terminated).
 */
interface LaunchMemory {
  token: string;
  initializedAt: string;
  judged: boolean;
  terminated: boolean;
}

/** The library's class (its typings read as CommonJS under NodeNext: the class is under `.default`). */
type Cmi5 = InstanceType<typeof Cmi5Package.default>;

/**
 * What the session uses of the library: the launch, the statement builders and the xAPI client.
 * The session takes this rather than the class so its rules can be unit-tested without an LMS.
 */
export type Cmi5Api = Pick<
  Cmi5,
  | 'launchParameters'
  | 'launchData'
  | 'xapi'
  | 'initialize'
  | 'getAuthToken'
  | 'getInitializedDate'
  | 'complete'
  | 'pass'
  | 'fail'
  | 'terminate'
> & { outbox: Outbox | undefined };

function httpStatus(error: unknown): number | undefined {
  return (error as { response?: { status?: number } })?.response?.status;
}

/** An answer that retrying will not change (a 4xx other than timeout / too many requests). */
function settledAnswer(error: unknown): boolean {
  const status = httpStatus(error) ?? 0;
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * The library reads LMS.LaunchData once, right after spending the one-time token: a passing network
 * failure would leave the whole launch unrecorded. Its (private) read is retried with back-off.
 */
function retryLaunchDataRead(cmi5: object, delays: readonly number[]): void {
  const lib = cmi5 as { getLaunchDataFromLMS?: () => Promise<LaunchData> };
  const read = lib.getLaunchDataFromLMS;
  if (typeof read !== 'function') return;
  lib.getLaunchDataFromLMS = () => withRetries(() => read.call(cmi5), delays, settledAnswer);
}

function readUnsent(key: string): OutboxJob[] {
  try {
    const text = window.localStorage.getItem(key);
    return text ? (JSON.parse(text) as Unsent).jobs : [];
  } catch {
    return [];
  }
}

function writeUnsent(key: string, jobs: readonly OutboxJob[]): void {
  try {
    if (jobs.length === 0) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, JSON.stringify({ jobs: [...jobs] } satisfies Unsent));
  } catch {
    // Storage refused or full: the LRS check of the verdict at the next launch still holds.
  }
}

const SESSION_ID = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';

/** The session a queued statement belongs to (its cmi5 context's session id). */
function sessionOf(job: OutboxJob): unknown {
  if (job.kind !== 'statement') return undefined;
  const context = job.statement.context as { extensions?: Record<string, unknown> } | undefined;
  return context?.extensions?.[SESSION_ID];
}

/** The library's option giving a statement it builds an id of ours (an owed verdict's original id). */
function withId(id: string | undefined) {
  return id === undefined ? {} : { transform: (statement: object) => ({ ...statement, id }) as never };
}

/** The newest state write among `jobs` (no Array#findLast: the bundle targets ES2017 browsers). */
function lastState(jobs: readonly OutboxJob[]): Extract<OutboxJob, { kind: 'state' }> | undefined {
  return [...jobs]
    .reverse()
    .find((job): job is Extract<OutboxJob, { kind: 'state' }> => job.kind === 'state');
}

function statementId(job: OutboxJob): string | undefined {
  return job.kind === 'statement' ? job.statement.id : undefined;
}

/**
 * The AU's state from the LRS and the one a closed window left in this browser: the newer one, with
 * a pass or a completion from either kept, and a verdict the LRS confirmed in either confirmed.
 */
function mergeStates(stored: AuState, left: AuState | undefined): AuState {
  if (!left) return stored;
  const [older, newer] = (left.savedAt ?? '') >= (stored.savedAt ?? '') ? [stored, left] : [left, stored];
  const verdict =
    newer.verdict && older.verdict?.id === newer.verdict.id
      ? { ...newer.verdict, acked: newer.verdict.acked || older.verdict.acked }
      : newer.verdict;
  return {
    ...newer,
    passed: newer.passed || older.passed,
    completed: newer.completed || older.completed,
    ...(verdict ? { verdict } : {}),
  };
}

function readMemory(key: string): LaunchMemory | null {
  try {
    const text = window.sessionStorage.getItem(key);
    return text ? (JSON.parse(text) as LaunchMemory) : null;
  } catch {
    return null;
  }
}

function writeMemory(key: string, memory: LaunchMemory): void {
  try {
    window.sessionStorage.setItem(key, JSON.stringify(memory));
  } catch {
    // Storage refused (private mode): a reload then cannot resume this launch, nothing worse.
  }
}

/**
 * An `LmsSession` over cmi5 (issue #27): the launch sequence (launch parameters, one POST to the
 * fetch URL, LMS.LaunchData), the defined statements built by @xapi/cmi5 and sent in order through
 * the outbox, the bookmark and the registration's verdict in the State API.
 */
export class Cmi5Session implements LmsSession {
  connected = true;
  health: LmsHealth = 'recording';
  onHealthChange: (health: LmsHealth) => void = () => {};
  private readonly cmi5: Cmi5Api;
  private readonly outbox: Outbox;
  private readonly delays: readonly number[];
  private readonly memoryKey: string;
  /** localStorage key of the registration's unsent jobs (per learner, AU and registration). */
  private readonly unsentKey: string;
  /** What an earlier page of this registration left unsent, read before this one overwrites it. */
  private readonly leftUnsent: OutboxJob[];
  /** Those jobs, kept in storage with this page's own until they are queued again. */
  private carried: OutboxJob[];
  private memory: LaunchMemory | null = null;
  private launch: LaunchData | undefined;
  private state: AuState = { v: 1, location: '', suspendData: '', passed: false, completed: false };
  /** The state document changed since it was last queued. */
  private dirty = false;
  private soonTimer: ReturnType<typeof setTimeout> | undefined;
  /** A failed attempt with attempts left, not yet sent: a retake in this session may still pass. */
  private pendingFail: QuizResult | null = null;
  /**
   * A Failed an earlier session built but the LRS never confirmed: sent again (same ids) at end()
   * only if this session passes nothing, since a retake here may still pass.
   */
  private owedFail: Verdict | null = null;
  private ended = false;
  /** The LRS took this session's Terminated: the LMS may close the launch's credentials now. */
  private terminatedAccepted = false;
  /** The page is going away: requests still queued must go out as keepalive requests. */
  private unloading = false;

  constructor(cmi5: Cmi5Api, options: { delays?: readonly number[] } = {}) {
    this.cmi5 = cmi5;
    this.delays = options.delays ?? RETRY_DELAYS_MS;
    const { fetch, actor, activityId, registration } = cmi5.launchParameters!;
    this.memoryKey = `cmi5:${fetch}`;
    this.unsentKey = `cmi5-unsent:${JSON.stringify([activityId, registration, actor])}`;
    this.leftUnsent = readUnsent(this.unsentKey);
    this.carried = this.leftUnsent;
    this.outbox = new Outbox(
      (job) => this.sendJob(job),
      (health) => this.setHealth(health),
      this.delays,
      {
        onSent: (job) => this.confirmed(job),
        onChange: (jobs) => writeUnsent(this.unsentKey, [...this.carried, ...jobs]),
      },
    );
    cmi5.outbox = this.outbox;
    retryLaunchDataRead(cmi5, this.delays);
    // Registered before the course's own pagehide handler (which ends the session), so end() knows.
    window.addEventListener('pagehide', () => {
      this.unloading = true;
    });
  }

  private setHealth(health: LmsHealth): void {
    if (this.health === health || !this.connected) return;
    this.health = health;
    this.onHealthChange(health);
  }

  /** Satisfaction-related statements only in Normal mode (cmi5 10.2.2: Browse and Review send none). */
  private get normal(): boolean {
    return this.launch?.launchMode === 'Normal';
  }

  private async sendJob(job: OutboxJob): Promise<void> {
    const xapi = this.cmi5.xapi!;
    const { actor, activityId, registration } = this.cmi5.launchParameters!;
    try {
      if (job.kind === 'statement') await xapi.sendStatement({ statement: job.statement as never });
      else
        await xapi.setState({
          agent: actor,
          activityId,
          registration,
          stateId: STATE_ID,
          state: job.document,
        });
    } catch (error) {
      // Some LMSs close the launch's credentials at Terminated: a state write (the verdict's ack)
      // refused once the LRS took Terminated is dropped rather than holding the learner; the next
      // launch sends the unconfirmed verdict again under its ids. Refused before, it is retried.
      if (job.kind === 'state' && this.terminatedAccepted && settledAnswer(error)) {
        console.error('LMS refused the state write after Terminated; left to the next launch:', error);
        return;
      }
      console.error('LRS refused or unreachable, will retry:', error);
      throw { status: httpStatus(error) };
    }
  }

  /** The LRS took a job: once it is the verdict, the state document says so (even after Terminated). */
  private confirmed(job: OutboxJob): void {
    if (job.kind === 'statement' && job.statement.verb?.id.split('/').pop() === 'terminated') {
      this.terminatedAccepted = true;
    }
    const verdict = this.state.verdict;
    if (!verdict || verdict.acked || statementId(job) !== verdict.id) return;
    this.state = { ...this.state, verdict: { ...verdict, acked: true } };
    this.queueState();
  }

  async start(): Promise<LmsBoot> {
    try {
      await this.initialize();
      this.launch = this.cmi5.launchData;
      await this.resume();
    } catch (error) {
      console.error('cmi5 launch failed; the course runs without recording:', error);
      // Initialized may be queued already: the session still ends properly.
      if (this.memory && !this.memory.terminated) this.terminate();
      return this.offline();
    }
    const mastery = this.launch.masteryScore;
    return {
      suspendData: this.state.suspendData,
      location: this.state.location,
      passed: this.state.passed,
      ...(typeof mastery === 'number' ? { passingScore: mastery * 100 } : {}),
      mode: this.normal ? 'normal' : this.launch.launchMode === 'Review' ? 'review' : 'browse',
      ...(this.launch.returnURL ? { returnUrl: this.launch.returnURL } : {}),
    };
  }

  /**
   * First load of the launch: POST the fetch URL (once), read LMS.LaunchData, queue Initialized.
   * A reload of the same launch reuses the token and sends no second Initialized.
   */
  private async initialize(): Promise<void> {
    const remembered = readMemory(this.memoryKey);
    if (remembered?.terminated) throw new Error('this launch was terminated; the LMS must launch again');
    if (remembered) {
      await this.cmi5.initialize({
        authToken: remembered.token,
        initializedDate: new Date(remembered.initializedAt),
      });
      this.memory = remembered;
      return;
    }
    await this.cmi5.initialize();
    this.memory = {
      token: this.cmi5.getAuthToken(),
      initializedAt: this.cmi5.getInitializedDate().toISOString(),
      judged: false,
      terminated: false,
    };
    writeMemory(this.memoryKey, this.memory);
  }

  /**
   * The registration's state: the LRS's document merged with the one a closed window left in this
   * browser. No statement of another session is sent again: the LMS abandoned that session at this
   * launch and refuses its statements (9.3.6, 9.3.8). A verdict the LRS never confirmed is sent again
   * in this session with its ORIGINAL ids, so the LRS stores it once whichever copy arrives first (an
   * LRS answers a second copy with 409, which counts as stored); an owed Failed waits for end().
   */
  private async resume(): Promise<void> {
    const stored = { ...this.state, ...(await this.readState()) };
    const leftState = lastState(this.leftUnsent);
    this.state = mergeStates(stored, leftState?.document as AuState | undefined);
    // A reload of this launch left its own statements: those still go (same ids, same session).
    const sessionId = this.sessionId;
    const own = this.leftUnsent.filter((job) => sessionId !== undefined && sessionOf(job) === sessionId);
    this.carried = [];
    writeUnsent(this.unsentKey, this.outbox.pending);
    if (leftState) this.queueState();
    for (const job of own) this.outbox.push(job);
    const verdict = this.state.verdict;
    if (!verdict || verdict.acked || !this.normal) return;
    if (!verdict.passed) {
      this.owedFail = verdict;
      return;
    }
    if (own.some((job) => statementId(job) === verdict.id)) return; // acked once it goes through
    if (!this.memory!.judged) this.judge(verdict, verdict.completedId !== undefined, verdict);
  }

  /** This launch's session id, as the LMS gave it in LMS.LaunchData's context template. */
  private get sessionId(): unknown {
    return this.launch?.contextTemplate?.extensions?.[SESSION_ID];
  }

  /** The AU's state document; none yet (404) is a first launch. Read errors are retried with back-off. */
  private async readState(): Promise<Partial<AuState>> {
    const { actor, activityId, registration } = this.cmi5.launchParameters!;
    try {
      const answer = await withRetries(
        () => this.cmi5.xapi!.getState({ agent: actor, activityId, registration, stateId: STATE_ID }),
        this.delays,
        settledAnswer,
      );
      const doc = answer.data as unknown as Partial<AuState> | undefined;
      return doc && typeof doc === 'object' ? doc : {};
    } catch (error) {
      if (httpStatus(error) === 404) return {};
      // Unknown prior state could mean a second Passed: better not to record than to break the rules.
      throw error;
    }
  }

  private offline(): LmsBoot {
    this.connected = false;
    this.health = 'not-recording';
    this.onHealthChange('not-recording');
    return { suspendData: '', location: '', passed: false };
  }

  private get live(): boolean {
    return this.connected && !this.ended;
  }

  saveBookmark(location: string, suspendData: string): void {
    // Browse and Review look around; they do not move the learner's real bookmark.
    if (!this.live || !this.normal) return;
    if (this.state.location === location && this.state.suspendData === suspendData) return;
    this.state = { ...this.state, location, suspendData };
    this.dirty = true;
  }

  commit(): void {
    if (!this.live || !this.dirty || !this.normal) return;
    this.queueState();
  }

  /** Queues the state document now (a write still waiting takes the newer document). */
  private queueState(): void {
    clearTimeout(this.soonTimer);
    this.soonTimer = undefined;
    this.dirty = false;
    this.state = { ...this.state, savedAt: new Date().toISOString() };
    this.outbox.push({ kind: 'state', document: { ...this.state } });
  }

  commitSoon(): void {
    if (!this.live || !this.dirty || this.soonTimer !== undefined) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = undefined;
      this.commit();
    }, 30_000);
  }

  /**
   * A submitted attempt. Passed (with Completed before it, once per registration) at once; a fail
   * with attempts left waits, since a session may carry only one of Passed / Failed and a retake may
   * still pass; the last fail sends Completed and Failed. Nothing after a Passed in the registration.
   */
  recordResult(result: QuizResult): void {
    if (!this.live || !this.normal || this.state.passed || this.memory!.judged) return;
    const finalFail = !result.passed && result.finalAttempt === true;
    if (!result.passed && !finalFail) {
      this.pendingFail = result;
      return;
    }
    this.pendingFail = null;
    this.judgeOver(result, !this.state.completed);
  }

  /**
   * A verdict of this session, replacing a Failed an earlier session owes: a Completed that one
   * carried goes with it, under its original id (the LRS may hold it already).
   */
  private judgeOver(result: Pick<QuizResult, 'score' | 'passed'>, withCompleted: boolean): void {
    const owedCompleted = this.owedFail?.completedId;
    this.owedFail = null;
    const ids = owedCompleted !== undefined ? { completedId: owedCompleted } : {};
    this.judge(result, withCompleted || owedCompleted !== undefined, ids);
  }

  /**
   * Builds Completed (when asked) and Passed or Failed, then queues the state document naming them
   * ahead of them: a later launch then knows what was owed, and asks the LRS whether it arrived.
   */
  private judge(
    result: Pick<QuizResult, 'score' | 'passed'>,
    withCompleted: boolean,
    ids: { id?: string; completedId?: string } = {},
  ): void {
    const score = this.reportedScore(result);
    let jobs: OutboxJob[];
    try {
      jobs = this.outbox.capture(() => {
        if (withCompleted) void this.cmi5.complete(withId(ids.completedId));
        if (result.passed) void this.cmi5.pass(score, withId(ids.id));
        else void this.cmi5.fail(score, withId(ids.id));
      });
    } catch (error) {
      // The library checks the score against masteryScore and throws; the course must carry on.
      console.error('the cmi5 library would not build the result statements:', error);
      return;
    }
    const verdict: Verdict = {
      passed: result.passed,
      score: result.score,
      id: statementId(jobs.at(-1)!)!,
      ...(withCompleted ? { completedId: statementId(jobs[0]!)! } : {}),
      acked: false,
    };
    this.state = {
      ...this.state,
      passed: this.state.passed || result.passed,
      completed: this.state.completed || withCompleted,
      verdict,
    };
    this.queueState();
    this.memory = { ...this.memory!, judged: true };
    writeMemory(this.memoryKey, this.memory);
    for (const job of jobs) this.outbox.push(job);
  }

  /**
   * The score as cmi5 wants it: scaled is the percent / 100, unrounded. The percent itself is
   * rounded to one decimal for the learner, so it can land on the wrong side of an LMS masteryScore
   * with more decimals (0.8333): a Passed is never below it, a Failed never at or above it (9.3.4-5).
   */
  private reportedScore(result: Pick<QuizResult, 'score' | 'passed'>) {
    const mastery = this.launch?.masteryScore;
    let scaled = result.score / 100;
    if (typeof mastery === 'number') {
      if (result.passed && scaled < mastery) scaled = mastery;
      if (!result.passed && scaled >= mastery) scaled = Math.max(0, mastery - 0.0001);
    }
    return { scaled, raw: result.score, min: 0, max: 100 };
  }

  async end(_finished: boolean, _elapsedMs: number): Promise<boolean> {
    if (!this.live) return false;
    if (this.normal && !this.state.passed && !this.memory!.judged) {
      if (this.pendingFail) {
        const completes = failCompletes(this.launch?.moveOn, false) && !this.state.completed;
        this.judgeOver(this.pendingFail, completes);
      } else if (this.owedFail) {
        // Nothing passed in this session: the earlier session's Failed goes, under its own ids.
        this.judge(this.owedFail, this.owedFail.completedId !== undefined, this.owedFail);
      }
    }
    // The last bookmark, if it changed, goes before Terminated.
    this.commit();
    this.terminate();
    this.ended = true;
    if (this.unloading) this.sendOnUnload();
    await this.outbox.drained();
    return true;
  }

  private terminate(): void {
    void this.cmi5.terminate();
    this.memory = { ...this.memory!, terminated: true };
    writeMemory(this.memoryKey, this.memory);
  }

  /**
   * The page is closing with jobs still queued: the state document, then ONE POST with every queued
   * statement as an array, as keepalive requests the browser finishes after the page is gone. The
   * LRS stores an array whole or not at all, so Terminated cannot arrive without the Passed before
   * it; the state document also stays in localStorage, and the next launch sends the verdict it
   * names again in its own session, under the same ids.
   */
  private sendOnUnload(): void {
    const { endpoint, actor, activityId, registration } = this.cmi5.launchParameters!;
    const base = endpoint.endsWith('/') ? endpoint : `${endpoint}/`;
    const headers = {
      Authorization: `Basic ${this.memory!.token}`,
      'X-Experience-API-Version': '1.0.3',
      'Content-Type': 'application/json',
    };
    const stateQuery = new URLSearchParams({
      agent: JSON.stringify(actor),
      activityId,
      registration,
      stateId: STATE_ID,
    });
    const pending = this.outbox.pending;
    const stateWrite = lastState(pending);
    const statements = pending.flatMap((job) => (job.kind === 'statement' ? [job.statement] : []));
    const send = (url: string, method: string, body: unknown) =>
      void fetch(url, { method, keepalive: true, headers, body: JSON.stringify(body) }).catch(() => {});
    if (stateWrite) send(`${base}activities/state?${stateQuery}`, 'PUT', stateWrite.document);
    if (statements.length > 0) send(`${base}statements`, 'POST', statements);
  }

  /** Returns the URL to go to once terminated (LMS.LaunchData returnURL), if any. */
  get returnUrl(): string | undefined {
    return this.launch?.returnURL;
  }
}
