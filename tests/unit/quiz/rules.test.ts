import { describe, expect, it } from 'vitest';
import { QUIZ_DEFAULTS, type QuizSettings } from '../../../src/domain/course.js';
import {
  type AttemptSummary,
  acceptsSubmittedAnswers,
  attemptsAllowed,
  deadlineFor,
  LATE_GRACE_MS,
  minutesUntil,
  quizStatus,
  submissionTime,
} from '../../../src/domain/quiz/index.js';

const settings: QuizSettings = { ...QUIZ_DEFAULTS, maxAttempts: 3, cooldownMinutes: 60 };
const full = { requirement: 'full' as const, extraAttempts: 0 };
const at = (iso: string) => new Date(iso);

const failed = (n: number, submittedAt: string): AttemptSummary => ({
  n,
  startedAt: at('2026-03-02T08:00:00Z'),
  deadline: null,
  result: { passed: false, submittedAt: at(submittedAt) },
});

describe('quizStatus', () => {
  it('lets a learner with no attempts start attempt 1', () => {
    expect(quizStatus(settings, full, [], at('2026-03-02T09:00:00Z'))).toEqual({
      allowed: 3,
      used: 0,
      left: 3,
      state: { kind: 'can-start', nextAttemptNo: 1 },
    });
  });

  it('resumes an open attempt rather than starting another', () => {
    const open: AttemptSummary = {
      n: 1,
      startedAt: at('2026-03-02T09:00:00Z'),
      deadline: null,
      result: null,
    };
    expect(quizStatus(settings, full, [open], at('2026-03-02T09:05:00Z')).state).toEqual({
      kind: 'open',
      attemptNo: 1,
      deadline: null,
    });
  });

  it('holds the cooldown until exactly 60 minutes after a failed submission', () => {
    const attempts = [failed(1, '2026-03-02T09:00:00Z')];
    expect(quizStatus(settings, full, attempts, at('2026-03-02T09:59:59.999Z')).state).toEqual({
      kind: 'cooldown',
      nextAttemptNo: 2,
      availableAt: at('2026-03-02T10:00:00Z'),
    });
    expect(quizStatus(settings, full, attempts, at('2026-03-02T10:00:00Z')).state).toEqual({
      kind: 'can-start',
      nextAttemptNo: 2,
    });
  });

  it('has no cooldown when the course sets none', () => {
    const attempts = [failed(1, '2026-03-02T09:00:00Z')];
    expect(
      quizStatus({ ...settings, cooldownMinutes: 0 }, full, attempts, at('2026-03-02T09:00:00Z')).state.kind,
    ).toBe('can-start');
  });

  it('is exhausted after the last allowed attempt fails, cooldown or not', () => {
    const attempts = [
      failed(1, '2026-03-02T09:00:00Z'),
      failed(2, '2026-03-02T11:00:00Z'),
      failed(3, '2026-03-02T13:00:00Z'),
    ];
    const status = quizStatus(settings, full, attempts, at('2026-03-02T13:00:01Z'));
    expect(status).toMatchObject({ used: 3, left: 0, state: { kind: 'exhausted' } });
  });

  it('counts HR-granted attempts on top of the course maximum', () => {
    const attempts = [
      failed(1, '2026-03-02T09:00:00Z'),
      failed(2, '2026-03-02T11:00:00Z'),
      failed(3, '2026-03-02T13:00:00Z'),
    ];
    const granted = { requirement: 'full' as const, extraAttempts: 2 };
    expect(attemptsAllowed(settings, granted)).toBe(5);
    expect(quizStatus(settings, granted, attempts, at('2026-03-02T15:00:00Z'))).toMatchObject({
      allowed: 5,
      left: 2,
      state: { kind: 'can-start', nextAttemptNo: 4 },
    });
  });

  it('ends the quiz after a pass', () => {
    const pass: AttemptSummary = {
      n: 2,
      startedAt: at('2026-03-02T10:00:00Z'),
      deadline: null,
      result: { passed: true, submittedAt: at('2026-03-02T10:20:00Z') },
    };
    const status = quizStatus(
      settings,
      full,
      [failed(1, '2026-03-02T09:00:00Z'), pass],
      at('2026-03-03T00:00:00Z'),
    );
    expect(status.state).toEqual({ kind: 'passed', attemptNo: 2 });
  });

  it('does not require the quiz in an attest-only cycle', () => {
    expect(
      quizStatus(settings, { requirement: 'attest-only', extraAttempts: 0 }, [], at('2026-03-02T09:00:00Z'))
        .state,
    ).toEqual({
      kind: 'not-required',
    });
  });
});

describe('the time limit', () => {
  const timed = { ...settings, timeLimitMinutes: 20 };
  const start = at('2026-03-02T09:00:00Z');
  const deadline = at('2026-03-02T09:20:00Z');

  it('sets the deadline from the start, and none without a limit', () => {
    expect(deadlineFor(timed, start)).toEqual(deadline);
    expect(deadlineFor(settings, start)).toBeNull();
  });

  it('records late submissions at the deadline and on-time ones when they arrive', () => {
    expect(submissionTime(at('2026-03-02T09:19:00Z'), deadline)).toEqual(at('2026-03-02T09:19:00Z'));
    expect(submissionTime(at('2026-03-02T09:45:00Z'), deadline)).toEqual(deadline);
    expect(submissionTime(at('2026-03-02T09:45:00Z'), null)).toEqual(at('2026-03-02T09:45:00Z'));
  });

  it('accepts answers until the grace period after the deadline ends', () => {
    expect(acceptsSubmittedAnswers(new Date(deadline.getTime() + LATE_GRACE_MS), deadline)).toBe(true);
    expect(acceptsSubmittedAnswers(new Date(deadline.getTime() + LATE_GRACE_MS + 1), deadline)).toBe(false);
    expect(acceptsSubmittedAnswers(at('2030-01-01T00:00:00Z'), null)).toBe(true);
  });

  it('rounds the wait up to whole minutes', () => {
    expect(minutesUntil(at('2026-03-02T10:00:00Z'), at('2026-03-02T09:58:30Z'))).toBe(2);
    expect(minutesUntil(at('2026-03-02T10:00:00Z'), at('2026-03-02T10:00:01Z'))).toBe(0);
  });
});
