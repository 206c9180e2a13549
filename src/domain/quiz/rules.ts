import type { QuizSettings } from '../course.js';
import { needsOnlyAttestation, type RefresherState } from '../mastery/refresher-path.js';

/** What the rules need to know about one attempt of the current cycle. */
export interface AttemptSummary {
  n: number;
  startedAt: Date;
  deadline: Date | null;
  /** Null while the attempt is open. */
  result: { passed: boolean; submittedAt: Date } | null;
}

export interface CycleFacts {
  requirement: 'full' | 'attest-only';
  extraAttempts: number;
  /** A refresher cycle's path: a pre-assessment that left nothing to study makes the quiz unnecessary. */
  refresher?: RefresherState | null;
}

export type QuizState =
  | { kind: 'not-required' }
  | { kind: 'passed'; attemptNo: number }
  /** An attempt is open: resume it (or, past its deadline, it is graded on the next visit). */
  | { kind: 'open'; attemptNo: number; deadline: Date | null }
  | { kind: 'can-start'; nextAttemptNo: number }
  | { kind: 'cooldown'; nextAttemptNo: number; availableAt: Date }
  | { kind: 'exhausted' };

export interface QuizStatus {
  state: QuizState;
  allowed: number;
  /** Attempts started (open or graded). */
  used: number;
  left: number;
}

const MINUTE = 60_000;

/** Attempts allowed in a cycle: the course maximum plus any HR grant. */
export function attemptsAllowed(settings: QuizSettings, cycle: CycleFacts): number {
  return settings.maxAttempts + Math.max(0, cycle.extraAttempts);
}

/** When a time-limited attempt must be in, or null without a limit. */
export function deadlineFor(settings: QuizSettings, startedAt: Date): Date | null {
  return settings.timeLimitMinutes
    ? new Date(startedAt.getTime() + settings.timeLimitMinutes * MINUTE)
    : null;
}

/** Submissions after the deadline are recorded as made at the deadline. */
export function submissionTime(now: Date, deadline: Date | null): Date {
  return deadline && now > deadline ? deadline : now;
}

/**
 * Answers sent within this long after the deadline still count (the learner clicked in time and
 * the network was slow). Later, only the answers saved before the deadline are graded.
 */
export const LATE_GRACE_MS = 60_000;

export function acceptsSubmittedAnswers(now: Date, deadline: Date | null): boolean {
  return !deadline || now.getTime() <= deadline.getTime() + LATE_GRACE_MS;
}

export function isPastDeadline(now: Date, deadline: Date | null): boolean {
  return deadline !== null && now > deadline;
}

/**
 * Where a learner stands with the quiz in the current cycle. `attempts` are that cycle's attempts
 * in any order. A pass ends the quiz; a failed attempt starts a cooldown; when every allowed
 * attempt has failed the learner is exhausted until HR grants more.
 */
export function quizStatus(
  settings: QuizSettings,
  cycle: CycleFacts,
  attempts: AttemptSummary[],
  now: Date,
): QuizStatus {
  const allowed = attemptsAllowed(settings, cycle);
  const used = attempts.length;
  const counts = { allowed, used, left: Math.max(0, allowed - used) };
  if (cycle.requirement === 'attest-only' || needsOnlyAttestation(cycle.refresher))
    return { ...counts, state: { kind: 'not-required' } };

  const sorted = [...attempts].sort((a, b) => a.n - b.n);
  const pass = sorted.find((a) => a.result?.passed);
  if (pass) return { ...counts, state: { kind: 'passed', attemptNo: pass.n } };

  const open = sorted.find((a) => a.result === null);
  if (open) return { ...counts, state: { kind: 'open', attemptNo: open.n, deadline: open.deadline } };

  if (used >= allowed) return { ...counts, state: { kind: 'exhausted' } };

  const nextAttemptNo = used + 1;
  const last = sorted.at(-1);
  if (last?.result) {
    const availableAt = new Date(last.result.submittedAt.getTime() + settings.cooldownMinutes * MINUTE);
    if (now < availableAt) return { ...counts, state: { kind: 'cooldown', nextAttemptNo, availableAt } };
  }
  return { ...counts, state: { kind: 'can-start', nextAttemptNo } };
}

/** Whole minutes until `until`, rounded up, for "try again in 12 minutes". */
export function minutesUntil(until: Date, now: Date): number {
  return Math.max(0, Math.ceil((until.getTime() - now.getTime()) / MINUTE));
}
