import type { DepartmentRate } from '../../../domain/reporting.js';

/** SVG bar chart geometry for the dashboard (horizontal bars: department names can be long). */

export interface BarGeometry {
  label: string;
  valueLabel: string;
  y: number;
  barWidth: number;
  textY: number;
}

export interface ChartGeometry {
  width: number;
  height: number;
  labelWidth: number;
  plotWidth: number;
  barHeight: number;
  bars: BarGeometry[];
  /** Grid lines at 0, 25, 50, 75 and 100 %. */
  ticks: Array<{ x: number; label: string }>;
}

export function barChart(
  rows: readonly DepartmentRate[],
  opts: { width?: number; labelWidth?: number } = {},
): ChartGeometry {
  const width = opts.width ?? 640;
  const labelWidth = opts.labelWidth ?? 180;
  const valueWidth = 56;
  const plotWidth = width - labelWidth - valueWidth;
  const barHeight = 22;
  const gap = 10;
  const top = 24;
  const bars = rows.map((row, i) => {
    const y = top + i * (barHeight + gap);
    return {
      label: truncate(row.department || '(no department)', 26),
      valueLabel: `${Math.round(row.rate * 100)}%`,
      y,
      barWidth: Math.round(Math.max(0, Math.min(1, row.rate)) * plotWidth * 10) / 10,
      textY: y + barHeight / 2 + 5,
    };
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => ({
    x: labelWidth + Math.round(f * plotWidth),
    label: `${f * 100}%`,
  }));
  return {
    width,
    height: top + rows.length * (barHeight + gap) + 4,
    labelWidth,
    plotWidth,
    barHeight,
    bars,
    ticks,
  };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
