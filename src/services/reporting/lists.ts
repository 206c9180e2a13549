import { upsertRacing } from '../../db/connection.js';
import { reportListChunkKey } from '../../db/keys.js';
import type { Models } from '../../db/models/index.js';
import type { ReportListChunkDoc, ReportListRow, ReportSummaryDoc } from '../../db/models/reporting.js';
import { usersByIds } from '../../db/repositories/users.js';
import { hasPersonCopy, listedPerson } from '../../domain/person-copy.js';
import {
  ACTION_STATES,
  dueRange,
  monthKey,
  type PendingRow,
  type ReportFilter,
} from '../../domain/reporting.js';
import { PAGE_SIZE, pageOf } from './paging.js';

export { ACTION_STATES, type PendingRow, type ReportListRow };

/** Rows per stored chunk: a multiple of the page size, so an unfiltered page reads exactly one chunk. */
export const CHUNK_ROWS = PAGE_SIZE * 20;

export interface ListPage {
  items: ReportListRow[];
  page: number;
  hasNext: boolean;
  /** Rows matching the filter, when known without extra cost. */
  total: number | null;
}

/** A person's name and e-mail as the lists show them; `email` is unknown for someone only seen as a manager. */
export interface ListName {
  name: string;
  email?: string;
}

/** Names and e-mails for a set of people, each read once by `_id` (never a scan of everyone). */
export async function peopleByIds(
  models: Models,
  ids: Iterable<string>,
): Promise<Map<string, { name: string; email: string; employeeId?: string }>> {
  return usersByIds(models, ids, ['name', 'email', 'employeeId'] as const);
}

/** The stored action lists, as the stored summaries describe them. */
export interface StoredLists {
  /** Every stored chunk, by `_id`. */
  chunks: Map<string, ReportListChunkDoc>;
  /** How many chunks each list has, by `<courseId>:<state>`. */
  chunkCounts: Map<string, number>;
}

/** Every stored chunk of these summaries' lists, each read by its `_id`. */
export async function readStoredLists(
  models: Models,
  summaries: Iterable<Pick<ReportSummaryDoc, 'courseId' | 'lists'>>,
): Promise<StoredLists> {
  const ids: string[] = [];
  const chunkCounts = new Map<string, number>();
  for (const s of summaries) {
    for (const l of s.lists) {
      chunkCounts.set(`${s.courseId}:${l.state}`, l.chunks);
      for (let k = 0; k < l.chunks; k += 1) ids.push(reportListChunkKey(s.courseId, l.state, k));
    }
  }
  const found = await Promise.all(
    ids.map((id) => models.ReportListChunk.findById(id).lean<ReportListChunkDoc>()),
  );
  const chunks = new Map<string, ReportListChunkDoc>();
  for (const c of found) if (c) chunks.set(c._id, c);
  return { chunks, chunkCounts };
}

/**
 * The names already shown in the stored lists: a sweep every 15 minutes then looks up only the
 * people who newly entered a list. Names change rarely; the nightly job rewrites the stored rows
 * with current names, and a full recompute looks everyone up again.
 */
export function namesIn(stored: StoredLists): Map<string, ListName> {
  const names = new Map<string, ListName>();
  for (const chunk of stored.chunks.values()) {
    for (const r of chunk.rows) {
      names.set(r.userId, { name: r.name, email: r.email });
      if (r.managerId && !names.has(r.managerId)) names.set(r.managerId, { name: r.managerName });
    }
  }
  return names;
}

function byMostOverdue(a: ReportListRow, b: ReportListRow): number {
  const da = a.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const db = b.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
  return da - db || a.name.localeCompare(b.name) || (a.userId < b.userId ? -1 : 1);
}

/**
 * The people the lists need that neither their rows nor `known` can name: managers, and learners
 * whose assignment predates the copied name and e-mail (learners need an e-mail too).
 */
export function unnamedPeople(
  pending: ReadonlyMap<string, PendingRow[]>,
  known: ReadonlyMap<string, ListName>,
): Set<string> {
  const missing = new Set<string>();
  for (const rows of pending.values()) {
    for (const r of rows) {
      if (!hasPersonCopy(r) && known.get(r.userId)?.email === undefined) missing.add(r.userId);
      if (r.managerId && !known.has(r.managerId)) missing.add(r.managerId);
    }
  }
  return missing;
}

/** Looks up the people a list needs that `known` cannot name. */
async function namesFor(
  models: Models,
  pending: Map<string, PendingRow[]>,
  known: ReadonlyMap<string, ListName>,
): Promise<{ names: Map<string, ListName>; lookedUp: number }> {
  const missing = unnamedPeople(pending, known);
  const names = new Map(known);
  for (const [id, p] of await usersByIds(models, missing, ['name', 'email'] as const)) names.set(id, p);
  return { names, lookedUp: missing.size };
}

/**
 * Joins names, sorts, and stores each course's overdue and due-soon lists as chunk documents.
 * `known` names people without a lookup (the sweep passes the names it already has); `lookedUp`
 * counts the others.
 */
export async function buildActionLists(
  models: Models,
  pending: Map<string, PendingRow[]>,
  asOf: Date,
  known: ReadonlyMap<string, ListName> = new Map(),
  stored?: StoredLists,
): Promise<{ lists: Map<string, ReportSummaryDoc['lists']>; lookedUp: number }> {
  const { names: people, lookedUp } = await namesFor(models, pending, known);
  const out = new Map<string, ReportSummaryDoc['lists']>();
  for (const [courseId, rows] of pending) {
    const lists: ReportSummaryDoc['lists'] = [];
    for (const state of ACTION_STATES) {
      const listRows: ReportListRow[] = rows
        .filter((r) => r.state === state)
        .map((r) => ({
          userId: r.userId,
          ...listedPerson(r, people.get(r.userId)),
          department: r.department,
          managerId: r.managerId,
          managerName: r.managerId ? (people.get(r.managerId)?.name ?? '') : '',
          dueAt: r.dueAt,
          cycleNo: r.cycleNo,
        }))
        .sort(byMostOverdue);
      lists.push({ state, ...(await writeChunks(models, { courseId, state, asOf }, listRows, stored)) });
    }
    out.set(courseId, lists);
  }
  return { lists: out, lookedUp };
}

const sameDay = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

function sameRows(a: readonly ReportListRow[], b: readonly ReportListRow[]): boolean {
  return (
    a.length === b.length &&
    a.every((r, i) => {
      const o = b[i]!;
      return (
        r.userId === o.userId &&
        r.name === o.name &&
        r.email === o.email &&
        r.department === o.department &&
        (r.managerId ?? null) === (o.managerId ?? null) &&
        r.managerName === o.managerName &&
        sameDay(r.dueAt, o.dueAt) &&
        r.cycleNo === o.cycleNo
      );
    })
  );
}

/**
 * Stores one sorted list as chunks of CHUNK_ROWS rows and drops the chunks it no longer fills.
 * With the stored lists at hand, chunks that did not change are not written again and the
 * leftovers are deleted by `_id` (a filter would make FerretDB decode every chunk).
 */
async function writeChunks(
  models: Models,
  list: { courseId: string; state: string; asOf: Date },
  rows: ReportListRow[],
  stored?: StoredLists,
): Promise<{ rows: number; chunks: number }> {
  const { courseId, state, asOf } = list;
  const chunks = Math.ceil(rows.length / CHUNK_ROWS);
  for (let k = 0; k < chunks; k += 1) {
    const doc: ReportListChunkDoc = {
      _id: reportListChunkKey(courseId, state, k),
      courseId,
      state,
      chunk: k,
      rows: rows.slice(k * CHUNK_ROWS, (k + 1) * CHUNK_ROWS),
      asOf,
    };
    const before = stored?.chunks.get(doc._id);
    if (before && sameRows(before.rows, doc.rows)) continue;
    // Two sweeps at once may both create a chunk.
    await upsertRacing(() => models.ReportListChunk.replaceOne({ _id: doc._id }, doc, { upsert: true }));
  }
  const storedCount = stored?.chunkCounts.get(`${courseId}:${state}`);
  if (storedCount === undefined) {
    await models.ReportListChunk.deleteMany({ courseId, state, chunk: { $gte: chunks } });
  } else {
    for (let k = chunks; k < storedCount; k += 1)
      await models.ReportListChunk.deleteOne({ _id: reportListChunkKey(courseId, state, k) });
  }
  return { rows: rows.length, chunks };
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

export type ActionState = (typeof ACTION_STATES)[number];

export function isActionState(state: string): state is ActionState {
  return (ACTION_STATES as readonly string[]).includes(state);
}

/** A page of the people in one state: the materialised list for overdue and due soon, else a live read. */
export function stateListPage(
  models: Models,
  summary: ReportSummaryDoc,
  state: string,
  filter: ReportFilter,
  page: number,
): Promise<ListPage> {
  return isActionState(state)
    ? readActionList(models, summary, state, filter, page)
    : liveStateList(models, summary.courseId, filter, page);
}

/** A page of a materialised action list: one chunk read unfiltered, all of the state's chunks when filtered. */
export async function readActionList(
  models: Models,
  summary: ReportSummaryDoc,
  state: ActionState,
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
      reportListChunkKey(summary.courseId, state, k),
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
    name: 1,
    email: 1,
    department: 1,
    managerId: 1,
    dueAt: 1,
    cycleNo: 1,
  })
    .skip((page - 1) * size)
    .limit(size + 1)
    .lean()
    .exec();
  // Only managers, and learners whose assignment predates the copied name, are looked up.
  const people = await peopleByIds(
    models,
    found.flatMap((a) => [...(hasPersonCopy(a) ? [] : [a.userId]), ...(a.managerId ? [a.managerId] : [])]),
  );
  const rows: ReportListRow[] = found.map((a) => ({
    userId: a.userId,
    ...listedPerson(a, people.get(a.userId)),
    department: a.department,
    managerId: a.managerId ?? null,
    managerName: a.managerId ? (people.get(a.managerId)?.name ?? '') : '',
    dueAt: a.dueAt ?? null,
    cycleNo: a.cycleNo,
  }));
  return { ...pageOf(rows, page, size), total: null };
}
