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

/**
 * Sends jobs one at a time, in order, and never drops one: a failed send is retried with back-off
 * until the LRS takes it, and later jobs wait (Terminated must stay last, Passed must follow the
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

  constructor(
    private readonly send: (job: OutboxJob) => Promise<void>,
    private readonly onHealth: (health: LmsHealth) => void,
    private readonly delays: readonly number[] = RETRY_DELAYS_MS,
  ) {}

  get pending(): readonly OutboxJob[] {
    return this.jobs;
  }

  push(job: OutboxJob): void {
    const waiting = job.kind === 'state' ? this.waitingStateWrite() : undefined;
    if (waiting && job.kind === 'state') waiting.document = job.document;
    else this.jobs.push(job);
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
      () => this.settled(true),
      (error: SendFailure) => this.settled(alreadyStored(head, error)),
    );
  }

  private settled(sent: boolean): void {
    this.sending = false;
    if (sent) {
      this.jobs.shift();
      this.failures = 0;
      if (this.jobs.length === 0) this.onHealth('recording');
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
