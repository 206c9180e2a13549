import { Schema } from 'mongoose';

/**
 * Graded answers that feed clause memory (issue #23) and are kept nowhere else, and the short
 * spaced-practice sessions between cycles:
 *   clause_answers      `<userId>:<courseId>:<source>:<scope>:<itemId>`  insert-once: one answer per
 *                       item and scope (an example in a cycle, an item in a practice session)
 *   practice_sessions   `<userId>:<courseId>:<day>`  the clauses and items a practice drew, once a day
 * A learner's memory is rebuilt from these plus the quiz results (services/learning/mastery.ts).
 */
export interface ClauseAnswerDoc {
  _id: string;
  userId: string;
  courseId: string;
  source: 'example' | 'practice';
  /** The cycle of an example answer, the session of a practice answer. */
  scope: string;
  itemId: string;
  clauses: string[];
  correct: boolean;
  at: Date;
}

export const clauseAnswerSchema = new Schema<ClauseAnswerDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    courseId: { type: String, required: true },
    source: { type: String, required: true },
    scope: { type: String, required: true },
    itemId: { type: String, required: true },
    clauses: { type: [String], default: [] },
    correct: { type: Boolean, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'clause_answers', versionKey: false },
);

export interface PracticeItem {
  kind: 'example' | 'question';
  id: string;
  /** The clause the item was drawn for. */
  clauseId: string;
}

export interface PracticeSessionDoc {
  _id: string;
  userId: string;
  courseId: string;
  day: string;
  contentVersion: string;
  clauses: string[];
  items: PracticeItem[];
  createdAt: Date;
}

export const practiceSessionSchema = new Schema<PracticeSessionDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    courseId: { type: String, required: true },
    day: { type: String, required: true },
    contentVersion: { type: String, required: true },
    clauses: { type: [String], default: [] },
    items: { type: [{ _id: false, kind: String, id: String, clauseId: String }], default: [] },
    createdAt: { type: Date, required: true },
  },
  { collection: 'practice_sessions', versionKey: false },
);
