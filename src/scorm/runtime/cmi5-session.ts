// Types only: the library itself is loaded by cmi5-connect.ts, so the session's rules test without it.
import type Cmi5Package from '@xapi/cmi5';
import type { LaunchData } from '@xapi/cmi5';
import { Outbox, type OutboxJob } from './cmi5-outbox.js';
import type { LmsBoot, LmsHealth, LmsSession, QuizResult } from './lms.js';

/**
 * The AU's own state document in the State API (per registration): the bookmark, as SCORM's
 * `suspend_data`, and what this registration has already been sent, so a later launch never sends a
 * second Completed or Passed, nor a Failed after a Passed (cmi5 9.3 verb rules per registration).
 */
export const STATE_ID = 'bookmark';
interface AuState {
  v: 1;
  location: string;
  suspendData: string;
  passed: boolean;
  completed: boolean;
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
 * the outbox, the bookmark in the State API.
 */
export class Cmi5Session implements LmsSession {
  connected = true;
  health: LmsHealth = 'recording';
  onHealthChange: (health: LmsHealth) => void = () => {};
  private readonly cmi5: Cmi5Api;
  private readonly outbox: Outbox;
  private readonly memoryKey: string;
  private memory: LaunchMemory | null = null;
  private launch: LaunchData | undefined;
  private state: AuState = { v: 1, location: '', suspendData: '', passed: false, completed: false };
  /** The state document changed since it was last queued. */
  private dirty = false;
  private soonTimer: ReturnType<typeof setTimeout> | undefined;
  /** A failed attempt with attempts left, not yet sent: a retake in this session may still pass. */
  private pendingFail: QuizResult | null = null;
  private ended = false;
  /** The page is going away: requests still queued must go out as keepalive requests. */
  private unloading = false;

  constructor(cmi5: Cmi5Api) {
    this.cmi5 = cmi5;
    this.memoryKey = `cmi5:${cmi5.launchParameters!.fetch}`;
    this.outbox = new Outbox(
      (job) => this.sendJob(job),
      (health) => this.setHealth(health),
    );
    cmi5.outbox = this.outbox;
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
      console.error('LRS refused or unreachable, will retry:', error);
      throw { status: httpStatus(error) };
    }
  }

  async start(): Promise<LmsBoot> {
    try {
      await this.initialize();
      this.launch = this.cmi5.launchData;
      this.state = { ...this.state, ...(await this.readState()) };
    } catch (error) {
      console.error('cmi5 launch failed; the course runs without recording:', error);
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

  /** The AU's state document; none yet (404) is a first launch. Read errors are retried a few times. */
  private async readState(): Promise<Partial<AuState>> {
    const { actor, activityId, registration } = this.cmi5.launchParameters!;
    for (const delay of [0, 500, 1500]) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        const answer = await this.cmi5.xapi!.getState({
          agent: actor,
          activityId,
          registration,
          stateId: STATE_ID,
        });
        const doc = answer.data as unknown as Partial<AuState> | undefined;
        return doc && typeof doc === 'object' ? doc : {};
      } catch (error) {
        if (httpStatus(error) === 404) return {};
        console.error('reading the AU state failed:', error);
      }
    }
    // Unknown prior state could mean a second Passed: better not to record than to break the rules.
    throw new Error('the AU state could not be read');
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
    clearTimeout(this.soonTimer);
    this.soonTimer = undefined;
    this.dirty = false;
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
    if (result.passed) this.state = { ...this.state, passed: true };
    this.judge(result, true);
  }

  /** Records the flags first (so a crash after cannot lead to a repeat), then the statements. */
  private judge(result: QuizResult, complete: boolean): void {
    const sendCompleted = complete && !this.state.completed;
    if (sendCompleted) this.state = { ...this.state, completed: true };
    this.dirty = true;
    this.commit();
    this.memory = { ...this.memory!, judged: true };
    writeMemory(this.memoryKey, this.memory);
    if (sendCompleted) void this.cmi5.complete();
    const scaled = Math.round(result.score * 10) / 1000;
    const score = { scaled, raw: result.score, min: 0, max: 100 };
    if (result.passed) void this.cmi5.pass(score);
    else void this.cmi5.fail({ ...score, scaled: this.belowMastery(scaled) });
  }

  /** A Failed statement's scaled score must be below masteryScore (cmi5 9.3.5), whatever rounding did. */
  private belowMastery(scaled: number): number {
    const mastery = this.launch?.masteryScore;
    return typeof mastery === 'number' && scaled >= mastery ? Math.max(0, mastery - 0.001) : scaled;
  }

  async end(_finished: boolean, _elapsedMs: number): Promise<boolean> {
    if (!this.live) return false;
    if (this.pendingFail && this.normal && !this.state.passed && !this.memory!.judged) {
      this.judge(this.pendingFail, false);
    }
    // The last bookmark, if it changed, goes before Terminated.
    this.commit();
    void this.cmi5.terminate();
    this.ended = true;
    this.memory = { ...this.memory!, terminated: true };
    writeMemory(this.memoryKey, this.memory);
    if (this.unloading) this.sendOnUnload();
    await this.outbox.drained();
    return true;
  }

  /**
   * The page is closing with statements still queued: they go out as keepalive requests, which the
   * browser finishes after the page is gone. They may arrive in any order; cmi5 orders by timestamp,
   * and a statement that also arrives by the outbox has the same id, so it is stored once.
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
    for (const job of this.outbox.pending) {
      const request =
        job.kind === 'statement'
          ? { url: `${base}statements`, method: 'POST', body: job.statement }
          : { url: `${base}activities/state?${stateQuery}`, method: 'PUT', body: job.document };
      void fetch(request.url, {
        method: request.method,
        keepalive: true,
        headers,
        body: JSON.stringify(request.body),
      }).catch(() => {});
    }
  }

  /** Returns the URL to go to once terminated (LMS.LaunchData returnURL), if any. */
  get returnUrl(): string | undefined {
    return this.launch?.returnURL;
  }
}
