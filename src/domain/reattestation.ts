import { fillPlainText } from './course-resolve.js';
import type { ChangeKind, ClauseChange, ClauseWording } from './policy-version.js';

/**
 * What a learner re-attesting must read: the changes published since the policy version they last
 * attested. Clauses changed as re-attest or retrain in any of those versions are required reading
 * (shown in full); clauses changed only as minor are listed one line each. Pure: the service reads
 * the published versions and the current wording.
 */

/** A published version as the what-changed page needs it (a subset of the stored version). */
export interface PublishedChanges {
  n: number;
  note: string;
  publishedAt: Date;
  changes: ClauseChange[];
}

export interface RequiredChange {
  clauseId: string;
  /** The strongest kind among the versions that changed it. */
  kind: Exclude<ChangeKind, 'minor'>;
  /** The versions that changed the clause, ascending. */
  versions: number[];
  /** The wording the learner last attested: before the first change since their version. */
  before: ClauseWording;
}

export interface MinorChange {
  clauseId: string;
  title: string;
  versions: number[];
}

export interface WhatChanged {
  /** The policy version the learner last attested. */
  fromVersion: number;
  /** The newest version read (the one they now attest). */
  toVersion: number;
  notes: Array<{ n: number; note: string; publishedAt: Date }>;
  required: RequiredChange[];
  minor: MinorChange[];
}

/** Version numbers after `attested` up to `current`, ascending: the versions a learner has not attested. */
export function versionsSince(attested: number, current: number): number[] {
  const out: number[] = [];
  for (let n = attested + 1; n <= current; n += 1) out.push(n);
  return out;
}

/** The changes since `attested`, from the versions published after it (in any order). */
export function whatChanged(versions: PublishedChanges[], attested: number): WhatChanged {
  const since = versions.filter((v) => v.n > attested).sort((a, b) => a.n - b.n);
  const required = new Map<string, RequiredChange>();
  const minor = new Map<string, MinorChange>();
  // The wording the learner attested: whatever a clause said before its first change since then.
  const attestedWording = new Map<string, ClauseWording>();
  for (const v of since) {
    for (const change of v.changes) {
      const id = change.clauseId;
      if (!attestedWording.has(id)) attestedWording.set(id, change.before);
      const versions = [...(required.get(id)?.versions ?? minor.get(id)?.versions ?? []), v.n];
      const stronger = required.get(id)?.kind;
      if (change.kind === 'minor' && !stronger) {
        minor.set(id, { clauseId: id, title: change.after.title, versions });
        continue;
      }
      const kind = change.kind === 'retrain' || stronger === 'retrain' ? 'retrain' : 're-attest';
      minor.delete(id);
      required.set(id, { clauseId: id, kind, versions, before: attestedWording.get(id)! });
    }
  }
  return {
    fromVersion: attested,
    toVersion: since.at(-1)?.n ?? attested,
    notes: since.map(({ n, note, publishedAt }) => ({ n, note, publishedAt })),
    required: [...required.values()],
    minor: [...minor.values()],
  };
}

/**
 * What changed as a learner reads it: the recorded wordings keep their placeholders as authors wrote
 * them (HR's diff shows them so), so the wording attested before and a minor change's title are
 * filled with the values the course is served with now.
 */
export function filledChanges(changes: WhatChanged, values: ReadonlyMap<string, string>): WhatChanged {
  const fill = (text: string) => fillPlainText(text, values);
  return {
    ...changes,
    required: changes.required.map((r) => ({
      ...r,
      before: { title: fill(r.before.title), summary: fill(r.before.summary), text: fill(r.before.text) },
    })),
    minor: changes.minor.map((m) => ({ ...m, title: fill(m.title) })),
  };
}

/** The versions an attestation (or certificate) records; stored records from before they existed lack them. */
export interface AttestedVersions {
  policyVersion: number;
  replacesVersion: number | null;
  replacesContentVersion: string | null;
}

/** The versions of a stored record: a missing version is version 1 (the course files), nothing replaced. */
export function attestedVersions(record: {
  policyVersion?: number | null;
  replacesVersion?: number | null;
  replacesContentVersion?: string | null;
}): AttestedVersions {
  return {
    policyVersion: record.policyVersion ?? 1,
    replacesVersion: record.replacesVersion ?? null,
    replacesContentVersion: record.replacesContentVersion ?? null,
  };
}

/** Did this signature replace an attestation of another policy version (a re-attestation)? */
export function isReattestation(record: { policyVersion?: number | null; replacesVersion?: number | null }) {
  const v = attestedVersions(record);
  return v.replacesVersion !== null && v.replacesVersion !== v.policyVersion;
}

/**
 * How certificates, pages and packs name the version attested: "Policy version 2", or for a
 * re-attestation "Policy: re-attested version 2, replacing version 1".
 */
export function versionLine(record: {
  policyVersion?: number | null;
  replacesVersion?: number | null;
}): string {
  const v = attestedVersions(record);
  return isReattestation(record)
    ? `Policy: re-attested version ${v.policyVersion}, replacing version ${v.replacesVersion}`
    : `Policy version ${v.policyVersion}`;
}
