import { Schema } from 'mongoose';
import type { ClauseCard } from '../../domain/mastery/memory.js';

/**
 * Clause mastery (issue #23): what each learner still knows of each clause, as FSRS memory states
 * (domain/mastery/). One summary document per learner and course, `_id` `<userId>:<courseId>`
 * (db/keys.ts), read by `_id` on the learner's hot paths and by course in the sweep and reports.
 * It is a cache: the domain rebuilds it from the graded history (quiz and pre-assessment results,
 * example answers, practice answers) with `now`, so a lost or stale document is repaired by a replay.
 */
export interface ClauseMemoryDoc {
  _id: string;
  userId: string;
  courseId: string;
  /** Copied from the person at each write, for the clause-by-department report. */
  department: string;
  /** clauseId → FSRS card state (dates as Date). */
  clauses: Record<string, StoredClauseCard>;
  /** Ids of the graded events folded in, newest last (bounded: domain/mastery trims it). */
  applied: string[];
  updatedAt: Date;
}

/** A clause's FSRS card as stored: the domain's card, field for field. */
export type StoredClauseCard = ClauseCard;

export const clauseMemorySchema = new Schema<ClauseMemoryDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    courseId: { type: String, required: true },
    department: { type: String, default: '' },
    clauses: { type: Schema.Types.Mixed, default: {} },
    applied: { type: [String], default: [] },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'clause_memory', versionKey: false, minimize: false },
);
clauseMemorySchema.index({ courseId: 1, department: 1 });

/**
 * The clause-by-department mastery table as it stood at the end of a quarter, written by the
 * nightly job (and backfilled by replaying history), so HR sees the change over the last four
 * quarters without replaying everyone's history on each page view. `_id` `<courseId>:<YYYY>-Q<n>`.
 */
export interface MasterySnapshotDoc {
  _id: string;
  courseId: string;
  quarter: string;
  /** The instant the table describes (the quarter's end, or the nightly run for the current one). */
  asOf: Date;
  /** department → clauseId → learners counted and the sum of their recall probability. */
  cells: Record<string, Record<string, { learners: number; recallSum: number }>>;
  /** clauseId → refresher cycles decided in the quarter that tested out of / studied the clause. */
  refreshers: Record<string, { testedOut: number; studied: number }>;
  updatedAt: Date;
}

export const masterySnapshotSchema = new Schema<MasterySnapshotDoc>(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true },
    quarter: { type: String, required: true },
    asOf: { type: Date, required: true },
    cells: { type: Schema.Types.Mixed, default: {} },
    refreshers: { type: Schema.Types.Mixed, default: {} },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'mastery_snapshots', versionKey: false, minimize: false },
);
