import type { Models } from '../db/models/index.js';
import type { ReportListChunkDoc, ReportListRow, ReportSummaryDoc } from '../db/models/reporting.js';
import { dueRange, monthKey, PAGE_SIZE, pageOf, type ReportFilter } from '../domain/reporting.js';

/** Rows per stored chunk: a multiple of the page size, so an unfiltered page reads exactly one chunk. */
export const CHUNK_ROWS = PAGE_SIZE * 20;
const IN_LIMIT = 200;
export const ACTION_STATES = ['overdue', 'due-soon'] as const;

export interface PendingRow {
  userId: string;
  department: string;
  managerId: string | null;
  state: string;
  dueAt: Date | null;
  cycleNo: number;
}

export interface ListPage {
  items: ReportListRow[];
  page: number;
  hasNext: boolean;
  /** Rows matching the filter, when known without extra cost. */
  total: number | null;
}

/**
 * Names and e-mails for a set of people in ONE pass over the users collection. Every lookup scans
 * on FerretDB (even by `_id`), so one scan for the whole set beats a lookup per person; the scan
 * stops as soon as everyone was found.
 */
export async function peopleByIds(
  models: Models,
  ids: Iterable<string>,
): Promise<Map<string, { name: string; email: string; employeeId?: string }>> {
  const wanted = new Set(ids);
  const found = new Map<string, { name: string; email: string; employeeId?: string }>();
  if (wanted.size === 0) return found;
  // FerretDB matches `$in` by comparing each document with every listed id, so a long list
  // costs more than reading everyone and picking in a Set.
  const filter = wanted.size <= IN_LIMIT ? { _id: { $in: [...wanted] } } : {};
  const cursor = models.User.find(filter, { name: 1, email: 1, employeeId: 1 })
    .lean()
    .cursor({ batchSize: 1000 });
  for await (const u of cursor) {
    if (!wanted.has(u._id)) continue;
    found.set(u._id, { name: u.name, email: u.email, employeeId: u.employeeId });
    if (found.size === wanted.size) break;
  }
  return found;
}

function byMostOverdue(a: ReportListRow, b: ReportListRow): number {
  const da = a.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const db = b.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
  return da - db || a.name.localeCompare(b.name) || (a.userId < b.userId ? -1 : 1);
}

/** Joins names once, sorts, and stores each course's overdue and due-soon lists as chunk documents. */
export async function buildActionLists(
  models: Models,
  pending: Map<string, PendingRow[]>,
): Promise<Map<string, ReportSummaryDoc['lists']>> {
  const ids = new Set<string>();
  for (const rows of pending.values()) {
    for (const r of rows) {
      ids.add(r.userId);
      if (r.managerId) ids.add(r.managerId);
    }
  }
  const people = await peopleByIds(models, ids);
  const out = new Map<string, ReportSummaryDoc['lists']>();
  for (const [courseId, rows] of pending) {
    const lists: ReportSummaryDoc['lists'] = [];
    for (const state of ACTION_STATES) {
      const listRows: ReportListRow[] = rows
        .filter((r) => r.state === state)
        .map((r) => ({
          userId: r.userId,
          name: people.get(r.userId)?.name ?? '(unknown person)',
          email: people.get(r.userId)?.email ?? '',
          department: r.department,
          managerId: r.managerId,
          managerName: r.managerId ? (people.get(r.managerId)?.name ?? '') : '',
          dueAt: r.dueAt,
          cycleNo: r.cycleNo,
        }))
        .sort(byMostOverdue);
      const chunks = Math.ceil(listRows.length / CHUNK_ROWS);
      for (let k = 0; k < chunks; k += 1) {
        const doc: ReportListChunkDoc = {
          _id: `${courseId}:${state}:${k}`,
          courseId,
          state,
          chunk: k,
          rows: listRows.slice(k * CHUNK_ROWS, (k + 1) * CHUNK_ROWS),
        };
        await models.ReportListChunk.replaceOne({ _id: doc._id }, doc, { upsert: true });
      }
      await models.ReportListChunk.deleteMany({ courseId, state, chunk: { $gte: chunks } });
      lists.push({ state, rows: listRows.length, chunks });
    }
    out.set(courseId, lists);
  }
  return out;
}

function rowMatches(row: ReportListRow, filter: ReportFilter): boolean {
  if (filter.department !== undefined && row.department !== filter.department) return false;
  if (filter.fromMonth || filter.toMonth) {
    const m = monthKey(row.dueAt);
    if (!m || (filter.fromMonth && m < filter.fromMonth) || (filter.toMonth && m > filter.toMonth))
      return false;
  }
  return true;
}

/** A page of a materialised action list: one chunk read unfiltered, all of the state's chunks when filtered. */
export async function readActionList(
  models: Models,
  summary: ReportSummaryDoc,
  state: (typeof ACTION_STATES)[number],
  filter: ReportFilter,
  page: number,
  size = PAGE_SIZE,
): Promise<ListPage> {
  const info = summary.lists.find((l) => l.state === state);
  if (!info || info.rows === 0) return { items: [], page, hasNext: false, total: 0 };
  const start = (page - 1) * size;
  const filtered = filter.department !== undefined || filter.fromMonth || filter.toMonth;
  if (!filtered) {
    const k = Math.floor(start / CHUNK_ROWS);
    const chunk = await models.ReportListChunk.findById(
      `${summary.courseId}:${state}:${k}`,
    ).lean<ReportListChunkDoc>();
    const offset = start - k * CHUNK_ROWS;
    const items = chunk?.rows.slice(offset, offset + size) ?? [];
    return { items, page, hasNext: start + size < info.rows, total: info.rows };
  }
  const chunks = await models.ReportListChunk.find({ courseId: summary.courseId, state })
    .lean<ReportListChunkDoc[]>()
    .exec();
  const rows = chunks
    .sort((a, b) => a.chunk - b.chunk)
    .flatMap((c) => c.rows)
    .filter((r) => rowMatches(r, filter));
  return {
    items: rows.slice(start, start + size),
    page,
    hasNext: start + size < rows.length,
    total: rows.length,
  };
}

/** Assignment query for a course and filter (states other than the action lists are read live). */
export function assignmentQuery(courseId: string | undefined, filter: ReportFilter): Record<string, unknown> {
  const q: Record<string, unknown> = { active: true };
  if (courseId) q.courseId = courseId;
  if (filter.state) q.state = filter.state;
  if (filter.department !== undefined) q.department = filter.department;
  const { from, before } = dueRange(filter);
  if (from || before) q.dueAt = { ...(from ? { $gte: from } : {}), ...(before ? { $lt: before } : {}) };
  return q;
}

/**
 * A live page of people in any state: the assignment scan stops once a page (+1) matched, so early
 * pages are cheap; page n costs a scan of the first n pages' matches (skip), plus one people scan.
 */
export async function liveStateList(
  models: Models,
  courseId: string,
  filter: ReportFilter,
  page: number,
  size = PAGE_SIZE,
): Promise<ListPage> {
  const found = await models.Assignment.find(assignmentQuery(courseId, filter), {
    userId: 1,
    department: 1,
    managerId: 1,
    dueAt: 1,
    cycleNo: 1,
  })
    .skip((page - 1) * size)
    .limit(size + 1)
    .lean()
    .exec();
  const people = await peopleByIds(
    models,
    found.flatMap((a) => (a.managerId ? [a.userId, a.managerId] : [a.userId])),
  );
  const rows: ReportListRow[] = found.map((a) => ({
    userId: a.userId,
    name: people.get(a.userId)?.name ?? '(unknown person)',
    email: people.get(a.userId)?.email ?? '',
    department: a.department,
    managerId: a.managerId ?? null,
    managerName: a.managerId ? (people.get(a.managerId)?.name ?? '') : '',
    dueAt: a.dueAt ?? null,
    cycleNo: a.cycleNo,
  }));
  return { ...pageOf(rows, page, size), total: null };
}
