import { Schema } from 'mongoose';
import type { ChangeKind, ClauseChange, ClauseWording } from '../../domain/policy-version.js';

/**
 * Policy versions published in the app (domain/policy-version.ts):
 *   policy_version  `<courseId>:<n>`  insert-once: a published version (n ≥ 2; 1 is the course files)
 *   policy_head     `<courseId>`      the current published version with its cumulative overlay: what
 *                                     every process resolves the course with (one small read for all courses)
 *   policy_draft    `<courseId>`      the one open draft per course: HR's edits awaiting an admin's approval
 */

export interface PolicyVersionDoc {
  _id: string;
  courseId: string;
  n: number;
  /** Cumulative clause wordings that differ from the course files. */
  overlay: Record<string, ClauseWording>;
  /** What changed from version n − 1, clause by clause, with what each change asks of employees. */
  changes: ClauseChange[];
  note: string;
  /** sha256 over the course files' version, the profile's placeholder values and the overlay. */
  contentHash: string;
  /** The course files' version this overlay was written against. */
  baseVersion: string;
  editedBy: string[];
  approvedBy: string;
  publishedAt: Date;
  /** The renewal campaign the publish asked for (re-attest or retrain), if any. */
  campaignId: string | null;
  /**
   * What the publish still has to do once the version is inserted, kept on it so that a publish cut
   * short can be completed (services/policy/publish.ts repairPublished): the renewal's due date and
   * the draft revision published (that draft is deleted, a later one kept). Absent on older versions.
   */
  renewalDueAt?: Date | null;
  draftRevision?: number;
}

export const policyVersionSchema = new Schema<PolicyVersionDoc>(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true },
    n: { type: Number, required: true },
    overlay: { type: Schema.Types.Mixed, default: {} },
    changes: { type: Schema.Types.Mixed, default: [] },
    note: { type: String, default: '' },
    contentHash: { type: String, required: true },
    baseVersion: { type: String, required: true },
    editedBy: { type: [String], default: [] },
    approvedBy: { type: String, required: true },
    publishedAt: { type: Date, required: true },
    campaignId: { type: String, default: null },
    renewalDueAt: { type: Date, default: null },
    draftRevision: { type: Number },
  },
  { collection: 'policy_versions', versionKey: false, minimize: false },
);

export interface PolicyHeadDoc {
  _id: string;
  n: number;
  overlay: Record<string, ClauseWording>;
  publishedAt: Date;
  note: string;
}

export const policyHeadSchema = new Schema<PolicyHeadDoc>(
  {
    _id: { type: String, required: true },
    n: { type: Number, required: true },
    overlay: { type: Schema.Types.Mixed, default: {} },
    publishedAt: { type: Date, required: true },
    note: { type: String, default: '' },
  },
  { collection: 'policy_heads', versionKey: false, minimize: false },
);

export interface DraftEdit {
  wording: ClauseWording;
  kind: ChangeKind;
}

export interface PolicyDraftDoc {
  _id: string;
  courseId: string;
  /** The published version the draft edits. */
  basedOn: number;
  edits: Record<string, DraftEdit>;
  note: string;
  /** Everyone who edited the draft: none of them may approve it. */
  editors: string[];
  submittedAt: Date | null;
  submittedBy: string | null;
  updatedAt: Date;
  /** New at every change (edit, revert, submit; random: services/policy/draft.ts newRevision): an approval names the revision the admin reviewed. */
  revision: number;
}

export const policyDraftSchema = new Schema<PolicyDraftDoc>(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true },
    basedOn: { type: Number, required: true },
    edits: { type: Schema.Types.Mixed, default: {} },
    note: { type: String, default: '' },
    editors: { type: [String], default: [] },
    submittedAt: { type: Date, default: null },
    submittedBy: { type: String, default: null },
    updatedAt: { type: Date, required: true },
    revision: { type: Number, default: 0 },
  },
  { collection: 'policy_drafts', versionKey: false, minimize: false },
);
