import type { ReportTrendDoc } from '../../../db/models/reporting.js';
import { formatDateTime, formatDay } from '../../../domain/display-dates.js';
import { trendRates, type WeekRate } from '../../../domain/reporting/trend.js';
import { lineChart, pct } from './trend-chart.js';

const weekLabel = (r: WeekRate) => `week of ${formatDay(r.week)}`;

/** The sentence a screen reader hears for the chart: where the line starts and ends, and its range. */
function describe(rates: readonly WeekRate[]): string {
  const drawn = rates.filter((r) => r.rate !== null);
  if (drawn.length === 0) return 'Nobody was assigned in these 52 weeks.';
  const first = drawn[0]!;
  const last = drawn.at(-1)!;
  const values = drawn.map((r) => r.rate!);
  return (
    'Share of assigned people holding a valid completion at the end of each week, ' +
    `from ${pct(first.rate!)} in the ${weekLabel(first)} to ${pct(last.rate!)} in the ${weekLabel(last)}; ` +
    `lowest ${pct(Math.min(...values))}, highest ${pct(Math.max(...values))}.`
  );
}

/** The dashboard's trend section: the line chart, its text alternative and the table behind it. */
export function trendView(trend: ReportTrendDoc | null, department: string | undefined, courseTitle: string) {
  if (!trend) return null;
  const rates = trendRates(trend.cells, trend.weeks, department);
  const scope = department === undefined ? courseTitle : `${courseTitle}, ${department || '(no department)'}`;
  return {
    title: `Weekly completion rate, ${scope}`,
    asOf: { iso: trend.asOf.toISOString(), text: formatDateTime(trend.asOf) },
    desc: describe(rates),
    chart: lineChart(rates),
    rows: rates.map((r) => ({
      label: `Week of ${formatDay(r.week)}`,
      assigned: r.assigned,
      completed: r.completed,
      rate: r.rate === null ? '—' : pct(r.rate),
    })),
  };
}
