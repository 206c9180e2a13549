import { describe, expect, it } from 'vitest';
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
      errors: [{ field: 'from', message: 'Enter the start date as a real date, for example 2026-01-01' }],
    });
    expect(parseReportPeriod({ from: '2026-02-01', to: '2026-01-01' }, now)).toEqual({
      ok: false,
      errors: [{ field: 'to', message: 'The end date must be on or after the start date' }],
    });
    expect(parseReportPeriod({ from: '2026-02-01', to: '2026-04-01' }, now)).toEqual({
      ok: false,
      errors: [{ field: 'to', message: 'The end date cannot be in the future' }],
    });
  });
});
