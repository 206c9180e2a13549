import type { LmsHealth } from './lms.js';

/**
 * What the AU sends to the LRS, in the order it must arrive: statements (each built once, so a retry
 * carries the same id and the LRS stores it once) and writes of the AU's state document.
 */
export type OutboxJob =
  | { kind: 'statement'; statement: { id?: string; verb?: { id: string } } & Record<string, unknown> }
  | { kind: 'state'; document: Record<string, unknown> };

/** The answer of a failed send, when the LRS gave one (a network failure gives none). */
export interface SendFailure {
  status?: number;
}

/** Waits before each retry; the last one repeats until the LRS answers. */
export const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 10_000];
/** Failures in a row before the learner is told their progress is not being saved. */
export const FAILURES_BEFORE_NOTICE = 3;

/** What the owner of an outbox hears about besides health. */
export interface OutboxHooks {
  /** A job the LRS took (or already held). */
  onSent?: (job: OutboxJob) => void;
  /** The jobs still to send changed (kept in the browser so a closed window loses none of them). */
  onChange?: (jobs: readonly OutboxJob[]) => void;
  /** A statement the LRS refused for good (a 4xx retrying cannot change): dropped, not retried. */
  onDropped?: (job: OutboxJob, failure: SendFailure) => void;
}

/**
 * Reads until the LRS answers: `read` is retried after each of `delays` (the outbox's back-off),
 * unless `final(error)` says the answer is one (a 404 is). The last error is thrown once the delays
 * are used up.
 */
export async function withRetries<T>(
  read: () => Promise<T>,
  delays: readonly number[] = RETRY_DELAYS_MS,
  final: (error: unknown) => boolean = () => false,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (final(error) || attempt >= delays.length) throw error;
      console.error('LRS read failed, will retry:', error);
      await new Promise((resolve) => setTimeout(resolve, delays[attempt]));
    }
  }
}

/**
 * Sends jobs one at a time, in order: a failed send is retried with back-off until the LRS takes it
 * (only a statement refused for good, a 4xx retrying cannot change, is dropped, logged and the
 * learner told), and later jobs wait (Terminated must stay last, Passed must follow the
 * state write that records it). After a few failures in a row the health turns `not-saving`, and back
 * to `recording` once everything is through. A state write still waiting is replaced by a newer one
 * (the newer document holds everything the older did).
 */
export class Outbox {
  private readonly jobs: OutboxJob[] = [];
  private sending = false;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waiters: Array<() => void> = [];
  /** A statement was refused for good: the learner stays told that not everything was saved. */
  private lost = false;

  constructor(
    private readonly send: (job: OutboxJob) => Promise<void>,
    private readonly onHealth: (health: LmsHealth) => void,
    private readonly delays: readonly number[] = RETRY_DELAYS_MS,
    private readonly hooks: OutboxHooks = {},
  ) {}

  /** Jobs pushed while capturing are handed back instead of queued (to put a state write first). */
  private captured: OutboxJob[] | null = null;

  /** Runs `build` and returns the jobs it pushed, unqueued; the caller pushes them in its own order. */
  capture(build: () => void): OutboxJob[] {
    const jobs: OutboxJob[] = [];
    this.captured = jobs;
    try {
      build();
    } finally {
      this.captured = null;
    }
    return jobs;
  }

  get pending(): readonly OutboxJob[] {
    return this.jobs;
  }

  push(job: OutboxJob): void {
    if (this.captured) {
      this.captured.push(job);
      return;
    }
    const waiting = job.kind === 'state' ? this.waitingStateWrite() : undefined;
    if (waiting && job.kind === 'state') waiting.document = job.document;
    else this.jobs.push(job);
    this.hooks.onChange?.(this.jobs);
    this.pump();
  }

  /** Resolves once every job pushed so far (and any pushed meanwhile) is through. */
  drained(): Promise<void> {
    if (this.jobs.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The queued state write not yet on its way (the head is on its way while sending). */
  private waitingStateWrite(): Extract<OutboxJob, { kind: 'state' }> | undefined {
    const from = this.sending ? 1 : 0;
    return this.jobs.slice(from).find((j): j is Extract<OutboxJob, { kind: 'state' }> => j.kind === 'state');
  }

  private pump(): void {
    if (this.sending || this.timer !== undefined) return;
    const head = this.jobs[0];
    if (!head) {
      for (const resolve of this.waiters.splice(0)) resolve();
      return;
    }
    this.sending = true;
    this.send(head).then(
      () => this.settled('sent'),
      (error: SendFailure) => {
        if (alreadyStored(head, error)) return this.settled('sent');
        if (!refusedForGood(head, error)) return this.settled('retry');
        console.error('the LRS refused a statement for good; dropped:', error, head);
        this.lost = true;
        this.hooks.onDropped?.(head, error);
        this.settled('dropped');
      },
    );
  }

  private settled(outcome: 'sent' | 'dropped' | 'retry'): void {
    this.sending = false;
    if (outcome !== 'retry') {
      const done = this.jobs.shift()!;
      this.failures = 0;
      this.hooks.onChange?.(this.jobs);
      if (outcome === 'sent') this.hooks.onSent?.(done);
      if (this.lost) this.onHealth('not-saving');
      else if (this.jobs.length === 0) this.onHealth('recording');
      this.pump();
      return;
    }
    this.failures += 1;
    if (this.failures >= FAILURES_BEFORE_NOTICE) this.onHealth('not-saving');
    const delay = this.delays[Math.min(this.failures - 1, this.delays.length - 1)]!;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, delay);
  }
}

/**
 * A statement the LRS answers 409 for already holds that id: it is ours (ids are made once per
 * statement), stored by an earlier try whose answer was lost.
 */
function alreadyStored(job: OutboxJob, error: SendFailure): boolean {
  return job.kind === 'statement' && error?.status === 409;
}

/**
 * A statement refused with a 4xx other than 408 (timeout), 409 (held) and 429 (too many): retrying
 * cannot change the answer (e.g. 403 for a session the LMS terminated or abandoned, 9.3.8), and
 * waiting for it would block every later job, Terminated included. It is dropped (logged, and the
 * learner told) rather than retried forever.
 */
function refusedForGood(job: OutboxJob, error: SendFailure): boolean {
  const status = error?.status ?? 0;
  return job.kind === 'statement' && status >= 400 && status < 500 && status !== 408 && status !== 429;
}
