import { Schema } from 'mongoose';
import type { Language } from '../../domain/i18n/languages.js';

/**
 * Proof records. Each is written once by an insert whose `_id` is the natural key, so a
 * replayed form or two concurrent completions can never produce a second record.
 *   attestation          `<cycleId>`   the signed statement, bound to the content version
 *   certificate_by_cycle `<cycleId>`   the completion facts and the code: the exactly-once guard
 *   certificate          `<code>`      what the public verify page and the PDF read
 *   certificate_revocation `<code>`    HR's revocation: the exactly-once guard (one audit event, one reopened cycle)
 *   policy_text          `<courseId>:<version>[:<notices hash>]`  the clauses of a content version as people
 *                        attested them, with the jurisdiction notices they were shown (domain/jurisdictions.ts)
 */

export interface AttestationDoc {
  _id: string;
  cycleId: string;
  cycleNo: number;
  userId: string;
  courseId: string;
  /** course.version (content hash) the learner signed. */
  contentVersion: string;
  /**
   * The published policy version signed (course.policyVersion), and the version and hash of the
   * person's previous attestation of the course that this one replaces (null on a first one).
   * Absent on attestations stored before versions were recorded: read them with `attestedVersions`.
   */
  policyVersion?: number;
  replacesVersion?: number | null;
  replacesContentVersion?: string | null;
  policyTitle: string;
  /**
   * The kept text signed (`policy_texts` `_id`) and the jurisdictions whose notices it showed.
   * Absent on attestations from before notices: their text is `<courseId>:<contentVersion>`.
   */
  policyTextId?: string;
  jurisdictions?: string[];
  /** Exactly what the learner typed. */
  typedName: string;
  /** The statement they ticked, stored verbatim in case its wording changes later. */
  statement: string;
  /**
   * The language of the text signed (issue #26): its version and kept text are that language's.
   * Absent on attestations stored before languages: English.
   */
  language?: Language;
  at: Date;
  ip: string;
  userAgent: string;
}

export const attestationSchema = new Schema<AttestationDoc>(
  {
    _id: { type: String, required: true },
    cycleId: { type: String, required: true },
    cycleNo: { type: Number, required: true },
    userId: { type: String, required: true },
    courseId: { type: String, required: true },
    contentVersion: { type: String, required: true },
    policyVersion: { type: Number },
    replacesVersion: { type: Number, default: null },
    replacesContentVersion: { type: String, default: null },
    policyTitle: { type: String, required: true },
    policyTextId: { type: String },
    jurisdictions: { type: [String], default: undefined },
    typedName: { type: String, required: true },
    statement: { type: String, required: true },
    language: { type: String },
    at: { type: Date, required: true },
    ip: { type: String, default: '' },
    userAgent: { type: String, default: '' },
  },
  { collection: 'attestations', versionKey: false },
);

export interface CertificateByCycleDoc {
  _id: string;
  code: string;
  completedAt: Date;
  expiresAt: Date | null;
}

export const certificateByCycleSchema = new Schema<CertificateByCycleDoc>(
  {
    _id: { type: String, required: true },
    code: { type: String, required: true },
    completedAt: { type: Date, required: true },
    expiresAt: { type: Date, default: null },
  },
  { collection: 'certificate_by_cycle', versionKey: false },
);

export interface CertificateDoc {
  /** The verification code, e.g. `K7QF-2MZD-9XRT-4HBC`. */
  _id: string;
  cycleId: string;
  cycleNo: number;
  userId: string;
  courseId: string;
  /** Snapshots at issue time: the certificate says what was true when it was earned. */
  name: string;
  courseTitle: string;
  contentVersion: string;
  /**
   * The policy version attested, and for a re-attestation (an attest-only cycle) the version it
   * replaced. Absent on certificates issued before versions were recorded (version 1, nothing replaced).
   */
  policyVersion?: number;
  replacesVersion?: number | null;
  /**
   * The issuing organisation's name when it was issued, so a later rename does not rewrite it.
   * Absent on certificates issued before it was kept: they show the profile's name now.
   */
  issuerName?: string;
  /** The language it is written in: the attestation's (absent on older certificates: English). */
  language?: Language;
  score: number | null;
  completedAt: Date;
  expiresAt: Date | null;
  issuedAt: Date;
  /** Copied from the certificate_revocation record when HR revokes it; null (or absent) while it stands. */
  revokedAt?: Date | null;
  revokedBy?: string | null;
  /** HR's reason: internal (HR pages and evidence packs), never on the public verify page. */
  revokedReason?: string | null;
}

export const certificateSchema = new Schema<CertificateDoc>(
  {
    _id: { type: String, required: true },
    cycleId: { type: String, required: true },
    cycleNo: { type: Number, required: true },
    userId: { type: String, required: true },
    courseId: { type: String, required: true },
    name: { type: String, required: true },
    courseTitle: { type: String, required: true },
    contentVersion: { type: String, required: true },
    policyVersion: { type: Number },
    replacesVersion: { type: Number, default: null },
    issuerName: { type: String },
    language: { type: String },
    score: { type: Number, default: null },
    completedAt: { type: Date, required: true },
    expiresAt: { type: Date, default: null },
    issuedAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    revokedBy: { type: String, default: null },
    revokedReason: { type: String, default: null },
  },
  { collection: 'certificates', versionKey: false },
);

export interface CertificateRevocationDoc {
  /** The certificate code: a second revocation of the same certificate is a duplicate key. */
  _id: string;
  userId: string;
  cycleId: string;
  courseId: string;
  revokedAt: Date;
  revokedBy: string;
  reason: string;
  /** The cycle opened for the retake, when the revoked certificate was the person's current completion. */
  retakeCycleNo: number | null;
}

export const certificateRevocationSchema = new Schema<CertificateRevocationDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    cycleId: { type: String, required: true },
    courseId: { type: String, required: true },
    revokedAt: { type: Date, required: true },
    revokedBy: { type: String, required: true },
    reason: { type: String, required: true },
    retakeCycleNo: { type: Number, default: null },
  },
  { collection: 'certificate_revocations', versionKey: false },
);

/** A jurisdiction notice of a clause, as shown (its jurisdictions, and its text). */
export interface PolicyTextNotice {
  jurisdictions: string[];
  text: string;
}

/** One clause as it was shown to the people who attested a version. */
export interface PolicyTextClause {
  id: string;
  number: string;
  title: string;
  summary: string;
  text: string;
  /** The notices shown after the text (absent: none). */
  notices?: PolicyTextNotice[];
}

/**
 * The policy text of one content version, content-addressed by the version hash: inserted once, by
 * the first attestation of that version, and never changed, so an attestation can always be shown
 * with the words it was signed against, whatever the course files say today.
 */
export interface PolicyTextDoc {
  _id: string;
  courseId: string;
  version: string;
  courseTitle: string;
  policyTitle: string;
  clauses: PolicyTextClause[];
  /** The jurisdictions whose notices this text shows (absent on texts kept before notices). */
  jurisdictions?: string[];
  /** The language of the text (absent on texts kept before languages: English). */
  language?: Language;
  keptAt: Date;
}

const policyTextClauseSchema = new Schema<PolicyTextClause>(
  {
    id: { type: String, required: true },
    number: { type: String, required: true },
    title: { type: String, required: true },
    summary: { type: String, required: true },
    text: { type: String, required: true },
    notices: {
      type: [
        new Schema<PolicyTextNotice>(
          { jurisdictions: { type: [String], required: true }, text: { type: String, required: true } },
          { _id: false },
        ),
      ],
      default: undefined,
    },
  },
  { _id: false },
);

export const policyTextSchema = new Schema<PolicyTextDoc>(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true },
    version: { type: String, required: true },
    courseTitle: { type: String, required: true },
    policyTitle: { type: String, required: true },
    clauses: { type: [policyTextClauseSchema], required: true },
    jurisdictions: { type: [String], default: undefined },
    language: { type: String },
    keptAt: { type: Date, required: true },
  },
  { collection: 'policy_texts', versionKey: false },
);
