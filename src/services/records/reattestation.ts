import { cycleKey, policyVersionKey } from '../../db/keys.js';
import type { Models } from '../../db/models/index.js';
import type { PolicyVersionDoc } from '../../db/models/policy.js';
import type { AttestationDoc } from '../../db/models/records.js';
import type { CycleDoc } from '../../db/models/training.js';
import { type Clause, type Course, clauseById } from '../../domain/course.js';
import { attestedVersions, versionsSince, whatChanged } from '../../domain/reattestation.js';
import type { ServiceContext } from '../context.js';
import {
  changesInCourseLanguage,
  type RequiredChangeInLanguage,
  type WhatChangedInLanguage,
} from './reattestation-language.js';

/**
 * The person's latest attestation of the course before this cycle (null on a first one). An
 * attestation's `_id` is its cycle's, so it is read by `_id`, newest cycle first: usually one read
 * (FerretDB answers only a plain `{_id}` from its index; an `$in` would scan every attestation).
 */
export async function previousAttestation(
  models: Models,
  cycle: Pick<CycleDoc, 'userId' | 'courseId' | 'n'>,
): Promise<AttestationDoc | null> {
  for (let n = cycle.n - 1; n >= 1; n -= 1) {
    const id = cycleKey(cycle.userId, cycle.courseId, n);
    const found = await models.Attestation.findById(id).lean<AttestationDoc>();
    if (found) return found;
  }
  return null;
}

/** A clause to read again: what changed about it, and its wording now (what the learner signs). */
export interface ClauseToReread extends RequiredChangeInLanguage {
  now: Clause;
}

/** What the "what changed" page shows a learner re-attesting. */
export interface Reattestation {
  /** Their previous attestation: the version they read last. */
  attested: { policyVersion: number; contentVersion: string; at: Date };
  /** The version they attest now (the course as served). */
  policyVersion: number;
  changes: WhatChangedInLanguage;
  clauses: ClauseToReread[];
}

/**
 * The changes a learner must read before re-attesting, when their current cycle is attest-only and
 * they last attested an earlier policy version; null otherwise (a new joiner, an attestation of the
 * current version already, or a full cycle), and the learner follows the normal course. The versions
 * published since are read in one query by `_id`.
 */
export async function reattestationFor(
  ctx: ServiceContext,
  input: { course: Course; cycle: CycleDoc },
): Promise<Reattestation | null> {
  const { course, cycle } = input;
  if (cycle.requirement !== 'attest-only' || cycle.attestedAt) return null;
  const previous = await previousAttestation(ctx.models, cycle);
  if (!previous) return null;
  const theirs = attestedVersions(previous).policyVersion;
  const ids = versionsSince(theirs, course.policyVersion).map((n) => policyVersionKey(course.id, n));
  if (ids.length === 0) return null;
  // One query: policy_versions holds a handful of documents per course, so even a scan is small.
  const versions = await ctx.models.PolicyVersion.find({ _id: { $in: ids } }).lean<PolicyVersionDoc[]>();
  // In the course's text language, filled as it is served: the learner never reads a raw placeholder.
  const changes = changesInCourseLanguage(ctx.catalogue, course, whatChanged(versions, theirs));
  const clauses = changes.required.flatMap((change) => {
    const now = clauseById(course, change.clauseId);
    return now ? [{ ...change, now }] : [];
  });
  return {
    attested: { policyVersion: theirs, contentVersion: previous.contentVersion, at: previous.at },
    policyVersion: course.policyVersion,
    changes,
    clauses,
  };
}
