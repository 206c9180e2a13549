import { insertIfNew } from '../../db/insert-once.js';
import { policyVersionKey } from '../../db/keys.js';
import type { PolicyVersionDoc } from '../../db/models/policy.js';
import { Conflict, Forbidden, NotFound } from '../../domain/errors.js';
import { buildNextVersion, canApprove, DraftChanged, renewalFor } from '../../domain/policy-draft.js';
import type { PolicyOverlay } from '../../domain/policy-version.js';
import type { Role } from '../../domain/roles.js';
import { requestRenewal } from '../assignments/course-settings.js';
import type { ServiceContext } from '../context.js';
import { baselineOf, courseTemplate, loadDraft, loadHead } from './state.js';

export interface Published {
  n: number;
  campaignId: string | null;
}

/**
 * An admin who did not edit the draft approves the revision of it they reviewed (a draft changed
 * since is refused: DraftChanged), which publishes version n + 1:
 * 1. `policy_versions <courseId>:<n+1>` is inserted once: of two approvals racing, exactly one
 *    inserts, the other is told it was already published (409);
 * 2. the strongest change kind asks for the renewal (retrain: a full cycle; re-attest: attest
 *    only; minor: none) as a campaign on the course settings, whose id goes on the version;
 * 3. `policy_heads <courseId>` moves to the new version, the draft goes, the publish is audited,
 *    and this process serves the new wording at once (others within the catalogue's refresh time).
 * A fixed handful of writes whatever the number of people: the sweep opens the cycles later.
 */
export async function approveAndPublish(
  ctx: ServiceContext,
  input: {
    approver: { id: string; role: Role };
    courseId: string;
    /** The draft revision the approver reviewed (the approve form carries it); absent: the draft as it is. */
    revision?: number;
    dueAt: Date;
    now: Date;
  },
): Promise<Published> {
  const { approver, courseId, now } = input;
  const template = courseTemplate(ctx, courseId);
  const draft = await loadDraft(ctx, courseId);
  if (!draft) throw new Conflict('There is no draft to approve: it was already published or discarded.');
  const decision = canApprove(draft, approver);
  if (!decision.ok)
    throw decision.reason === 'role' || decision.reason === 'editor'
      ? new Forbidden(decision.message)
      : new Conflict(decision.message);
  if (input.revision !== undefined && input.revision !== draft.revision) throw new DraftChanged();
  const head = await loadHead(ctx, courseId);
  if (draft.basedOn !== head.n)
    throw new Conflict(
      `Version ${head.n} was already published after this draft was started. Discard the draft and edit again.`,
    );
  const next = buildNextVersion(baselineOf(template), head, draft);
  const overlay: PolicyOverlay = { n: next.n, clauses: next.overlay, publishedAt: now, note: draft.note };
  const resolved = await ctx.catalogue.preview(courseId, { overlay });
  if (!resolved) throw new NotFound('There is no such course.');
  const version: PolicyVersionDoc = {
    _id: policyVersionKey(courseId, next.n),
    courseId,
    n: next.n,
    overlay: next.overlay,
    changes: next.changes,
    note: draft.note,
    contentHash: resolved.version,
    baseVersion: template.version,
    editedBy: draft.editors,
    approvedBy: approver.id,
    publishedAt: now,
    campaignId: null,
  };
  if (!(await insertIfNew(ctx.models.PolicyVersion, version)))
    throw new Conflict(
      `Version ${next.n} was already published by another approval. Reload the policy page.`,
    );
  const campaignId = await askForRenewal(ctx, {
    version,
    requirement: renewalFor(next.strongest),
    dueAt: input.dueAt,
  });
  await ctx.models.PolicyHead.updateOne(
    { _id: courseId },
    { $set: { n: next.n, overlay: next.overlay, publishedAt: now, note: draft.note } },
    { upsert: true },
  );
  await ctx.models.PolicyDraft.deleteOne({ _id: courseId });
  await ctx.audit.append(
    {
      actorId: approver.id,
      action: 'policy.version.published',
      targetType: 'course',
      targetId: courseId,
      details: {
        n: next.n,
        changes: next.changes.map((c) => ({ clauseId: c.clauseId, kind: c.kind })),
        note: draft.note,
        editedBy: draft.editors,
        approvedBy: approver.id,
        contentHash: version.contentHash,
        renewal: renewalFor(next.strongest),
        campaignId,
      },
    },
    now,
  );
  await ctx.catalogue.refresh({ force: true });
  return { n: next.n, campaignId };
}

/** The renewal campaign the version asks for (none for minor changes), recorded on the version. */
async function askForRenewal(
  ctx: ServiceContext,
  input: { version: PolicyVersionDoc; requirement: 'attest-only' | 'full' | null; dueAt: Date },
): Promise<string | null> {
  const { version, requirement } = input;
  if (!requirement) return null;
  const campaign = await requestRenewal(ctx, {
    actorId: version.approvedBy,
    courseId: version.courseId,
    requirement,
    dueAt: input.dueAt,
    reason: `Policy version ${version.n}: ${version.note}`,
    now: version.publishedAt,
  });
  await ctx.models.PolicyVersion.updateOne({ _id: version._id }, { $set: { campaignId: campaign.id } });
  return campaign.id;
}
