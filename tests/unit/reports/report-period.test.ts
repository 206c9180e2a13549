import { describe, expect, it } from 'vitest';
import { dueDateOn, type Extension, overdueOn } from '../../../src/domain/reporting/compliance.js';
import { lastQuarter, parseReportPeriod } from '../../../src/domain/reporting/period.js';

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('lastQuarter', () => {
  it('is the calendar quarter before the one now is in', () => {
    expect(lastQuarter(new Date('2026-03-04T09:00:00Z'))).toEqual({
      from: d('2025-10-01'),
      to: d('2025-12-31'),
    });
    expect(lastQuarter(d('2026-04-01'))).toEqual({ from: d('2026-01-01'), to: d('2026-03-31') });
    expect(lastQuarter(new Date('2026-12-31T23:59:00Z'))).toEqual({
      from: d('2026-07-01'),
      to: d('2026-09-30'),
    });
  });
});

describe('parseReportPeriod', () => {
  const now = new Date('2026-03-04T09:00:00Z');
  it('defaults empty dates to last quarter', () => {
    expect(parseReportPeriod({}, now)).toEqual({
      ok: true,
      period: { from: d('2025-10-01'), to: d('2025-12-31') },
    });
  });

  it('reads both days, inclusive', () => {
    expect(parseReportPeriod({ from: '2026-01-01', to: '2026-02-28' }, now)).toEqual({
      ok: true,
      period: { from: d('2026-01-01'), to: d('2026-02-28') },
    });
  });

  it('links each wrong date to its field', () => {
    expect(parseReportPeriod({ from: '2026-02-30', to: '2026-01-01' }, now)).toEqual({
      ok: false,
      errors: [{ field: 'from', message: 'reports.errors.fromDate' }],
    });
    expect(parseReportPeriod({ from: '2026-02-01', to: '2026-01-01' }, now)).toEqual({
      ok: false,
      errors: [{ field: 'to', message: 'reports.errors.order' }],
    });
    expect(parseReportPeriod({ from: '2026-02-01', to: '2026-04-01' }, now)).toEqual({
      ok: false,
      errors: [{ field: 'to', message: 'reports.errors.future' }],
    });
  });
});

describe('dueDateOn and overdueOn', () => {
  const ext = (at: string, from: string, to: string, cycleNo = 1): Extension => ({
    at: new Date(at),
    cycleNo,
    from: d(from),
    to: d(to),
  });
  const extensions = [
    ext('2026-03-10T10:00:00Z', '2026-02-15', '2026-03-20'),
    ext('2026-04-02T10:00:00Z', '2026-03-20', '2026-05-01'),
    ext('2026-03-01T10:00:00Z', '2026-01-01', '2026-09-09', 2),
  ];

  it('gives the due date in force on a past day, before later extensions moved it', () => {
    expect(dueDateOn(d('2026-05-01'), 1, extensions, d('2026-04-01'))).toEqual(d('2026-03-20'));
    expect(dueDateOn(d('2026-05-01'), 1, extensions, d('2026-03-01'))).toEqual(d('2026-02-15'));
    expect(dueDateOn(d('2026-05-01'), 1, extensions, d('2026-04-10'))).toEqual(d('2026-05-01'));
  });

  it('is overdue from the day after the due day until completed', () => {
    const open = { openedAt: d('2026-01-05'), completedAt: null };
    expect(overdueOn(open, d('2026-03-20'), d('2026-03-21'))).toBe(true);
    expect(overdueOn(open, d('2026-03-20'), new Date('2026-03-20T23:59:00Z'))).toBe(false);
    expect(overdueOn({ ...open, completedAt: d('2026-03-25') }, d('2026-03-20'), d('2026-04-01'))).toBe(
      false,
    );
    expect(overdueOn({ ...open, completedAt: d('2026-04-05') }, d('2026-03-20'), d('2026-04-01'))).toBe(true);
    expect(overdueOn({ ...open, openedAt: d('2026-04-02') }, d('2026-03-20'), d('2026-04-01'))).toBe(false);
    expect(overdueOn(open, null, d('2026-04-01'))).toBe(false);
  });
});
