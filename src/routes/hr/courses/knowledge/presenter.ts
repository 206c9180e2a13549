import { HEAT_BANDS, type KnowledgeRow } from '../../../../domain/mastery/knowledge.js';
import type { KnowledgePage } from '../../../../services/reporting/knowledge.js';

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);

/** Change in percentage points, in words as well as a sign (never colour or an arrow alone). */
function points(change: number | null): string {
  if (change === null) return '—';
  const p = Math.round(change * 100);
  if (p === 0) return 'no change';
  return p > 0 ? `up ${p} points` : `down ${-p} points`;
}

/** The heatmap shows the largest departments; the table below always has them all. */
export const HEATMAP_MAX_DEPARTMENTS = 12;
const LABEL_W = 230;
const HEADER_H = 40;
const CELL_W = 92;
const CELL_H = 32;
const LEGEND_H = 56;
const LEGEND_STEP = 130;

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The heatmap's geometry, computed here so the template only loops: one rect and one label per
 * cell (the percentage is always printed in the cell), a legend of the bands, and a description
 * that names the weakest cell for screen readers (the table holds every figure).
 */
function heatmap(page: KnowledgePage, clauseLabel: Map<string, string>) {
  const learnersIn = (dept: string) =>
    page.table.rows.reduce((n, r) => n + (r.cells.find((c) => c.department === dept)?.learners ?? 0), 0);
  const shown = [...page.table.departments]
    .sort((a, b) => learnersIn(b) - learnersIn(a) || a.localeCompare(b))
    .slice(0, HEATMAP_MAX_DEPARTMENTS);
  const columns = page.table.departments.filter((d) => shown.includes(d));
  const width = Math.max(LABEL_W + columns.length * CELL_W, 8 + HEAT_BANDS.length * LEGEND_STEP);
  const height = HEADER_H + page.table.rows.length * CELL_H + LEGEND_H;
  const cells = page.table.rows.flatMap((row: KnowledgeRow, i) =>
    columns.map((dept, j) => {
      const cell = row.cells.find((c) => c.department === dept)!;
      const band = cell.band === null ? null : HEAT_BANDS[cell.band]!;
      return {
        x: LABEL_W + j * CELL_W,
        y: HEADER_H + i * CELL_H,
        fill: band?.fill ?? '#ffffff',
        textFill: band?.text ?? '#595959',
        empty: band === null,
        label: percent(cell.mean),
      };
    }),
  );
  let weakest: { clause: string; dept: string; mean: number } | null = null;
  for (const row of page.table.rows)
    for (const c of row.cells)
      if (c.mean !== null && (weakest === null || c.mean < weakest.mean))
        weakest = { clause: clauseLabel.get(row.clauseId) ?? row.clauseId, dept: c.department, mean: c.mean };
  const legendY = HEADER_H + page.table.rows.length * CELL_H + 16;
  return {
    width,
    height,
    cellW: CELL_W,
    cellH: CELL_H,
    hidden: page.table.departments.length - columns.length,
    columns: columns.map((d, j) => ({ x: LABEL_W + j * CELL_W + CELL_W / 2, label: shorten(d, 12) })),
    rowLabels: page.table.rows.map((r, i) => ({
      y: HEADER_H + i * CELL_H + CELL_H / 2,
      label: shorten(clauseLabel.get(r.clauseId) ?? r.clauseId, 30),
    })),
    cells,
    legend: HEAT_BANDS.map((b, i) => ({ x: 8 + i * LEGEND_STEP, y: legendY, fill: b.fill, label: b.label })),
    weakest: weakest ? `${weakest.clause} in ${weakest.dept}, ${percent(weakest.mean)}` : null,
  };
}

/** The knowledge page's view model: figures as text, the heatmap's geometry, changes in words. */
export function presentKnowledge(page: KnowledgePage) {
  const clauseLabel = new Map(page.clauses.map((c) => [c.id, `${c.number}. ${c.title}`]));
  const clause = (id: string) => ({ id, label: clauseLabel.get(id) ?? id });
  return {
    course: page.course,
    quarter: page.quarter,
    asOf: page.asOf
      ? {
          iso: page.asOf.toISOString(),
          text: `${page.asOf.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
        }
      : null,
    departments: page.table.departments,
    rows: page.table.rows.map((r) => ({
      ...clause(r.clauseId),
      cells: r.cells.map((c) => ({ department: c.department, mean: percent(c.mean), learners: c.learners })),
      overall: { mean: percent(r.overall.mean), learners: r.overall.learners },
    })),
    heatmap: heatmap(page, clauseLabel),
    change: {
      quarters: page.change.quarters,
      rows: page.change.rows.map((r) => ({
        ...clause(r.clauseId),
        means: r.means.map(percent),
        change: points(r.change),
      })),
    },
    refresherLists: REFRESHER_LISTS.map((list) => ({
      ...list,
      rows: page[list.key].map((r) => ({ ...clause(r.clauseId), count: r.count, of: r.of })),
    })),
  };
}

const NONE_DECIDED = 'No refresher pre-assessments decided yet.';

/** The three refresher rankings, each with what to say when it is empty. */
const REFRESHER_LISTS = [
  {
    key: 'testedOut',
    id: 'tested-out',
    title: 'Most often tested out of',
    word: 'tested out',
    empty: NONE_DECIDED,
  },
  { key: 'studied', id: 'studied', title: 'Most often studied', word: 'studied', empty: NONE_DECIDED },
  {
    key: 'changed',
    id: 'changed',
    title: 'Most often studied because the clause changed',
    word: 'changed',
    // Decided refreshers may exist with no changed clause: "none decided" would be false here.
    empty: 'No clause was studied because a new policy version changed it.',
  },
] as const;
