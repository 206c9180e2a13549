import { Schema } from 'mongoose';
import type { CorrelationSums, ItemFlag } from '../../domain/quiz/item-stats.js';

/**
 * How one quiz question performs (`_id = <courseId>:<questionId>`), a summary document the nightly
 * job rewrites from one pass over the graded attempts (domain/quiz/item-stats.ts says what each
 * figure means). HR's item statistics page reads one per question of the loaded course by `_id`.
 * Counts are arrays of `{id, n}`, never maps.
 */
export interface ItemStatsDoc {
  _id: string;
  courseId: string;
  questionId: string;
  /** When the nightly job counted these figures. */
  computedAt: Date;
  drawn: number;
  blank: number;
  /** Attempts with full points on the question. */
  correct: number;
  shareCorrect: number | null;
  meanPoints: number | null;
  /** Point-biserial r of the item with the rest of the score; null when undefined. */
  discrimination: number | null;
  /** The running sums behind the discrimination, kept so the figure can be checked. */
  sums: CorrelationSums;
  /** Times each option, reason or segment was chosen, in the author's order. */
  picks: Array<{ id: string; n: number }>;
  /** Classify questions: times each verdict was chosen. */
  verdicts: Array<{ id: string; n: number }>;
  flags: ItemFlag[];
  /** Wrong choices (or verdicts) nobody picked, when flagged. */
  unpicked: string[];
}

const countSchema = new Schema({ id: String, n: Number }, { _id: false });

export const itemStatsSchema = new Schema<ItemStatsDoc>(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true },
    questionId: { type: String, required: true },
    computedAt: { type: Date, required: true },
    drawn: { type: Number, required: true },
    blank: { type: Number, default: 0 },
    correct: { type: Number, default: 0 },
    shareCorrect: { type: Number, default: null },
    meanPoints: { type: Number, default: null },
    discrimination: { type: Number, default: null },
    sums: { type: Schema.Types.Mixed, default: {} },
    picks: { type: [countSchema], default: [] },
    verdicts: { type: [countSchema], default: [] },
    flags: { type: [String], default: [] },
    unpicked: { type: [String], default: [] },
  },
  { collection: 'item_stats', versionKey: false, minimize: false },
);
