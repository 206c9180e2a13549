import type { ReportTrendDoc } from '../../../db/models/reporting.js';
import { trendRates, type WeekRate } from '../../../domain/reporting/trend.js';
import type { Translate } from '../../../domain/state-labels.js';
import { lineChart, pct } from './trend-chart.js';

/** The page's language: messages, days and moments (the request's translator). */
export interface PageWording {
  t: Translate;
  day(date: Date): string;
  dateTime(date: Date): string;
}

/** The sentence a screen reader hears for the chart: where the line starts and ends, and its range. */
function describe(rates: readonly WeekRate[], w: PageWording): string {
  const drawn = rates.filter((r) => r.rate !== null);
  if (drawn.length === 0) return w.t('hr.dashboard.trend.nobody');
  const first = drawn[0]!;
  const last = drawn.at(-1)!;
  const values = drawn.map((r) => r.rate!);
  return w.t('hr.dashboard.trend.desc', {
    fromRate: pct(first.rate!),
    fromWeek: w.day(new Date(first.week)),
    toRate: pct(last.rate!),
    toWeek: w.day(new Date(last.week)),
    lowest: pct(Math.min(...values)),
    highest: pct(Math.max(...values)),
  });
}

/** The dashboard's trend section: the line chart, its text alternative and the table behind it. */
export function trendView(
  trend: ReportTrendDoc | null,
  department: string | undefined,
  courseTitle: string,
  w: PageWording,
) {
  if (!trend) return null;
  const rates = trendRates(trend.cells, trend.weeks, department);
  const scope =
    department === undefined
      ? courseTitle
      : `${courseTitle}, ${department || w.t('hr.dashboard.noDepartment')}`;
  return {
    title: w.t('hr.dashboard.trend.title', { scope }),
    asOf: { iso: trend.asOf.toISOString(), text: w.dateTime(trend.asOf) },
    desc: describe(rates, w),
    chart: lineChart(rates, { t: (key, values) => w.t(key, values) }),
    rows: rates.map((r) => ({
      label: w.t('hr.dashboard.trend.week', { day: w.day(new Date(r.week)) }),
      assigned: r.assigned,
      completed: r.completed,
      rate: r.rate === null ? '—' : pct(r.rate),
    })),
  };
}
