import { describe, expect, it } from 'vitest';
import {
  addUtcMonths,
  DEFAULT_RETENTION,
  erasureDuty,
  leaverExpired,
  leavingDay,
  leftAtChange,
  recordsKeptUntil,
  retentionCutoffs,
  sessionStartedAt,
  withRetentionDefaults,
} from '../../../src/domain/retention.js';
import { translator } from '../../../src/i18n/translator.js';

const d = (iso: string) => new Date(iso);

describe('retention rules at a pinned date', () => {
  it('default to 6 years after leaving, 24 months of answers, 30 days of sessions, 90 days of outbox', () => {
    expect(DEFAULT_RETENTION).toEqual({
      recordsYearsAfterLeaving: 6,
      quizAnswerMonths: 24,
      sessionDays: 30,
      outboxDays: 90,
    });
  });

  it('compute each cutoff from now', () => {
    const c = retentionCutoffs(DEFAULT_RETENTION, d('2026-03-02T09:00:00Z'));
    expect(c.leftBefore.toISOString()).toBe('2020-03-02T09:00:00.000Z');
    expect(c.answersBefore.toISOString()).toBe('2024-03-02T09:00:00.000Z');
    expect(c.sessionsBefore.toISOString()).toBe('2026-01-31T09:00:00.000Z');
    expect(c.outboxBefore.toISOString()).toBe('2025-12-02T09:00:00.000Z');
  });

  it('add calendar months in UTC, clamped to the month end', () => {
    expect(addUtcMonths(d('2026-01-31T12:00:00Z'), 1).toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(addUtcMonths(d('2024-02-29T00:00:00Z'), 12).toISOString()).toBe('2025-02-28T00:00:00.000Z');
    expect(addUtcMonths(d('2026-03-31T00:00:00Z'), -1).toISOString()).toBe('2026-02-28T00:00:00.000Z');
  });

  it('keep a leaver until the same day six years on, and no longer', () => {
    const left = d('2020-03-02T09:00:00Z');
    expect(recordsKeptUntil(left, DEFAULT_RETENTION).toISOString()).toBe('2026-03-02T09:00:00.000Z');
    expect(leaverExpired(left, DEFAULT_RETENTION, d('2026-03-02T08:59:59Z'))).toBe(false);
    expect(leaverExpired(left, DEFAULT_RETENTION, d('2026-03-02T09:00:00Z'))).toBe(true);
    expect(leaverExpired(null, DEFAULT_RETENTION, d('2099-01-01T00:00:00Z'))).toBe(false);
  });

  it('count a session from when it started (it expires maxAge after)', () => {
    const cutoff = d('2026-01-31T09:00:00Z');
    const hour = 3_600_000;
    expect(sessionStartedAt(d('2026-01-31T16:00:00Z'), 8 * hour) < cutoff).toBe(true);
    expect(sessionStartedAt(d('2026-01-31T18:00:00Z'), 8 * hour) < cutoff).toBe(false);
  });
});

describe('leftAt follows the active flag', () => {
  const now = d('2026-03-02T09:00:00Z');
  it('is set on deactivation, cleared on reactivation, untouched otherwise', () => {
    expect(leftAtChange(true, false, now)).toEqual({ leftAt: now });
    expect(leftAtChange(false, true, now)).toEqual({ leftAt: null });
    expect(leftAtChange(true, true, now)).toEqual({});
    expect(leftAtChange(false, false, now)).toEqual({});
  });
});

describe('erasureDuty', () => {
  const now = d('2026-03-02T09:00:00Z');
  it('lets anyone without training records be erased', () => {
    expect(
      erasureDuty({ active: true, leftAt: null, hasTrainingRecords: false }, DEFAULT_RETENTION, now),
    ).toEqual({
      kind: 'none',
    });
  });

  it('keeps an active person with records, without an end date', () => {
    const duty = erasureDuty(
      { active: true, leftAt: null, hasTrainingRecords: true },
      DEFAULT_RETENTION,
      now,
    );
    expect(duty).toMatchObject({ kind: 'keep', rule: 'records-after-leaving', years: 6, until: null });
    expect(duty.kind === 'keep' && translator('en').t(duty.reason, duty.values)).toMatch(
      /6 years after a person leaves.*has not left/,
    );
  });

  it('keeps a recent leaver until six years after they left, and names the day', () => {
    const duty = erasureDuty(
      { active: false, leftAt: d('2024-05-10T10:00:00Z'), hasTrainingRecords: true },
      DEFAULT_RETENTION,
      now,
    );
    expect(duty).toMatchObject({ kind: 'keep', until: d('2030-05-10T10:00:00Z') });
    expect(duty.kind === 'keep' && translator('en').t(duty.reason, duty.values)).toContain(
      'until 2030-05-10',
    );
  });

  it('lets a leaver be erased once the period has run out', () => {
    const subject = { active: false, leftAt: d('2020-03-01T00:00:00Z'), hasTrainingRecords: true };
    expect(erasureDuty(subject, DEFAULT_RETENTION, now)).toEqual({ kind: 'none' });
    expect(erasureDuty(subject, { ...DEFAULT_RETENTION, recordsYearsAfterLeaving: 10 }, now).kind).toBe(
      'keep',
    );
  });
});

describe('withRetentionDefaults', () => {
  it('fills what is missing and drops values out of bounds', () => {
    expect(withRetentionDefaults(null)).toEqual(DEFAULT_RETENTION);
    expect(withRetentionDefaults({ sessionDays: 7, outboxDays: 1, quizAnswerMonths: 2.5 })).toEqual({
      ...DEFAULT_RETENTION,
      sessionDays: 7,
    });
  });
});

describe('the leaving day and the session start, one rule each', () => {
  it('a leaver without leftAt left when last changed (the backfill and the erasure duty agree)', () => {
    const updatedAt = d('2024-01-10T12:00:00Z');
    expect(leavingDay({ active: false, leftAt: null, updatedAt })).toEqual(updatedAt);
    expect(leavingDay({ active: false, leftAt: d('2025-01-01T00:00:00Z'), updatedAt })).toEqual(
      d('2025-01-01T00:00:00Z'),
    );
    expect(leavingDay({ active: true, leftAt: null, updatedAt })).toBeNull();
  });

  it('a session started its max age before it expires; one day when the cookie does not say', () => {
    const expiresAt = d('2026-03-02T09:00:00Z');
    expect(sessionStartedAt(expiresAt, 3_600_000)).toEqual(d('2026-03-02T08:00:00Z'));
    expect(sessionStartedAt(expiresAt, undefined)).toEqual(d('2026-03-01T09:00:00Z'));
    expect(sessionStartedAt(expiresAt, 'x')).toEqual(d('2026-03-01T09:00:00Z'));
  });
});
