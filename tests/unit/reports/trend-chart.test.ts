import { describe, expect, it } from 'vitest';
import type { WeekRate } from '../../../src/domain/reporting/trend.js';
import { lineChart } from '../../../src/routes/hr/dashboard/trend-chart.js';

const week = (w: string, rate: number | null): WeekRate => ({
  week: w,
  asOf: new Date(`${w}T00:00:00Z`),
  assigned: rate === null ? 0 : 10,
  completed: rate === null ? 0 : Math.round(rate * 10),
  rate,
});

describe('lineChart', () => {
  const rates = [week('2026-01-26', 0), week('2026-02-02', 0.5), week('2026-02-09', 1)];
  const chart = lineChart(rates, { width: 400, height: 200 });

  it('spreads the weeks across the plot and puts 0 % at the bottom and 100 % at the top', () => {
    const { left, top, width, height } = chart.plot;
    expect(chart.points.map((p) => p.x)).toEqual([left, left + width / 2, left + width]);
    expect(chart.points.map((p) => p.y)).toEqual([top + height, top + height / 2, top]);
    expect(chart.path).toBe(chart.points.map((p, i) => `${i ? 'L' : 'M'}${p.x} ${p.y}`).join(' '));
  });

  it('labels the y axis every 25 % and the x axis at the first week of each month', () => {
    expect(chart.yTicks.map((t) => t.label)).toEqual(['0%', '25%', '50%', '75%', '100%']);
    expect(chart.xTicks.map((t) => t.label)).toEqual(['Feb 2026']);
    expect(chart.xTicks[0]!.x).toBe(chart.points[1]!.x);
  });

  it('breaks the line over weeks with nobody assigned instead of drawing them as 0 %', () => {
    const gap = lineChart([week('2026-01-26', 0.5), week('2026-02-02', null), week('2026-02-09', 1)], {
      width: 400,
      height: 200,
    });
    expect(gap.points).toHaveLength(2);
    expect(gap.path.match(/M/g)).toHaveLength(2);
    expect(gap.path).not.toContain('L');
  });

  it('draws nothing for an empty series', () => {
    expect(lineChart([], {}).path).toBe('');
  });
});
