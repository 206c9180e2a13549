import { scorm12Duration, scorm12Time, scorm2004Duration, scorm2004Timestamp } from './cmi-format.js';
import type { InteractionRecord } from './interactions.js';

/**
 * What the learner is told about the LMS: `recording` (all is well), `not-recording` (no API, or
 * Initialize refused: the course runs offline) or `not-saving` (commits keep failing; the state is
 * kept in memory and sent with the next commit that works).
 */
export type LmsHealth = 'recording' | 'not-recording' | 'not-saving';

/** What the SCO needs from an LMS, whichever SCORM version is underneath. */
export interface LmsSession {
  readonly connected: boolean;
  readonly health: LmsHealth;
  /** Called whenever `health` changes. */
  onHealthChange: (health: LmsHealth) => void;
  /**
   * Initialize, then read the bookmark and whether the LMS already holds a pass (which stands even
   * when the bookmark was lost). Marks a first launch as incomplete.
   */
  start(): LmsBoot | Promise<LmsBoot>;
  /** Stores the bookmark (SetValue only; commits happen at meaningful points). */
  saveBookmark(location: string, suspendData: string): void;
  /** Commits now: a meaningful point (lesson completed, quiz submitted, leaving). */
  commit(): void;
  /** Commits when something changed since the last commit, at most once every 30 seconds. */
  commitSoon(): void;
  recordResult(result: QuizResult): void;
  /**
   * Sets exit and session time, then Terminate / LMSFinish. Safe to call twice. True only when the
   * LMS accepted everything: the learner is told "saved" only then.
   */
  end(finished: boolean, elapsedMs: number): boolean | Promise<boolean>;
}

/** What the LMS hands the SCO at start-up. */
export interface LmsBoot {
  suspendData: string;
  location: string;
  /** The LMS's stored status says passed (1.2 lesson_status, 2004 success_status). */
  passed: boolean;
  /** cmi5: the LMS's masteryScore as a percent, which overrides the course's pass mark. */
  passingScore?: number;
  /** cmi5 launchMode: `browse` and `review` record no result; `review` starts no attempt. Absent: normal. */
  mode?: 'normal' | 'browse' | 'review';
  /** cmi5 returnURL: where the window goes once the session is terminated. */
  returnUrl?: string;
}

export interface QuizResult {
  /** Percent, 0–100 (one decimal). */
  score: number;
  passed: boolean;
  failStatus: 'failed' | 'incomplete';
  interactions: InteractionRecord[];
  at: Date;
  /** No attempt is left after this one. */
  finalAttempt?: boolean;
}

/** The calls of either version, by their version-neutral role. */
interface ApiNames {
  initialize: string;
  getValue: string;
  setValue: string;
  commit: string;
  finish: string;
  getLastError: string;
  getErrorString: string;
  getDiagnostic: string;
}

const NAMES_12: ApiNames = {
  initialize: 'LMSInitialize',
  getValue: 'LMSGetValue',
  setValue: 'LMSSetValue',
  commit: 'LMSCommit',
  finish: 'LMSFinish',
  getLastError: 'LMSGetLastError',
  getErrorString: 'LMSGetErrorString',
  getDiagnostic: 'LMSGetDiagnostic',
};

const NAMES_2004: ApiNames = {
  initialize: 'Initialize',
  getValue: 'GetValue',
  setValue: 'SetValue',
  commit: 'Commit',
  finish: 'Terminate',
  getLastError: 'GetLastError',
  getErrorString: 'GetErrorString',
  getDiagnostic: 'GetDiagnostic',
};

type RawApi = Record<string, unknown>;

/** Waits before each retry of a failed commit; after the last one the learner is told. */
export const COMMIT_RETRY_DELAYS_MS = [500, 1000, 2000];
/** The shortest time between two commits that are not at a meaningful point. */
export const COMMIT_INTERVAL_MS = 30_000;

/**
 * The ADL discovery algorithm: climb window.parent from `win` (a bounded number of levels, since
 * some LMS frame sets nest deeply and a loop must end), then try the opener window and its parents.
 * Frames from another origin throw on property access; those are skipped, not fatal.
 */
export function findApi(win: Window, name: 'API' | 'API_1484_11', maxLevels: number): unknown {
  const climb = (start: Window | null | undefined): unknown => {
    let current = start;
    for (let level = 0; current && level <= maxLevels; level++) {
      try {
        const api = (current as unknown as Record<string, unknown>)[name];
        if (api) return api;
      } catch {
        // Cross-origin frame: keep climbing.
      }
      if (current.parent === current) break;
      current = current.parent;
    }
    return null;
  };
  let opener: Window | null = null;
  try {
    opener = win.opener ?? win.top?.opener ?? null;
  } catch {
    opener = null;
  }
  return climb(win) ?? climb(opener);
}

/** The session when there is no LMS to talk to: the course works, nothing is recorded. */
export function offlineSession(): LmsSession {
  return {
    connected: false,
    health: 'not-recording',
    onHealthChange() {},
    start: () => ({ suspendData: '', location: '', passed: false }),
    saveBookmark() {},
    commit() {},
    commitSoon() {},
    recordResult() {},
    end: () => false,
  };
}

/**
 * The calls both versions share, made defensively: an API method that throws or answers anything
 * but "true" is a failure, logged to the console with GetLastError / GetErrorString /
 * GetDiagnostic, never a crash. A SetValue the LMS refused is kept and sent again before the next
 * commit; a failed commit is retried with back-off, then the learner is told.
 */
abstract class ApiSession implements LmsSession {
  connected = true;
  health: LmsHealth = 'recording';
  onHealthChange: (health: LmsHealth) => void = () => {};
  protected ended = false;
  /** Values the LMS has not accepted yet, in the order they were set. */
  private readonly unsent = new Map<string, string>();
  /** Something was set since the last commit that worked. */
  private changed = false;
  private lastCommitAt = Number.NEGATIVE_INFINITY;
  private soonTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly api: RawApi,
    private readonly names: ApiNames,
  ) {}

  /** Calls an API method; a missing or throwing method answers null. */
  private call(name: string, ...args: string[]): string | null {
    try {
      const method = this.api[name];
      if (typeof method !== 'function') throw new Error(`the LMS API has no ${name}`);
      return String(method.apply(this.api, args));
    } catch (error) {
      console.error(`LMS ${name}(${args.join(', ')}) threw:`, error);
      return null;
    }
  }

  /** Logs a refused call with what the LMS says about it. */
  private report(name: string, args: string[], answer: string | null): void {
    if (answer === null) return; // Already logged when it threw.
    const code = this.call(this.names.getLastError) ?? '?';
    const text = this.call(this.names.getErrorString, code) ?? '';
    const diagnostic = this.call(this.names.getDiagnostic, code) ?? '';
    console.error(
      `LMS ${name}(${args.join(', ')}) refused (answered ${JSON.stringify(answer)}): error ${code} ${text} ${diagnostic}`.trim(),
    );
  }

  /** True when the LMS answered "true". */
  private succeeded(name: string, ...args: string[]): boolean {
    const answer = this.call(name, ...args);
    if (answer === 'true') return true;
    this.report(name, args, answer);
    return false;
  }

  private setHealth(health: LmsHealth): void {
    if (this.health === health) return;
    this.health = health;
    this.onHealthChange(health);
  }

  protected get(element: string): string {
    const value = this.call(this.names.getValue, element);
    if (value === null) return '';
    // An empty answer is either an empty value or an error: only GetLastError tells them apart.
    if (value === '') {
      const code = this.call(this.names.getLastError);
      if (code !== null && code !== '0' && code !== '') this.report(this.names.getValue, [element], value);
    }
    return value;
  }

  protected set(element: string, value: string | number): void {
    if (this.ended || !this.connected) return;
    this.changed = true;
    this.unsent.delete(element);
    if (!this.succeeded(this.names.setValue, element, String(value))) this.unsent.set(element, String(value));
  }

  /** Sends again what the LMS refused before; true when nothing is left unsent. */
  private resend(): boolean {
    for (const [element, value] of Array.from(this.unsent)) {
      if (this.succeeded(this.names.setValue, element, value)) this.unsent.delete(element);
    }
    return this.unsent.size === 0;
  }

  /** A meaningful point: commit now, and retry with back-off if the LMS does not take it. */
  commit(): void {
    if (this.ended || !this.connected) return;
    // A retry is already on its way and will carry the latest values.
    if (this.retryTimer !== undefined) return;
    clearTimeout(this.soonTimer);
    this.soonTimer = undefined;
    this.attemptCommit(0);
  }

  private attemptCommit(retry: number): void {
    this.retryTimer = undefined;
    if (this.ended) return;
    this.lastCommitAt = Date.now();
    const allSent = this.resend();
    const committed = this.succeeded(this.names.commit, '');
    if (committed && allSent) {
      this.changed = false;
      this.setHealth('recording');
      return;
    }
    const delay = COMMIT_RETRY_DELAYS_MS[retry];
    if (delay === undefined) this.setHealth('not-saving');
    else this.retryTimer = setTimeout(() => this.attemptCommit(retry + 1), delay);
  }

  commitSoon(): void {
    if (this.ended || !this.connected || !this.changed) return;
    if (this.soonTimer !== undefined || this.retryTimer !== undefined) return;
    const wait = this.lastCommitAt + COMMIT_INTERVAL_MS - Date.now();
    if (wait <= 0) this.commit();
    else this.soonTimer = setTimeout(() => this.commit(), wait);
  }

  /** Initialize; a refused or throwing Initialize leaves the course offline. */
  protected initialize(): boolean {
    if (this.succeeded(this.names.initialize, '')) return true;
    this.connected = false;
    this.setHealth('not-recording');
    return false;
  }

  protected terminate(): boolean {
    clearTimeout(this.soonTimer);
    clearTimeout(this.retryTimer);
    // Terminate implies a commit, so whatever was refused before gets one more try first.
    const allSent = this.resend();
    this.ended = true;
    const finished = this.succeeded(this.names.finish, '');
    // Commits that kept failing make a "true" from Terminate too weak to tell the learner "saved".
    return finished && allSent && this.health === 'recording';
  }

  abstract start(): LmsBoot;
  abstract saveBookmark(location: string, suspendData: string): void;
  abstract recordResult(result: QuizResult): void;
  abstract end(finished: boolean, elapsedMs: number): boolean;
}

class Scorm12Session extends ApiSession {
  constructor(api: RawApi) {
    super(api, NAMES_12);
  }

  start() {
    if (!this.initialize()) return { suspendData: '', location: '', passed: false };
    const status = this.get('cmi.core.lesson_status');
    if (status === 'not attempted' || status === '') {
      this.set('cmi.core.lesson_status', 'incomplete');
      this.commit();
    }
    return {
      suspendData: this.get('cmi.suspend_data'),
      location: this.get('cmi.core.lesson_location'),
      passed: status === 'passed',
    };
  }

  saveBookmark(location: string, suspendData: string) {
    this.set('cmi.core.lesson_location', location);
    this.set('cmi.suspend_data', suspendData);
  }

  recordResult(r: QuizResult) {
    if (this.ended || !this.connected) return;
    // Score before status: some LMS reports read the score when the status changes.
    this.set('cmi.core.score.raw', r.score);
    this.set('cmi.core.score.min', 0);
    this.set('cmi.core.score.max', 100);
    let n = Number(this.get('cmi.interactions._count')) || 0;
    for (const i of r.interactions) {
      const p = `cmi.interactions.${n}.`;
      this.set(`${p}id`, i.id);
      this.set(`${p}type`, i.type);
      this.set(`${p}time`, scorm12Time(r.at));
      this.set(`${p}student_response`, i.response);
      this.set(`${p}result`, i.result);
      n++;
    }
    this.set('cmi.core.lesson_status', r.passed ? 'passed' : r.failStatus);
    this.commit();
  }

  end(finished: boolean, elapsedMs: number) {
    if (this.ended || !this.connected) return false;
    this.set('cmi.core.exit', finished ? '' : 'suspend');
    this.set('cmi.core.session_time', scorm12Duration(elapsedMs));
    return this.terminate();
  }
}

class Scorm2004Session extends ApiSession {
  constructor(api: RawApi) {
    super(api, NAMES_2004);
  }

  start() {
    if (!this.initialize()) return { suspendData: '', location: '', passed: false };
    const completion = this.get('cmi.completion_status');
    if (completion === 'unknown' || completion === 'not attempted' || completion === '') {
      this.set('cmi.completion_status', 'incomplete');
      this.commit();
    }
    return {
      suspendData: this.get('cmi.suspend_data'),
      location: this.get('cmi.location'),
      passed: this.get('cmi.success_status') === 'passed',
    };
  }

  saveBookmark(location: string, suspendData: string) {
    this.set('cmi.location', location);
    this.set('cmi.suspend_data', suspendData);
  }

  recordResult(r: QuizResult) {
    if (this.ended || !this.connected) return;
    // An LMS judges success from score.scaled against the manifest's passing score (and overrides
    // success_status with it), so a fail that must read as "incomplete" withholds the scaled score.
    const reportAsIncomplete = !r.passed && r.failStatus === 'incomplete';
    if (!reportAsIncomplete) this.set('cmi.score.scaled', Math.round(r.score * 10) / 1000);
    this.set('cmi.score.raw', r.score);
    this.set('cmi.score.min', 0);
    this.set('cmi.score.max', 100);
    let n = Number(this.get('cmi.interactions._count')) || 0;
    for (const i of r.interactions) {
      const p = `cmi.interactions.${n}.`;
      // id first, then type: the LMS validates responses against the type.
      this.set(`${p}id`, i.id);
      this.set(`${p}type`, i.type);
      this.set(`${p}description`, i.description);
      this.set(`${p}timestamp`, scorm2004Timestamp(r.at));
      this.set(`${p}learner_response`, i.response);
      this.set(`${p}result`, i.result);
      n++;
    }
    if (r.passed) {
      this.set('cmi.completion_status', 'completed');
      this.set('cmi.success_status', 'passed');
    } else if (r.failStatus === 'failed') {
      this.set('cmi.completion_status', 'completed');
      this.set('cmi.success_status', 'failed');
    } else {
      // Reported as unfinished rather than failed, for LMSs that lock retries after a fail.
      this.set('cmi.completion_status', 'incomplete');
      this.set('cmi.success_status', 'unknown');
    }
    this.commit();
  }

  end(finished: boolean, elapsedMs: number) {
    if (this.ended || !this.connected) return false;
    this.set('cmi.exit', finished ? 'normal' : 'suspend');
    this.set('cmi.session_time', scorm2004Duration(elapsedMs));
    return this.terminate();
  }
}

/** Finds the LMS for this package's SCORM version; without one the course runs offline. */
export function connectLms(win: Window, format: 'scorm12' | 'scorm2004'): LmsSession {
  if (format === 'scorm12') {
    const api = findApi(win, 'API', 7) as RawApi | null;
    return api ? new Scorm12Session(api) : offlineSession();
  }
  const api = findApi(win, 'API_1484_11', 500) as RawApi | null;
  return api ? new Scorm2004Session(api) : offlineSession();
}
