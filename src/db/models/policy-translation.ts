import { Schema } from 'mongoose';
import type { ClauseWording } from '../../domain/policy-version.js';

/**
 * policy_clause_translations  `<courseId>:<lang>:<clauseId>`  HR's translation of one clause the
 * published policy versions changed (domain/policy-translation.ts). Versioned write: `rev` 1 is
 * inserted once, each later save updates `{ _id, rev }` to rev + 1, so a stale form never overwrites
 * a newer save. A handful per course and language: the catalogue reads them all with the policy heads.
 */
export interface PolicyClauseTranslationDoc {
  _id: string;
  courseId: string;
  lang: string;
  clauseId: string;
  /** The English wording (published overlay) it was translated from. */
  source: ClauseWording;
  /** The translated text of the fields that wording changed. */
  wording: Partial<ClauseWording>;
  /** The policy version whose English it was made for (for people; matching is by `source`). */
  policyVersion: number;
  rev: number;
  savedBy: string;
  savedAt: Date;
}

export const policyClauseTranslationSchema = new Schema<PolicyClauseTranslationDoc>(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true },
    lang: { type: String, required: true },
    clauseId: { type: String, required: true },
    source: { type: Schema.Types.Mixed, required: true },
    wording: { type: Schema.Types.Mixed, default: {} },
    policyVersion: { type: Number, required: true },
    rev: { type: Number, required: true },
    savedBy: { type: String, required: true },
    savedAt: { type: Date, required: true },
  },
  { collection: 'policy_clause_translations', versionKey: false, minimize: false },
);
