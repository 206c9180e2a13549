import type { FastifyInstance } from 'fastify';
import { policyVersionKey } from '../../src/db/keys.js';
import type { PolicyDraftDoc, PolicyHeadDoc, PolicyVersionDoc } from '../../src/db/models/policy.js';
import { buildNextVersion } from '../../src/domain/policy-draft.js';
import { baselineOf } from '../../src/services/policy/state.js';
import { COURSE_ID } from '../factories.js';

/**
 * What approveAndPublish writes first, and all a process that died next would have written: the
 * version document of the submitted draft (no campaign yet). policy_heads is not moved.
 */
export async function insertVersionOnly(
  app: FastifyInstance,
  opts: { approvedBy: string; renewalDueAt: Date | null },
): Promise<PolicyVersionDoc> {
  const models = app.db.models;
  const template = app.catalogue.templates.get(COURSE_ID)!;
  const head = (await models.PolicyHead.findById(COURSE_ID).lean<PolicyHeadDoc>())!;
  const draft = (await models.PolicyDraft.findById(COURSE_ID).lean<PolicyDraftDoc>())!;
  const next = buildNextVersion(baselineOf(template), head, draft);
  const now = app.clock.now();
  const overlay = { n: next.n, clauses: next.overlay, publishedAt: now, note: draft.note };
  const version: PolicyVersionDoc = {
    _id: policyVersionKey(COURSE_ID, next.n),
    courseId: COURSE_ID,
    n: next.n,
    overlay: next.overlay,
    changes: next.changes,
    note: draft.note,
    contentHash: (await app.catalogue.preview(COURSE_ID, { overlay }))!.version,
    baseVersion: template.version,
    editedBy: draft.editors,
    approvedBy: opts.approvedBy,
    publishedAt: now,
    campaignId: null,
    renewalDueAt: opts.renewalDueAt,
    draftRevision: draft.revision,
  };
  await models.PolicyVersion.create(version);
  return version;
}
