import { Schema } from 'mongoose';
import type { PostVerdict } from '../../domain/course.js';

/**
 * Quiz attempts and their results, each its own collection with natural keys:
 *   attempt        `<cycleId>:<n>`   inserted when attempt n starts (a double start hits the duplicate key)
 *   attempt result `<cycleId>:<n>`   inserted once when graded: the exactly-once record of the grade
 * Question, option and clause ids never contain `.` or `$` (domain/course.ts), so they are safe map keys.
 */

export interface StoredDrawnQuestion {
  questionId: string;
  choiceIds: string[];
}

export interface StoredAnswer {
  choiceIds: string[];
  verdict?: PostVerdict;
}

export type AttemptStatus = 'open' | 'graded';

export interface AttemptDoc {
  _id: string;
  userId: string;
  courseId: string;
  cycleId: string;
  n: number;
  contentVersion: string;
  seed: string;
  /**
   * Random key of the opaque values that name this attempt's choices in the form
   * (services/quiz/choice-tokens.ts). Absent on attempts stored before it existed.
   */
  choiceKey?: string;
  /** Questions served, in order, with the order their choices were shown in. No answer key. */
  draw: StoredDrawnQuestion[];
  /** questionId → answer saved so far. */
  answers: Record<string, StoredAnswer>;
  startedAt: Date;
  deadline: Date | null;
  savedAt: Date | null;
  /** A cache of "a result exists"; the result document is the authority. */
  status: AttemptStatus;
  /**
   * 'pretest': a refresher's test-out pre-assessment (`_id` `<cycleId>:pretest`, not counted against
   * the attempt limit, never passes or fails the cycle). Absent = 'quiz'.
   */
  purpose?: AttemptPurpose;
  /** Clause ids the draw was limited to (a refresher's study clauses, a pretest's clauses). */
  scope?: string[] | null;
  /** When the retention rule (or an erasure) removed `answers`. */
  answersErasedAt?: Date | null;
}

export type AttemptPurpose = 'quiz' | 'pretest';

export const attemptSchema = new Schema<AttemptDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    courseId: { type: String, required: true },
    cycleId: { type: String, required: true },
    n: { type: Number, required: true },
    contentVersion: { type: String, required: true },
    seed: { type: String, required: true },
    choiceKey: { type: String },
    draw: { type: [{ _id: false, questionId: String, choiceIds: [String] }], default: [] },
    answers: { type: Schema.Types.Mixed, default: {} },
    startedAt: { type: Date, required: true },
    deadline: { type: Date, default: null },
    savedAt: { type: Date, default: null },
    status: { type: String, default: 'open' },
    purpose: { type: String, default: 'quiz' },
    scope: { type: [String], default: null },
    answersErasedAt: { type: Date },
  },
  { collection: 'quiz_attempts', versionKey: false, minimize: false },
);

export interface AttemptResultDoc {
  _id: string;
  userId: string;
  courseId: string;
  cycleId: string;
  n: number;
  contentVersion: string;
  /** Percent, one decimal. */
  score: number;
  passed: boolean;
  passingScore: number;
  /** Per question in draw order. */
  questions: Array<{ questionId: string; points: number; correct: boolean }>;
  /** clauseId → points earned and questions asked, for the clause-weakness report. */
  clauses: Record<string, { correct: number; total: number }>;
  /** The answers that were graded. */
  answers: Record<string, StoredAnswer>;
  startedAt: Date;
  /** At most the deadline: late answers count as submitted at the limit. */
  submittedAt: Date;
  /** When the server received the submission (or noticed the expired attempt). */
  receivedAt: Date;
  /** True when the time limit ended the attempt. */
  timedOut: boolean;
  /** Copied from the attempt; absent = 'quiz'. */
  purpose?: AttemptPurpose;
  /** When the retention rule (or an erasure) removed `answers`; the score and per-question points stay. */
  answersErasedAt?: Date | null;
}

export const attemptResultSchema = new Schema<AttemptResultDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    courseId: { type: String, required: true },
    cycleId: { type: String, required: true },
    n: { type: Number, required: true },
    contentVersion: { type: String, required: true },
    score: { type: Number, required: true },
    passed: { type: Boolean, required: true },
    passingScore: { type: Number, required: true },
    questions: { type: [{ _id: false, questionId: String, points: Number, correct: Boolean }], default: [] },
    clauses: { type: Schema.Types.Mixed, default: {} },
    answers: { type: Schema.Types.Mixed, default: {} },
    startedAt: { type: Date, required: true },
    submittedAt: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
    timedOut: { type: Boolean, default: false },
    purpose: { type: String, default: 'quiz' },
    answersErasedAt: { type: Date },
  },
  { collection: 'quiz_attempt_results', versionKey: false, minimize: false },
);
