import { Schema } from 'mongoose';

/**
 * One bulk action on people from HR's people list (services/people/bulk*.ts): written at the
 * preview with exactly the people it will touch, confirmed with its parameters, then run (in the
 * background for large selections) with its progress kept here for the status page.
 * `_id` random; read only by `_id`.
 */
export interface BulkJobDoc {
  _id: string;
  action: string;
  status: 'preview' | 'running' | 'done' | 'failed';
  createdBy: string;
  createdAt: Date;
  /** The people list's query the selection came from (the way back, and the preview's wording). */
  filterQuery: string;
  /** Whether HR ticked people (`selected`) or took everyone the filters match (`filtered`). */
  scope: 'selected' | 'filtered';
  userIds: string[];
  total: number;
  /**
   * Per course: how many of these people have it assigned, and how many of those are still open
   * (`counted` false: a large selection made without reading assignments; not counted).
   */
  courses: { courseId: string; assigned: number; open: number; counted?: boolean }[];
  params: { courseId: string | null; dueAt: Date | null; reason: string } | null;
  done: number;
  changed: number;
  skipped: number;
  startedAt: Date | null;
  /** When the run last recorded progress: a running job without any for BULK_STALL_MS was cut off (a restart). */
  progressAt?: Date | null;
  finishedAt: Date | null;
  error: string | null;
  /** How many times it was started (confirm, then each restart): run n is claimed once (db/once-claims.ts, `bulk-job:<id>:<n>`). Absent: never started. */
  runs?: number;
}

export const bulkJobSchema = new Schema<BulkJobDoc>(
  {
    _id: { type: String, required: true },
    action: { type: String, required: true },
    status: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    filterQuery: { type: String, default: '' },
    scope: { type: String, required: true },
    userIds: { type: [String], default: [] },
    total: { type: Number, required: true },
    courses: { type: Schema.Types.Mixed, default: [] },
    params: { type: Schema.Types.Mixed, default: null },
    done: { type: Number, default: 0 },
    changed: { type: Number, default: 0 },
    skipped: { type: Number, default: 0 },
    startedAt: { type: Date, default: null },
    progressAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
    error: { type: String, default: null },
    runs: { type: Number, default: 0 },
  },
  { collection: 'bulk_jobs', versionKey: false, minimize: false },
);
