import { Schema } from 'mongoose';
import { POST_VERDICTS, type PostVerdict } from '../../domain/course.js';

/**
 * What learners tell us while learning (both are growing lists, so each is its own collection):
 *   classificationAnswer  `<userId>:<courseId>:<exampleId>`  insert-once: the learner's FIRST verdict on an
 *                         example post, kept so HR can see which clauses confuse people
 *   policyFeedback        `<userId>:<submissionId>`          a question or suggestion about the policy; the
 *                         submission id comes from the form, so a double submit stores it once
 */

export interface ClassificationAnswerDoc {
  _id: string;
  userId: string;
  courseId: string;
  exampleId: string;
  /** Cycle the learner was in, so answers can be compared before and after a refresher. */
  cycleId: string | null;
  department: string;
  contentVersion: string;
  /** The verdict chosen; removed by the quiz-answer retention rule (services/privacy/retention.ts). */
  answer?: PostVerdict;
  correct: boolean;
  /** The example's clause ids at the time of answering (copied: reports need no content join). */
  clauses: string[];
  at: Date;
}

export const classificationAnswerSchema = new Schema<ClassificationAnswerDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    courseId: { type: String, required: true },
    exampleId: { type: String, required: true },
    cycleId: { type: String, default: null },
    department: { type: String, default: '' },
    contentVersion: { type: String, required: true },
    answer: { type: String, required: true, enum: [...POST_VERDICTS] },
    correct: { type: Boolean, required: true },
    clauses: { type: [String], default: [] },
    at: { type: Date, required: true },
  },
  { collection: 'classification_answers', versionKey: false },
);

export const FEEDBACK_KINDS = ['question', 'suggestion'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];
export type FeedbackStatus = 'open' | 'handled';

export interface PolicyFeedbackDoc {
  _id: string;
  userId: string;
  /** Copied when written so HR's inbox shows who asked without a join. */
  userName: string;
  department: string;
  courseId: string;
  lessonId: string;
  contentVersion: string;
  kind: FeedbackKind;
  message: string;
  status: FeedbackStatus;
  createdAt: Date;
  handledAt: Date | null;
  handledBy: string | null;
}

export const policyFeedbackSchema = new Schema<PolicyFeedbackDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    userName: { type: String, default: '' },
    department: { type: String, default: '' },
    courseId: { type: String, required: true },
    lessonId: { type: String, required: true },
    contentVersion: { type: String, required: true },
    kind: { type: String, required: true, enum: FEEDBACK_KINDS },
    message: { type: String, required: true, maxlength: 2000 },
    status: { type: String, required: true, default: 'open' },
    createdAt: { type: Date, required: true },
    handledAt: { type: Date, default: null },
    handledBy: { type: String, default: null },
  },
  { collection: 'policy_feedback', versionKey: false },
);
