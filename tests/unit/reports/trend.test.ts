import { describe, expect, it } from 'vitest';
import { countTrend, type TrendPerson, trendRates, trendWeeks } from '../../../src/domain/reporting/trend.js';

// Wednesday 4 March 2026, 09:00 UTC: the current week started on Monday 2 March.
const NOW = new Date('2026-03-04T09:00:00Z');
const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('trendWeeks', () => {
  it('gives 52 Monday-to-Monday UTC weeks ending with the current one, the last counted as of now', () => {
    const weeks = trendWeeks(NOW);
    expect(weeks).toHaveLength(52);
    expect(weeks.at(-1)).toEqual({ week: '2026-03-02', asOf: NOW });
    expect(weeks.at(-2)).toEqual({ week: '2026-02-23', asOf: d('2026-03-02') });
    expect(weeks[0]!.week).toBe('2025-03-10');
  });

  it('starts weeks on Monday even when now is a Sunday night or a Monday at midnight', () => {
    expect(trendWeeks(new Date('2026-03-08T23:59:00Z'), 1)[0]!.week).toBe('2026-03-02');
    expect(trendWeeks(d('2026-03-09'), 1)[0]).toEqual({ week: '2026-03-09', asOf: d('2026-03-09') });
  });
});

describe('countTrend and trendRates', () => {
  const sales = (over: Partial<TrendPerson>): TrendPerson => ({
    department: 'Sales',
    assignedAt: d('2026-02-02'),
    completions: [],
    ...over,
  });
  const people: TrendPerson[] = [
    // Completed on 10 Feb, valid for a year: completed from the week of 9 Feb's end on.
    sales({ completions: [{ completedAt: new Date('2026-02-10T12:00:00Z'), expiresAt: d('2027-02-10') }] }),
    // Completed long ago and expired on 20 Feb: no longer completed at the end of that week.
    sales({
      assignedAt: d('2025-01-06'),
      completions: [{ completedAt: d('2025-01-20'), expiresAt: d('2026-02-20') }],
    }),
    // Never completed.
    sales({}),
    // Assigned only this week, in another department.
    { department: 'Engineering', assignedAt: d('2026-03-03'), completions: [] },
  ];
  const weeks = trendWeeks(NOW, 6);
  const cells = countTrend(people, weeks);

  it('counts per department and week who was assigned and whose completion was valid at the week end', () => {
    const rates = trendRates(cells, weeks, 'Sales');
    expect(rates.map((r) => [r.week, r.assigned, r.completed])).toEqual([
      ['2026-01-26', 1, 1],
      ['2026-02-02', 3, 1],
      ['2026-02-09', 3, 2],
      ['2026-02-16', 3, 1],
      ['2026-02-23', 3, 1],
      ['2026-03-02', 3, 1],
    ]);
    expect(rates[2]!.rate).toBeCloseTo(2 / 3);
  });

  it('adds departments together without a filter, and gives no rate for a week with nobody assigned', () => {
    const all = trendRates(cells, weeks);
    expect(all.at(-1)).toMatchObject({ assigned: 4, completed: 1, rate: 0.25 });
    const eng = trendRates(cells, weeks, 'Engineering');
    expect(eng[0]).toMatchObject({ assigned: 0, completed: 0, rate: null });
    expect(eng.at(-1)).toMatchObject({ assigned: 1, completed: 0, rate: 0 });
  });

  it('counts a leaver in the weeks that ended before they left, not after', () => {
    const leaver = sales({ leftAt: new Date('2026-02-18T10:00:00Z') });
    const rates = trendRates(countTrend([leaver], weeks), weeks);
    expect(rates.map((r) => [r.week, r.assigned])).toEqual([
      ['2026-01-26', 0],
      ['2026-02-02', 1],
      ['2026-02-09', 1],
      ['2026-02-16', 0],
      ['2026-02-23', 0],
      ['2026-03-02', 0],
    ]);
  });

  it('counts a renewal that overlaps the previous completion once', () => {
    const renewed = sales({
      assignedAt: d('2025-01-06'),
      completions: [
        { completedAt: d('2025-01-20'), expiresAt: d('2026-02-20') },
        { completedAt: d('2026-02-11'), expiresAt: d('2027-02-11') },
      ],
    });
    const rates = trendRates(countTrend([renewed], weeks), weeks);
    expect(rates.map((r) => r.completed)).toEqual([1, 1, 1, 1, 1, 1]);
  });
});
