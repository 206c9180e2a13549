/**
 * What HR sees of clause mastery (issue #23): the clause-by-department table of mean recall, its
 * change over the last four quarters, and which clauses refresher pre-assessments most often let
 * people skip versus send them to study. Pure: the recall of a card is a function passed in (the
 * memory model's), and every instant is a parameter.
 */

/** A UTC calendar quarter, `YYYY-Qn`. */
export type Quarter = string;

/** Learners counted and the sum of their recall probability, for one department and clause. */
export interface RecallCell {
  learners: number;
  recallSum: number;
}

/** department → clauseId → cell (the shape MasterySnapshot stores). */
export type RecallCells = Record<string, Record<string, RecallCell>>;

/** clauseId → refresher cycles that tested out of / studied it. */
/**
 * Per clause: decided refresher checks that tested out of it, that studied it because it was weak,
 * and that studied it because it changed since the learner last attested (`changed` is absent
 * from snapshots stored before it was counted apart).
 */
export type RefresherCounts = Record<string, { testedOut: number; studied: number; changed?: number }>;

/** The row for people whose record names no department: kept, never dropped. */
export const NO_DEPARTMENT = '(no department)';

const QUARTER = /^(\d{4})-Q([1-4])$/;

export function quarterOf(at: Date): Quarter {
  return `${at.getUTCFullYear()}-Q${Math.floor(at.getUTCMonth() / 3) + 1}`;
}

function parseQuarter(q: Quarter): { year: number; index: number } {
  const m = QUARTER.exec(q);
  if (!m) throw new RangeError(`not a quarter: ${q}`);
  return { year: Number(m[1]), index: Number(m[2]) - 1 };
}

/** The quarter's first instant (UTC). */
export function quarterStart(q: Quarter): Date {
  const { year, index } = parseQuarter(q);
  return new Date(Date.UTC(year, index * 3, 1));
}

/** The quarter's end: the first instant of the next quarter (a snapshot "at the end" counts what came before it). */
export function quarterEnd(q: Quarter): Date {
  const { year, index } = parseQuarter(q);
  return new Date(Date.UTC(year, index * 3 + 3, 1));
}

/** The `n` quarters ending with the one `now` is in, oldest first. */
export function lastQuarters(now: Date, n: number): Quarter[] {
  const { year, index } = parseQuarter(quarterOf(now));
  const out: Quarter[] = [];
  for (let back = n - 1; back >= 0; back -= 1) {
    const total = year * 4 + index - back;
    out.push(`${Math.floor(total / 4)}-Q${(total % 4) + 1}`);
  }
  return out;
}

export function emptySnapshotCells(): RecallCells {
  return {};
}

/**
 * Adds one learner's memory of a course (clauseId → card) to the cells of their department. A
 * recall outside 0..1 (a corrupt card) is left out rather than skewing the mean.
 */
export function addRecall<C>(
  cells: RecallCells,
  department: string,
  clauses: Record<string, C>,
  recall: (card: C) => number,
): void {
  const dept = department.trim() || NO_DEPARTMENT;
  for (const [clauseId, card] of Object.entries(clauses)) {
    const r = recall(card);
    if (!(r >= 0 && r <= 1)) continue;
    const row = cells[dept] ?? {};
    cells[dept] = row;
    const cell = row[clauseId] ?? { learners: 0, recallSum: 0 };
    row[clauseId] = cell;
    cell.learners += 1;
    cell.recallSum += r;
  }
}

/** Adds one decided refresher cycle: each clause counted once, as tested out of or studied. */
export function addRefresher(
  counts: RefresherCounts,
  refresher: {
    pretestAttemptId: string | null;
    testedOut: readonly string[];
    study: readonly string[];
    changed: readonly string[];
  },
): void {
  // A declined check says nothing about what the learner knew: the full path, every clause "studied".
  if (refresher.pretestAttemptId === null) return;
  const changed = new Set(refresher.changed);
  for (const clauseId of new Set(refresher.testedOut)) countFor(counts, clauseId).testedOut += 1;
  for (const clauseId of new Set(refresher.study))
    if (changed.has(clauseId)) countFor(counts, clauseId).changed += 1;
    else countFor(counts, clauseId).studied += 1;
}

function countFor(
  counts: RefresherCounts,
  clauseId: string,
): { testedOut: number; studied: number; changed: number } {
  const c = counts[clauseId] ?? { testedOut: 0, studied: 0, changed: 0 };
  c.changed ??= 0;
  counts[clauseId] = c;
  return c as { testedOut: number; studied: number; changed: number };
}

/**
 * Heat bands of mean recall, lowest first: lower bound, words, fill and the text colour on it.
 * A diverging red–blue scale (readable with the common colour-vision deficiencies); each text
 * colour has a contrast of at least 4.5:1 on its fill (tests/unit/mastery/knowledge.test.ts).
 * Colour never carries the figure alone: every cell also shows its percentage.
 */
export const HEAT_BANDS = [
  { from: 0, label: 'below 40%', fill: '#b2182b', text: '#ffffff' },
  { from: 0.4, label: '40–59%', fill: '#ef8a62', text: '#000000' },
  { from: 0.6, label: '60–74%', fill: '#f7f7f7', text: '#000000' },
  { from: 0.75, label: '75–89%', fill: '#67a9cf', text: '#000000' },
  { from: 0.9, label: '90% and above', fill: '#2166ac', text: '#ffffff' },
] as const;

export function heatBand(mean: number): number {
  let band = 0;
  for (const [i, b] of HEAT_BANDS.entries()) if (mean >= b.from) band = i;
  return band;
}

export interface KnowledgeCell {
  department: string;
  learners: number;
  /** Mean recall 0..1; null when nobody in the department has a memory of the clause. */
  mean: number | null;
  band: number | null;
}

export interface KnowledgeRow {
  clauseId: string;
  cells: KnowledgeCell[];
  overall: { learners: number; mean: number | null };
}

export interface KnowledgeTable {
  departments: string[];
  rows: KnowledgeRow[];
}

const meanOf = (cell: RecallCell | undefined) =>
  cell && cell.learners > 0 ? cell.recallSum / cell.learners : null;

/** The clause × department table (clauses in course order, departments alphabetical). */
export function knowledgeTable(cells: RecallCells, clauseIds: readonly string[]): KnowledgeTable {
  const departments = Object.keys(cells).sort((a, b) => a.localeCompare(b));
  const rows = clauseIds.map((clauseId) => {
    let learners = 0;
    let sum = 0;
    const row = departments.map((department) => {
      const cell = cells[department]?.[clauseId];
      const mean = meanOf(cell);
      learners += cell?.learners ?? 0;
      sum += cell?.recallSum ?? 0;
      return { department, learners: cell?.learners ?? 0, mean, band: mean === null ? null : heatBand(mean) };
    });
    return { clauseId, cells: row, overall: { learners, mean: learners > 0 ? sum / learners : null } };
  });
  return { departments, rows };
}

export interface QuarterChange {
  quarters: Quarter[];
  /** Per clause: the overall mean per quarter (null: no snapshot or nobody), and last known − first known. */
  rows: Array<{ clauseId: string; means: Array<number | null>; change: number | null }>;
}

/** Each clause's overall mean recall per quarter, and its change from the first quarter known to the last. */
export function quarterChange(
  snapshots: Record<Quarter, RecallCells>,
  quarters: readonly Quarter[],
  clauseIds: readonly string[],
): QuarterChange {
  const tables = quarters.map((q) => (snapshots[q] ? knowledgeTable(snapshots[q], clauseIds) : null));
  const rows = clauseIds.map((clauseId, i) => {
    const means = tables.map((t) => t?.rows[i]?.overall.mean ?? null);
    const known = means.filter((m): m is number => m !== null);
    const change = known.length >= 2 ? known.at(-1)! - known[0]! : null;
    return { clauseId, means, change };
  });
  return { quarters: [...quarters], rows };
}

export interface RankedClause {
  clauseId: string;
  count: number;
  /** Decided refreshers that covered the clause either way. */
  of: number;
}

/**
 * Refresher counts summed over quarters, the `top` clauses most often tested out of, most often
 * studied as weak, and most often studied as changed.
 */
export function refresherRanking(
  perQuarter: readonly RefresherCounts[],
  top: number,
): { testedOut: RankedClause[]; studied: RankedClause[]; changed: RankedClause[] } {
  const total: RefresherCounts = {};
  for (const counts of perQuarter)
    for (const [clauseId, c] of Object.entries(counts)) {
      const t = countFor(total, clauseId);
      t.testedOut += c.testedOut;
      t.studied += c.studied;
      t.changed += c.changed ?? 0;
    }
  const ranked = (key: 'testedOut' | 'studied' | 'changed') =>
    Object.entries(total)
      .map(([clauseId, c]) => ({
        clauseId,
        count: c[key] ?? 0,
        of: c.testedOut + c.studied + (c.changed ?? 0),
      }))
      .filter((r) => r.count > 0)
      .sort((a, b) => b.count - a.count || a.clauseId.localeCompare(b.clauseId))
      .slice(0, top);
  return { testedOut: ranked('testedOut'), studied: ranked('studied'), changed: ranked('changed') };
}
