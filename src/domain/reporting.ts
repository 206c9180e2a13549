/**
 * Pure reporting rules: which states exist, how summary cells are counted and filtered, which
 * filter a report query asks for, and which clauses learners miss. Nothing here touches the
 * database; every time-dependent function takes `now`. (The chart's geometry is drawn by the
 * dashboard's presenter, CSV rows are built by the reporting service; labels: state-labels.ts.)
 */

import type { Course } from './course.js';
import { Invalid } from './errors.js';
import { CYCLE_STATES, type CycleState } from './recertification.js';

/** Reports count people in exactly the states the refresher rules produce. */
export const REPORT_STATES = CYCLE_STATES;
export type ReportState = CycleState;

export function isReportState(value: string): value is ReportState {
  return (REPORT_STATES as readonly string[]).includes(value);
}

/**
 * A summary stays fresh this long; a dashboard visit after that refreshes it in the background.
 * Longer than the sweep's default 15-minute schedule, which rewrites the summaries: with the
 * scheduler on, a visit never starts a second full pass (30 s of FerretDB time at 100k people).
 */
export const SUMMARY_MAX_AGE_MS = 20 * 60_000;

export function isStale(asOf: Date, now: Date, maxAgeMs = SUMMARY_MAX_AGE_MS): boolean {
  return now.getTime() - asOf.getTime() > maxAgeMs;
}

// ---------------------------------------------------------------------------------------------
// Summary cells: counts per department × state × due month.

/**
 * One counter of the summary document. Department names are free text, so they are values in an
 * array rather than object keys (no `$` or `.` in keys on FerretDB). `month` is the UTC due month
 * (`YYYY-MM`), or '' when the assignment has no due date; it lets the dashboard filter by date
 * without scanning assignments.
 */
export interface SummaryCell {
  department: string;
  state: string;
  month: string;
  n: number;
}

export function monthKey(date: Date | null | undefined): string {
  if (!date) return '';
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

export const MONTH_PATTERN = '^[0-9]{4}-(0[1-9]|1[0-2])$';

/** Counts cells while streaming assignments; memory grows with departments × states × months, not people. */
export class CellCounter {
  private readonly counts = new Map<string, number>();

  add(department: string, state: string, dueAt: Date | null | undefined): void {
    const key = JSON.stringify([department, state, monthKey(dueAt)]);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  cells(): SummaryCell[] {
    const out: SummaryCell[] = [];
    for (const [key, n] of this.counts) {
      const [department, state, month] = JSON.parse(key) as [string, string, string];
      out.push({ department, state, month, n });
    }
    return out.sort((a, b) =>
      a.department === b.department
        ? a.state === b.state
          ? cmp(a.month, b.month)
          : cmp(a.state, b.state)
        : cmp(a.department, b.department),
    );
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One overdue or due-soon person, waiting for names to be joined into an action list. */
export interface PendingRow {
  userId: string;
  /** Copied on the assignment; empty when it predates the copy (then looked up). */
  name: string;
  email: string;
  department: string;
  managerId: string | null;
  state: string;
  dueAt: Date | null;
  cycleNo: number;
}

/** The states that get a materialised action list (people HR should chase). */
export const ACTION_STATES = ['overdue', 'due-soon'] as const;

/** What the summary needs of one active assignment, in the state it has after the sweep. */
export interface TalliedAssignment {
  userId: string;
  courseId: string;
  name?: string;
  email?: string;
  department: string;
  managerId?: string | null;
  state: string;
  dueAt?: Date | null;
  cycleNo: number;
}

/**
 * Everything a report summary counts, fed one active assignment at a time: cells, totals and
 * the pending action-list rows per course. The sweep feeds it from its own pass (with the states
 * it just computed) and the full recompute from a pass of its own, so both count the same way.
 * Assignments of courses it was not built for (unloaded content) are ignored.
 */
export class SummaryTally {
  private readonly courses = new Map<string, { cells: CellCounter; total: number; pending: PendingRow[] }>();

  constructor(courseIds: Iterable<string>) {
    for (const id of courseIds) this.courses.set(id, { cells: new CellCounter(), total: 0, pending: [] });
  }

  add(a: TalliedAssignment): void {
    const course = this.courses.get(a.courseId);
    if (!course) return;
    course.cells.add(a.department, a.state, a.dueAt);
    course.total += 1;
    if ((ACTION_STATES as readonly string[]).includes(a.state)) {
      course.pending.push({
        userId: a.userId,
        name: a.name ?? '',
        email: a.email ?? '',
        department: a.department,
        managerId: a.managerId ?? null,
        state: a.state,
        dueAt: a.dueAt ?? null,
        cycleNo: a.cycleNo,
      });
    }
  }

  courseIds(): string[] {
    return [...this.courses.keys()];
  }

  total(courseId: string): number {
    return this.courses.get(courseId)?.total ?? 0;
  }

  cells(courseId: string): SummaryCell[] {
    return this.courses.get(courseId)?.cells.cells() ?? [];
  }

  /** Pending action-list rows per course (every course present, possibly with no rows). */
  pending(): Map<string, PendingRow[]> {
    return new Map([...this.courses].map(([id, c]) => [id, c.pending]));
  }
}

export interface ReportFilter {
  department?: string;
  state?: ReportState;
  /** Inclusive due-month range, `YYYY-MM`. */
  fromMonth?: string;
  toMonth?: string;
}

/** A report query as the filter form sends it: every field optional, an empty one means "any". */
export interface ReportQuery {
  course?: string;
  department?: string;
  state?: string;
  from?: string;
  to?: string;
}

/**
 * The course and filter a report query asks for; a bad combination is `Invalid`, with a sentence
 * HR can act on. Without a course, `defaultCourse` picks the first one (the dashboard shows one
 * course at a time; the export without one covers every course).
 */
export function parseReportQuery(
  query: ReportQuery,
  courses: ReadonlyMap<string, Course>,
  defaultCourse: boolean,
): { course: Course | undefined; filter: ReportFilter } {
  let course: Course | undefined;
  if (query.course) {
    course = courses.get(query.course);
    if (!course) throw new Invalid('reports.errors.noCourseNamed', { course: query.course });
  } else if (defaultCourse) {
    course = courses.values().next().value;
  }
  const filter: ReportFilter = {};
  if (query.department) filter.department = query.department;
  if (query.state && isReportState(query.state)) filter.state = query.state;
  if (query.from) filter.fromMonth = query.from;
  if (query.to) filter.toMonth = query.to;
  if (filter.fromMonth && filter.toMonth && filter.fromMonth > filter.toMonth) {
    throw new Invalid('reports.errors.monthOrder');
  }
  return { course, filter };
}

/** The people lists a dashboard shows: the one state filtered on, else the action lists. */
export function listedStates(filter: ReportFilter): ReportState[] {
  return filter.state ? [filter.state] : [...ACTION_STATES];
}

function inMonthRange(month: string, filter: ReportFilter): boolean {
  if (!filter.fromMonth && !filter.toMonth) return true;
  // With a date range, assignments without a due date are outside it.
  if (!month) return false;
  if (filter.fromMonth && month < filter.fromMonth) return false;
  if (filter.toMonth && month > filter.toMonth) return false;
  return true;
}

/** The state filter is deliberately not applied here: rates and state counts need every state. */
function cellMatches(cell: SummaryCell, filter: ReportFilter): boolean {
  if (filter.department !== undefined && cell.department !== filter.department) return false;
  return inMonthRange(cell.month, filter);
}

export type StateCounts = Record<ReportState, number> & { total: number; other: number };

export function countByState(cells: readonly SummaryCell[], filter: ReportFilter): StateCounts {
  const counts = Object.fromEntries(REPORT_STATES.map((s) => [s, 0])) as Record<ReportState, number>;
  let total = 0;
  let other = 0;
  for (const cell of cells) {
    if (!cellMatches(cell, filter)) continue;
    total += cell.n;
    if (isReportState(cell.state)) counts[cell.state] += cell.n;
    else other += cell.n;
  }
  return { ...counts, total, other };
}

export interface DepartmentRate {
  department: string;
  total: number;
  completed: number;
  /** 0..1; 0 for a department with nobody assigned. */
  rate: number;
}

/** Completion rate: people whose completion is currently valid (state `completed`) out of all assigned. */
export function completionByDepartment(
  cells: readonly SummaryCell[],
  filter: ReportFilter,
): DepartmentRate[] {
  const byDept = new Map<string, { total: number; completed: number }>();
  for (const cell of cells) {
    if (!cellMatches(cell, filter)) continue;
    const row = byDept.get(cell.department) ?? { total: 0, completed: 0 };
    row.total += cell.n;
    if (cell.state === 'completed') row.completed += cell.n;
    byDept.set(cell.department, row);
  }
  return [...byDept.entries()]
    .map(([department, r]) => ({ department, ...r, rate: r.total ? r.completed / r.total : 0 }))
    .sort((a, b) => cmp(a.department, b.department));
}

export function departmentsOf(cells: readonly SummaryCell[]): string[] {
  return [...new Set(cells.map((c) => c.department))].sort(cmp);
}

/** `YYYY-MM` bounds → the half-open dueAt range [start, end) used to query assignments. */
export function dueRange(filter: ReportFilter): { from?: Date; before?: Date } {
  const out: { from?: Date; before?: Date } = {};
  if (filter.fromMonth) {
    const [y, m] = filter.fromMonth.split('-').map(Number) as [number, number];
    out.from = new Date(Date.UTC(y, m - 1, 1));
  }
  if (filter.toMonth) {
    const [y, m] = filter.toMonth.split('-').map(Number) as [number, number];
    out.before = new Date(Date.UTC(y, m, 1));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Clause misses: which policy clauses learners get wrong most often.

export interface ClauseMiss {
  clauseId: string;
  /** Answers touching this clause that were wrong. */
  wrong: number;
  /** All answers touching this clause. */
  total: number;
}

export class ClauseMissCounter {
  private readonly counts = new Map<string, { wrong: number; total: number }>();

  add(clauseId: string, wrong: number, total: number): void {
    const row = this.counts.get(clauseId) ?? { wrong: 0, total: 0 };
    row.wrong += wrong;
    row.total += total;
    this.counts.set(clauseId, row);
  }

  list(): ClauseMiss[] {
    return [...this.counts.entries()].map(([clauseId, r]) => ({ clauseId, ...r }));
  }
}

/** Most-missed first (by count, then by miss rate, then id for a stable order). */
export function topClauseMisses(misses: readonly ClauseMiss[], limit: number): ClauseMiss[] {
  return misses
    .filter((m) => m.wrong > 0)
    .sort((a, b) => b.wrong - a.wrong || b.wrong / b.total - a.wrong / a.total || cmp(a.clauseId, b.clauseId))
    .slice(0, limit);
}
