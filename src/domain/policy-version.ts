/**
 * Policy versions: HR edits clause wording in the app, an admin (a different person) approves, and a
 * new version is published as an overlay on the course files (the files stay the baseline, version 1).
 * Each change says what employees must do about it: nothing (minor), re-attest, or retrain.
 * Pure types and rules; services/policy/ stores them, services/courses/ applies the overlay.
 */

/** The wording of one clause, as the overlay replaces it. */
export interface ClauseWording {
  title: string;
  summary: string;
  text: string;
}

export const CHANGE_KINDS = ['minor', 're-attest', 'retrain'] as const;
/** minor: editorial, no action; re-attest: read what changed and attest again; retrain: a new full cycle. */
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface ClauseChange {
  clauseId: string;
  kind: ChangeKind;
  before: ClauseWording;
  after: ClauseWording;
}

/** The course files' own policy (no overlay). */
export const BASELINE_POLICY_VERSION = 1;

/**
 * The published policy a course shows: version number and the cumulative clause wordings that
 * differ from the files (clause id → wording). Version 1 has no overlay.
 */
export interface PolicyOverlay {
  n: number;
  clauses: Record<string, ClauseWording>;
  publishedAt: Date | null;
  note: string;
}

export const BASELINE_OVERLAY: PolicyOverlay = {
  n: BASELINE_POLICY_VERSION,
  clauses: {},
  publishedAt: null,
  note: '',
};
