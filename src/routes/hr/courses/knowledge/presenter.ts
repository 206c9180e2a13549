import { HEAT_BANDS, type KnowledgeRow } from '../../../../domain/mastery/knowledge.js';
import type { Translator } from '../../../../i18n/translator.js';
import type { KnowledgePage } from '../../../../services/reporting/knowledge.js';

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);

/** Change in percentage points, in words as well as a sign (never colour or an arrow alone). */
function points(change: number | null, t: Translator['t']): string {
  if (change === null) return '—';
  const p = Math.round(change * 100);
  if (p === 0) return t('courses.knowledge.noChange');
  return p > 0 ? t('courses.knowledge.up', { points: p }) : t('courses.knowledge.down', { points: -p });
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
function heatmap(page: KnowledgePage, clauseLabel: Map<string, string>, t: Translator['t']) {
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
    legend: HEAT_BANDS.map((b, i) => ({
      x: 8 + i * LEGEND_STEP,
      y: legendY,
      fill: b.fill,
      label: t(`courses.knowledge.band${i}`),
    })),
    weakest: weakest
      ? t('courses.knowledge.heatmapWeakest', {
          clause: weakest.clause,
          department: weakest.dept,
          mean: percent(weakest.mean),
        })
      : null,
  };
}

/** The knowledge page's view model: figures as text, the heatmap's geometry, changes in words. */
export function presentKnowledge(page: KnowledgePage, i18n: Translator) {
  const t = i18n.t.bind(i18n);
  const clauseLabel = new Map(page.clauses.map((c) => [c.id, `${c.number}. ${c.title}`]));
  const clause = (id: string) => ({ id, label: clauseLabel.get(id) ?? id });
  return {
    course: page.course,
    quarter: page.quarter,
    asOf: page.asOf
      ? {
          iso: page.asOf.toISOString(),
          text: i18n.dateTime(page.asOf),
        }
      : null,
    departments: page.table.departments,
    rows: page.table.rows.map((r) => ({
      ...clause(r.clauseId),
      cells: r.cells.map((c) => ({ department: c.department, mean: percent(c.mean), learners: c.learners })),
      overall: { mean: percent(r.overall.mean), learners: r.overall.learners },
    })),
    heatmap: heatmap(page, clauseLabel, t),
    change: {
      quarters: page.change.quarters,
      rows: page.change.rows.map((r) => ({
        ...clause(r.clauseId),
        means: r.means.map(percent),
        change: points(r.change, t),
      })),
    },
    refresherLists: REFRESHER_LISTS.map((list) => ({
      id: list.id,
      title: t(list.title),
      column: t(list.column),
      empty: t(list.empty),
      rows: page[list.key].map((r) => ({ ...clause(r.clauseId), count: r.count, of: r.of })),
    })),
  };
}

const NONE_DECIDED = 'courses.knowledge.noneDecided';

/** The three refresher rankings (message keys), each with what to say when it is empty. */
const REFRESHER_LISTS = [
  {
    key: 'testedOut',
    id: 'tested-out',
    title: 'courses.knowledge.testedOutTitle',
    column: 'courses.knowledge.testedOutColumn',
    empty: NONE_DECIDED,
  },
  {
    key: 'studied',
    id: 'studied',
    title: 'courses.knowledge.studiedTitle',
    column: 'courses.knowledge.studiedColumn',
    empty: NONE_DECIDED,
  },
  {
    key: 'changed',
    id: 'changed',
    title: 'courses.knowledge.changedTitle',
    column: 'courses.knowledge.changedColumn',
    // Decided refreshers may exist with no changed clause: "none decided" would be false here.
    empty: 'courses.knowledge.noneChanged',
  },
] as const;
