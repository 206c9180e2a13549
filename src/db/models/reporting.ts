import { Schema } from 'mongoose';
import type { TrendCell, TrendWeek } from '../../domain/reporting/trend.js';
import type { ClauseMiss, SummaryCell } from '../../domain/reporting.js';

/**
 * Report summary per course (`_id = <courseId>`), written by each sweep from its own pass over the
 * assignments (and by the dashboard when it is missing or old), so the dashboard reads one
 * document instead of aggregating every assignment. The clause figures come from the nightly job.
 * Counters are arrays of values, never maps: department names may contain `.` or `$`.
 */
export interface ReportSummaryDoc {
  _id: string;
  courseId: string;
  asOf: Date;
  /** Active assignments counted. */
  total: number;
  cells: SummaryCell[];
  clauseMisses: ClauseMiss[];
  /** When the clause figures were rolled up (nightly); null until the first rollup. */
  clausesAsOf: Date | null;
  /** Materialised action lists (see ReportListChunkDoc): rows and chunks per state. */
  lists: Array<{ state: string; rows: number; chunks: number }>;
  /** How long the pass took, shown to HR and read by the benchmark. */
  tookMs: number;
}

const cellSchema = new Schema<SummaryCell>(
  { department: String, state: String, month: String, n: Number },
  { _id: false },
);
const clauseMissSchema = new Schema<ClauseMiss>(
  { clauseId: String, wrong: Number, total: Number },
  { _id: false },
);

export const reportSummarySchema = new Schema<ReportSummaryDoc>(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true },
    asOf: { type: Date, required: true },
    total: { type: Number, required: true },
    cells: { type: [cellSchema], default: [] },
    clauseMisses: { type: [clauseMissSchema], default: [] },
    clausesAsOf: { type: Date, default: null },
    lists: { type: [{ _id: false, state: String, rows: Number, chunks: Number }], default: [] },
    tookMs: { type: Number, default: 0 },
  },
  { collection: 'report_summaries', versionKey: false },
);

/** One row of a materialised action list (overdue or due-soon people), names already joined. */
export interface ReportListRow {
  userId: string;
  name: string;
  email: string;
  department: string;
  managerId: string | null;
  managerName: string;
  dueAt: Date | null;
  cycleNo: number;
}

/**
 * Overdue and due-soon people per course, most overdue first, in chunks of rows
 * (`_id = <courseId>:<state>:<chunkNo>`), written by the same pass as the summary. On FerretDB
 * every lookup scans its collection, even by `_id`, so a dashboard page must not join people at
 * read time: it reads one or two of these chunks from a collection of a few dozen documents.
 */
export interface ReportListChunkDoc {
  _id: string;
  courseId: string;
  state: string;
  chunk: number;
  rows: ReportListRow[];
  /** When the pass that wrote it ran (the nightly renaming only updates the chunk it read). */
  asOf?: Date | null;
}

const listRowSchema = new Schema<ReportListRow>(
  {
    userId: String,
    name: String,
    email: String,
    department: String,
    managerId: { type: String, default: null },
    managerName: String,
    dueAt: { type: Date, default: null },
    cycleNo: Number,
  },
  { _id: false },
);

export const reportListChunkSchema = new Schema<ReportListChunkDoc>(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true },
    state: { type: String, required: true },
    chunk: { type: Number, required: true },
    rows: { type: [listRowSchema], default: [] },
    asOf: { type: Date, default: null },
  },
  { collection: 'report_list_chunks', versionKey: false },
);

/**
 * The weekly completion-rate trend of a course (`_id = <courseId>`): per department and week, who
 * was assigned and who held a valid completion at the week's end (domain/reporting/trend.ts).
 * Counted from the assignments and completed cycles in one pass, at most every 6 hours, so the dashboard
 * reads one document; the department filter picks cells from it.
 */
export interface ReportTrendDoc {
  _id: string;
  courseId: string;
  asOf: Date;
  weeks: TrendWeek[];
  cells: TrendCell[];
  tookMs: number;
}

export const reportTrendSchema = new Schema<ReportTrendDoc>(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true },
    asOf: { type: Date, required: true },
    weeks: { type: [{ _id: false, week: String, asOf: Date }], default: [] },
    cells: {
      type: [{ _id: false, department: String, week: String, assigned: Number, completed: Number }],
      default: [],
    },
    tookMs: { type: Number, default: 0 },
  },
  { collection: 'report_trends', versionKey: false },
);
