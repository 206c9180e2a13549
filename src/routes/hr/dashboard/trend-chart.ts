import { SOURCE_LANGUAGE } from '../../../domain/i18n/languages.js';
import type { WeekRate } from '../../../domain/reporting/trend.js';
import type { Translate } from '../../../domain/state-labels.js';
import { translator } from '../../../i18n/translator.js';

/** SVG line chart geometry for the completion-rate trend (weeks left to right, 0–100 % bottom to top). */

export interface TrendPoint {
  x: number;
  y: number;
  /** Read by screen readers and shown on hover: "Week of 2026-02-02: 50% (5 of 10)". */
  label: string;
}

export interface LineChartGeometry {
  width: number;
  height: number;
  plot: { left: number; top: number; width: number; height: number };
  /** Weeks with nobody assigned break the line (a new `M`), rather than dropping to 0 %. */
  path: string;
  points: TrendPoint[];
  yTicks: Array<{ y: number; label: string }>;
  /** At the first week of each month; the year on the first tick and on January's. */
  xTicks: Array<{ x: number; label: string }>;
}

const round = (v: number) => Math.round(v * 10) / 10;
export const pct = (r: number) => `${Math.round(r * 100)}%`;

export function lineChart(
  rates: readonly WeekRate[],
  opts: { width?: number; height?: number; t?: Translate } = {},
): LineChartGeometry {
  const width = opts.width ?? 640;
  const height = opts.height ?? 240;
  // The page's language; English (the source) when a caller gives none.
  const t: Translate = opts.t ?? ((key, values) => translator(SOURCE_LANGUAGE).t(key, values));
  const plot = { left: 44, top: 16, width: width - 44 - 16, height: height - 16 - 36 };
  const xAt = (i: number) =>
    round(plot.left + (rates.length > 1 ? (i * plot.width) / (rates.length - 1) : plot.width / 2));
  const yAt = (rate: number) => round(plot.top + (1 - Math.max(0, Math.min(1, rate))) * plot.height);

  const points: TrendPoint[] = [];
  const segments: string[] = [];
  let drawing = false;
  rates.forEach((r, i) => {
    if (r.rate === null) {
      drawing = false;
      return;
    }
    const p = {
      x: xAt(i),
      y: yAt(r.rate),
      label: t('hr.dashboard.trend.point', {
        week: r.week,
        rate: pct(r.rate),
        completed: r.completed,
        assigned: r.assigned,
      }),
    };
    segments.push(`${drawing ? 'L' : 'M'}${p.x} ${p.y}`);
    points.push(p);
    drawing = true;
  });

  const xTicks: LineChartGeometry['xTicks'] = [];
  rates.forEach((r, i) => {
    const month = Number(r.week.slice(5, 7)) - 1;
    if (i === 0 || rates[i - 1]!.week.slice(5, 7) === r.week.slice(5, 7)) return;
    const year = xTicks.length === 0 || month === 0 ? ` ${r.week.slice(0, 4)}` : '';
    xTicks.push({ x: xAt(i), label: `${t('hr.dashboard.trend.month', { month: String(month) })}${year}` });
  });

  return {
    width,
    height,
    plot,
    path: segments.join(' '),
    points,
    yTicks: [0, 0.25, 0.5, 0.75, 1].map((f) => ({ y: yAt(f), label: pct(f) })),
    xTicks,
  };
}
