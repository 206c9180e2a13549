import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * One line of the results table. Speed figures carry the baseline measured in the same run and
 * the ratio to it, because the shared machines are too noisy for absolute numbers alone.
 */
export interface Row {
  measure: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: { label: string; value: number };
  ratio?: number;
  /** Human-readable target, e.g. "≥ 0.5" or "< 100 ms". */
  target?: string;
  met?: boolean;
  note?: string;
}

export interface MeasureResult {
  id: string;
  title: string;
  rows: Row[];
  /** Free-form details kept in the JSON file (raw autocannon summaries, per-step timings). */
  details?: Record<string, unknown>;
}

/** Checks a value against `< limit` / `> limit` style targets and fills `target` and `met`. */
export function below(row: Row, limit: number, label = `< ${limit} ${row.unit}`): Row {
  return { ...row, target: label, met: Number.isFinite(row.value) && row.value < limit };
}

export function atLeast(row: Row, limit: number, label = `≥ ${limit}`, on: 'value' | 'ratio' = 'value'): Row {
  const v = on === 'ratio' ? (row.ratio ?? Number.NaN) : row.value;
  return { ...row, target: label, met: Number.isFinite(v) && v >= limit };
}

function fmt(n: number | undefined): string {
  if (n === undefined) return '';
  if (!Number.isFinite(n)) return 'n/a';
  if (Math.abs(n) >= 100) return String(Math.round(n));
  return String(Math.round(n * 100) / 100);
}

/** The results as a fixed-width text table (what `npm run bench` prints). */
export function formatTable(results: MeasureResult[]): string {
  const header = ['measure', 'metric', 'value', 'unit', 'baseline', 'ratio', 'target', 'met'];
  const lines: string[][] = [header];
  // Notes go on their own line under their row, so the columns stay narrow.
  const notes = new Map<number, string>();
  for (const r of results) {
    for (const row of r.rows) {
      if (row.note) notes.set(lines.length, row.note);
      lines.push([
        row.measure,
        row.metric,
        fmt(row.value),
        row.unit,
        row.baseline ? `${fmt(row.baseline.value)} (${row.baseline.label})` : '',
        fmt(row.ratio),
        row.target ?? '',
        row.met === undefined ? '' : row.met ? 'yes' : 'NO',
      ]);
    }
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  const render = (l: string[]) =>
    l
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const body = lines.slice(1).flatMap((l, i) => {
    const note = notes.get(i + 1);
    return note ? [render(l), `    ↳ ${note}`] : [render(l)];
  });
  return [render(lines[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...body].join('\n');
}

/** Writes the run to `bench-results/<timestamp>.json` (git-ignored) and returns the path. */
export async function writeResults(dir: string, payload: Record<string, unknown>): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(payload, null, 2)}\n`);
  return file;
}
