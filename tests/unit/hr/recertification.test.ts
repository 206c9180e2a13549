import { describe, expect, it } from 'vitest';
import { RECERTIFICATION_DEFAULTS } from '../../../src/domain/course.js';
import { addMonthsClamped, parseDay } from '../../../src/domain/dates.js';
import {
  type CycleFacts,
  cycleState,
  expiryFor,
  type RecertificationPolicy,
} from '../../../src/domain/recertification.js';

const d = (iso: string) => new Date(iso);
const rolling: RecertificationPolicy = {
  ...RECERTIFICATION_DEFAULTS,
  validityMonths: 12,
  windowDays: 30,
  graceDays: 14,
};
const fromPrevious: RecertificationPolicy = { ...rolling, expiryBasis: 'previousExpiry' };
const january: RecertificationPolicy = { ...rolling, cycle: { kind: 'calendar', month: 1, day: 1 } };

function cycle(n: number, facts: Partial<CycleFacts> = {}): CycleFacts {
  return { n, dueAt: null, startedAt: null, completedAt: null, expiresAt: null, ...facts };
}

describe('date helpers', () => {
  it('clamps month ends and leap days', () => {
    expect(addMonthsClamped(d('2026-01-31'), 1).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(addMonthsClamped(d('2028-01-31'), 1).toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(addMonthsClamped(d('2028-02-29'), 12).toISOString()).toBe('2029-02-28T00:00:00.000Z');
    expect(addMonthsClamped(d('2026-11-30'), 3).toISOString()).toBe('2027-02-28T00:00:00.000Z');
  });

  it('parses only real calendar days', () => {
    expect(parseDay('2028-02-29')?.toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(parseDay('2026-02-29')).toBeNull();
    expect(parseDay('2026-13-01')).toBeNull();
    expect(parseDay('1/2/2026')).toBeNull();
  });
});

describe('expiryFor', () => {
  it('rolling from completion: the completion day plus the validity, time of day ignored', () => {
    expect(expiryFor(rolling, d('2026-03-02T23:59:00Z'), null).toISOString()).toBe(
      '2027-03-02T00:00:00.000Z',
    );
    expect(expiryFor({ ...rolling, validityMonths: 1 }, d('2026-01-31T08:00Z'), null).toISOString()).toBe(
      '2026-02-28T00:00:00.000Z',
    );
    expect(expiryFor(rolling, d('2028-02-29T12:00Z'), null).toISOString()).toBe('2029-02-28T00:00:00.000Z');
  });

  it('uses UTC, so a completion late in the evening west of Greenwich counts on the UTC day', () => {
    // 23:30 on 31 Jan in New York is already 1 Feb in UTC.
    expect(expiryFor(rolling, d('2026-01-31T23:30:00-05:00'), null).toISOString()).toBe(
      '2027-02-01T00:00:00.000Z',
    );
  });

  it('rolling from the previous expiry: finishing early does not shorten the cycle', () => {
    const previous = d('2027-03-02T00:00Z');
    expect(expiryFor(fromPrevious, d('2027-02-10T10:00Z'), previous).toISOString()).toBe(
      '2028-03-02T00:00:00.000Z',
    );
    // With the completion basis, the early days are lost.
    expect(expiryFor(rolling, d('2027-02-10T10:00Z'), previous).toISOString()).toBe(
      '2028-02-10T00:00:00.000Z',
    );
  });

  it('rolling from the previous expiry: a late refresher counts from its completion', () => {
    expect(expiryFor(fromPrevious, d('2027-03-20T10:00Z'), d('2027-03-02')).toISOString()).toBe(
      '2028-03-20T00:00:00.000Z',
    );
  });

  it('calendar: the next 1 January after the completion', () => {
    expect(expiryFor(january, d('2026-03-05T10:00Z'), null).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    // The day before the window of 1 Jan 2027 opens (2 Dec): still renews only until 1 Jan 2027.
    expect(expiryFor(january, d('2026-12-01T10:00Z'), null).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    // Inside the window: renews the coming year.
    expect(expiryFor(january, d('2026-12-02T00:00Z'), null).toISOString()).toBe('2028-01-01T00:00:00.000Z');
  });

  it('calendar on 29 February falls on 28 February in common years', () => {
    const leap: RecertificationPolicy = {
      ...rolling,
      windowDays: 0,
      cycle: { kind: 'calendar', month: 2, day: 29 },
    };
    expect(expiryFor(leap, d('2026-05-01'), null).toISOString()).toBe('2027-02-28T00:00:00.000Z');
    expect(expiryFor(leap, d('2027-05-01'), null).toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it('calendar with previous-expiry basis never lands on the expiry it renews', () => {
    const p: RecertificationPolicy = { ...january, expiryBasis: 'previousExpiry' };
    expect(expiryFor(p, d('2026-11-15'), d('2027-01-01')).toISOString()).toBe('2028-01-01T00:00:00.000Z');
  });
});

describe('cycleState', () => {
  const due = d('2026-04-30T00:00Z');

  it('first cycle: not started, in progress, due soon, overdue, expired', () => {
    const open = cycle(1, { dueAt: due });
    expect(cycleState(rolling, [open], d('2026-03-01T12:00Z')).state).toBe('not-started');
    expect(cycleState(rolling, [{ ...open, startedAt: d('2026-03-01') }], d('2026-03-01T12:00Z')).state).toBe(
      'in-progress',
    );
    // The window (30 days) opens on 1 April, the exact day, and not a millisecond earlier.
    expect(cycleState(rolling, [open], d('2026-03-31T23:59:59.999Z')).state).toBe('not-started');
    expect(cycleState(rolling, [open], d('2026-04-01T00:00Z')).state).toBe('due-soon');
    // The due day itself is on time.
    expect(cycleState(rolling, [open], d('2026-04-30T23:59Z')).state).toBe('due-soon');
    const overdue = cycleState(rolling, [open], d('2026-05-01T00:00Z'));
    expect(overdue.state).toBe('overdue');
    expect(overdue.overdueSince?.toISOString()).toBe('2026-05-01T00:00:00.000Z');
    expect(cycleState(rolling, [open], d('2026-05-14T23:59Z')).state).toBe('overdue');
    expect(cycleState(rolling, [open], d('2026-05-15T00:00Z')).state).toBe('expired');
  });

  it('no due date (self-enrolled): never overdue', () => {
    expect(cycleState(rolling, [cycle(1)], d('2030-01-01')).state).toBe('not-started');
  });

  it('completed stays valid until the window opens, then the next cycle is due on the last valid day', () => {
    const done = cycle(1, { dueAt: due, completedAt: d('2026-04-10T15:00Z'), expiresAt: d('2027-04-10') });
    const valid = cycleState(rolling, [done], d('2027-03-10T23:59Z'));
    expect(valid).toMatchObject({ state: 'completed', opensNextCycle: false });
    expect(valid.windowOpensAt?.toISOString()).toBe('2027-03-11T00:00:00.000Z');
    const window = cycleState(rolling, [done], d('2027-03-11T00:00Z'));
    expect(window.state).toBe('due-soon');
    expect(window.opensNextCycle).toBe(true);
    expect(window.dueAt?.toISOString()).toBe('2027-04-09T00:00:00.000Z');
    expect(window.validUntil?.toISOString()).toBe('2027-04-10T00:00:00.000Z');
    // Nobody opened the next cycle (no sweep ran): the lapse still shows.
    expect(cycleState(rolling, [done], d('2027-04-10T00:00Z')).state).toBe('overdue');
    expect(cycleState(rolling, [done], d('2027-04-24T00:00Z')).state).toBe('expired');
  });

  it('a refresher cycle is judged on its own deadline and keeps the previous validity visible', () => {
    const first = cycle(1, { completedAt: d('2026-04-10'), expiresAt: d('2027-04-10') });
    const second = cycle(2, { dueAt: d('2027-04-09') });
    const s = cycleState(rolling, [second, first], d('2027-03-20'));
    expect(s).toMatchObject({ state: 'due-soon', cycleNo: 2 });
    expect(s.validUntil?.toISOString()).toBe('2027-04-10T00:00:00.000Z');
    expect(cycleState(rolling, [first, second], d('2027-04-10')).state).toBe('overdue');
    const renewed = {
      ...second,
      completedAt: d('2027-03-25'),
      expiresAt: expiryFor(fromPrevious, d('2027-03-25'), d('2027-04-10')),
    };
    const after = cycleState(fromPrevious, [first, renewed], d('2027-04-20'));
    expect(after).toMatchObject({ state: 'completed', cycleNo: 2 });
    expect(after.validUntil?.toISOString()).toBe('2028-04-10T00:00:00.000Z');
  });

  it('completing before the window opens leaves the next window where the rule puts it', () => {
    const early = cycle(1, { dueAt: due, completedAt: d('2026-03-02T09:00Z'), expiresAt: d('2027-03-02') });
    expect(cycleState(rolling, [early], d('2026-04-30')).state).toBe('completed');
    expect(cycleState(rolling, [early], d('2027-01-31T00:00Z')).state).toBe('due-soon');
    expect(cycleState(rolling, [early], d('2027-01-30T23:59Z')).state).toBe('completed');
  });

  it('a new policy version opens a cycle with its own deadline while the certificate is still valid', () => {
    const first = cycle(1, { completedAt: d('2026-04-10'), expiresAt: d('2027-04-10') });
    const reattest = cycle(2, { dueAt: d('2026-09-30') });
    expect(cycleState(rolling, [first, reattest], d('2026-08-01')).state).toBe('not-started');
    expect(cycleState(rolling, [first, reattest], d('2026-09-15')).state).toBe('due-soon');
    expect(cycleState(rolling, [first, reattest], d('2026-10-01')).state).toBe('overdue');
  });

  it('a completion that never expires stays completed', () => {
    const forever = cycle(1, { completedAt: d('2026-04-10'), expiresAt: null });
    expect(cycleState(rolling, [forever], d('2040-01-01')).state).toBe('completed');
  });

  it('an empty history is not started', () => {
    expect(cycleState(rolling, [], d('2026-01-01'))).toMatchObject({ state: 'not-started', cycleNo: 0 });
  });
});
