import { scorm12Duration, scorm12Time, scorm2004Duration, scorm2004Timestamp } from './cmi-format.js';
import type { InteractionRecord } from './interactions.js';

/** What the SCO needs from an LMS, whichever SCORM version is underneath. */
export interface LmsSession {
  readonly connected: boolean;
  /** Initialize, then read the bookmark. Marks a first launch as incomplete. */
  start(): { suspendData: string; location: string };
  /** Stores the bookmark (SetValue only; commits happen at meaningful points). */
  saveBookmark(location: string, suspendData: string): void;
  commit(): void;
  recordResult(result: QuizResult): void;
  /** Sets exit and session time, then Terminate / LMSFinish. Safe to call twice. */
  end(finished: boolean, elapsedMs: number): void;
}

export interface QuizResult {
  /** Percent, 0–100 (one decimal). */
  score: number;
  passed: boolean;
  failStatus: 'failed' | 'incomplete';
  interactions: InteractionRecord[];
  at: Date;
}

interface Api12 {
  LMSInitialize(arg: ''): string;
  LMSGetValue(element: string): string;
  LMSSetValue(element: string, value: string): string;
  LMSCommit(arg: ''): string;
  LMSFinish(arg: ''): string;
}

interface Api2004 {
  Initialize(arg: ''): string;
  GetValue(element: string): string;
  SetValue(element: string, value: string): string;
  Commit(arg: ''): string;
  Terminate(arg: ''): string;
}

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

const offline: LmsSession = {
  connected: false,
  start: () => ({ suspendData: '', location: '' }),
  saveBookmark() {},
  commit() {},
  recordResult() {},
  end() {},
};

class Scorm12Session implements LmsSession {
  readonly connected = true;
  private ended = false;
  constructor(private readonly api: Api12) {}

  private set(element: string, value: string | number): void {
    this.api.LMSSetValue(element, String(value));
  }

  start() {
    this.api.LMSInitialize('');
    const status = this.api.LMSGetValue('cmi.core.lesson_status');
    if (status === 'not attempted' || status === '') {
      this.set('cmi.core.lesson_status', 'incomplete');
      this.commit();
    }
    return {
      suspendData: this.api.LMSGetValue('cmi.suspend_data') ?? '',
      location: this.api.LMSGetValue('cmi.core.lesson_location') ?? '',
    };
  }

  saveBookmark(location: string, suspendData: string) {
    if (this.ended) return;
    this.set('cmi.core.lesson_location', location);
    this.set('cmi.suspend_data', suspendData);
  }

  commit() {
    if (!this.ended) this.api.LMSCommit('');
  }

  recordResult(r: QuizResult) {
    if (this.ended) return;
    // Score before status: some LMS reports read the score when the status changes.
    this.set('cmi.core.score.raw', r.score);
    this.set('cmi.core.score.min', 0);
    this.set('cmi.core.score.max', 100);
    let n = Number(this.api.LMSGetValue('cmi.interactions._count')) || 0;
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
    if (this.ended) return;
    this.set('cmi.core.exit', finished ? '' : 'suspend');
    this.set('cmi.core.session_time', scorm12Duration(elapsedMs));
    this.ended = true;
    this.api.LMSFinish('');
  }
}

class Scorm2004Session implements LmsSession {
  readonly connected = true;
  private ended = false;
  constructor(private readonly api: Api2004) {}

  private set(element: string, value: string | number): void {
    this.api.SetValue(element, String(value));
  }

  start() {
    this.api.Initialize('');
    const completion = this.api.GetValue('cmi.completion_status');
    if (completion === 'unknown' || completion === 'not attempted' || completion === '') {
      this.set('cmi.completion_status', 'incomplete');
      this.commit();
    }
    return {
      suspendData: this.api.GetValue('cmi.suspend_data') ?? '',
      location: this.api.GetValue('cmi.location') ?? '',
    };
  }

  saveBookmark(location: string, suspendData: string) {
    if (this.ended) return;
    this.set('cmi.location', location);
    this.set('cmi.suspend_data', suspendData);
  }

  commit() {
    if (!this.ended) this.api.Commit('');
  }

  recordResult(r: QuizResult) {
    if (this.ended) return;
    // An LMS judges success from score.scaled against the manifest's passing score (and overrides
    // success_status with it), so a fail that must read as "incomplete" withholds the scaled score.
    const reportAsIncomplete = !r.passed && r.failStatus === 'incomplete';
    if (!reportAsIncomplete) this.set('cmi.score.scaled', Math.round(r.score * 10) / 1000);
    this.set('cmi.score.raw', r.score);
    this.set('cmi.score.min', 0);
    this.set('cmi.score.max', 100);
    let n = Number(this.api.GetValue('cmi.interactions._count')) || 0;
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
    if (this.ended) return;
    this.set('cmi.exit', finished ? 'normal' : 'suspend');
    this.set('cmi.session_time', scorm2004Duration(elapsedMs));
    this.ended = true;
    this.api.Terminate('');
  }
}

/** Finds the LMS for this package's SCORM version; without one the course runs offline. */
export function connectLms(win: Window, format: 'scorm12' | 'scorm2004'): LmsSession {
  if (format === 'scorm12') {
    const api = findApi(win, 'API', 7) as Api12 | null;
    return api ? new Scorm12Session(api) : offline;
  }
  const api = findApi(win, 'API_1484_11', 500) as Api2004 | null;
  return api ? new Scorm2004Session(api) : offline;
}
