import { createHash } from 'node:crypto';
import { insertIfNew } from '../../db/insert-once.js';
import { policyVersionKey } from '../../db/keys.js';
import type { PolicyVersionDoc } from '../../db/models/policy.js';
import { claimOnce } from '../../db/once-claims.js';
import { Conflict, Forbidden, NotFound } from '../../domain/errors.js';
import {
  buildNextVersion,
  canApprove,
  DraftChanged,
  defaultDueDate,
  renewalFor,
  strongestKind,
} from '../../domain/policy-draft.js';
import type { PolicyOverlay } from '../../domain/policy-version.js';
import type { Role } from '../../domain/roles.js';
import { requestRenewal } from '../assignments/course-settings.js';
import type { ServiceContext } from '../context.js';
import { announceSettingChanged } from '../settings-announce.js';
import { baselineOf, courseTemplate, loadDraft, loadHead, type PublishedHead } from './state.js';

export interface Published {
  n: number;
  campaignId: string | null;
}

/**
 * An admin who did not edit the draft approves the revision of it they reviewed (a draft changed
 * since is refused: DraftChanged), which publishes version n + 1:
 * 1. `policy_versions <courseId>:<n+1>` is inserted once, carrying everything the rest needs (overlay,
 *    note, publishedAt, the renewal's due date, the draft revision): of two approvals racing, exactly
 *    one inserts, the other is told it was already published (409);
 * 2. completePublish: the renewal campaign, the head moved, the draft deleted, the audit.
 * Without transactions a process can die between 1 and 2: repairPublished, run first by the approval,
 * the policy page and every sweep and nightly job (repairPublishedCourses), finds the inserted version by `_id` and completes it. A fixed handful of
 * writes whatever the number of people: the sweep opens the cycles later.
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
  const head = await repairPublished(ctx, { courseId });
  const draft = await loadDraft(ctx, courseId);
  if (!draft) throw new Conflict('policy.errors.noDraftToApprove');
  const decision = canApprove(draft, approver);
  if (!decision.ok)
    throw decision.reason === 'role' || decision.reason === 'editor'
      ? new Forbidden(decision.message)
      : new Conflict(decision.message);
  if (input.revision !== undefined && input.revision !== draft.revision) throw new DraftChanged();
  if (draft.basedOn !== head.n) throw new Conflict('policy.errors.staleDraft', { n: head.n });
  const next = buildNextVersion(baselineOf(template), head, draft);
  const overlay: PolicyOverlay = { n: next.n, clauses: next.overlay, publishedAt: now, note: draft.note };
  const resolved = await ctx.catalogue.preview(courseId, { overlay });
  if (!resolved) throw new NotFound('policy.errors.noCourse');
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
    renewalDueAt: input.dueAt,
    draftRevision: draft.revision,
  };
  if (!(await insertIfNew(ctx.models.PolicyVersion, version)))
    throw new Conflict('policy.errors.alreadyPublished', { n: next.n });
  const { campaignId } = await completePublish(ctx, { version, previous: head, repaired: false });
  await ctx.catalogue.refresh({ force: true });
  await announceSettingChanged(ctx, 'policy');
  return { n: next.n, campaignId };
}

/**
 * Completes every version inserted beyond the head (a publish cut short after step 1): while
 * `<courseId>:<head.n + 1>` exists (a plain `_id` read, none usually), its publish is completed and
 * the head moves on. Returns the head as it is then. Safe to run at any time, in any process, as
 * often as wanted: each step is idempotent.
 */
export async function repairPublished(
  ctx: ServiceContext,
  input: { courseId: string },
): Promise<PublishedHead> {
  let head = await loadHead(ctx, input.courseId);
  let repaired = false;
  for (;;) {
    const version = await ctx.models.PolicyVersion.findById(
      policyVersionKey(input.courseId, head.n + 1),
    ).lean<PolicyVersionDoc>();
    if (!version) break;
    await completePublish(ctx, { version, previous: head, repaired: true });
    head = { n: version.n, overlay: version.overlay, publishedAt: version.publishedAt, note: version.note };
    repaired = true;
  }
  if (repaired) {
    await ctx.catalogue.refresh({ force: true });
    await announceSettingChanged(ctx, 'policy');
  }
  return head;
}

/** repairPublished for every course (one `_id` read each when nothing is to repair): the jobs run it first. */
export async function repairPublishedCourses(ctx: ServiceContext): Promise<void> {
  for (const courseId of ctx.catalogue.templates.keys()) await repairPublished(ctx, { courseId });
}

/**
 * Everything a publish does after inserting the version, each step safe to repeat: the campaign
 * (named after the version, asked once), the head moved from the previous version to this one
 * (compare-and-set on n, so a late repair never moves it back), then, by whoever moved it and
 * claimed the version (once_claims), the published draft revision deleted and the publish audited.
 * The claim is what makes that once: FerretDB v1 does not make the head's filtered update atomic,
 * so a publish and repairs racing (other pages, jobs, instances) can each see it "move".
 */
async function completePublish(
  ctx: ServiceContext,
  input: { version: PolicyVersionDoc; previous: PublishedHead; repaired: boolean },
): Promise<{ moved: boolean; campaignId: string | null }> {
  const { version, previous } = input;
  const courseId = version.courseId;
  const campaignId = await askForRenewal(ctx, version);
  const moved = await moveHead(ctx, version, previous.n);
  if (moved && (await claimOnce(ctx.models, publishedClaimKey(version), version.publishedAt))) {
    await ctx.models.PolicyDraft.deleteOne({
      _id: courseId,
      basedOn: previous.n,
      ...(version.draftRevision ? { revision: version.draftRevision } : {}),
    });
    await ctx.audit.append(
      {
        actorId: version.approvedBy,
        action: 'policy.version.published',
        targetType: 'course',
        targetId: courseId,
        details: {
          n: version.n,
          changes: version.changes.map((c) => ({ clauseId: c.clauseId, kind: c.kind })),
          note: version.note,
          editedBy: version.editedBy,
          approvedBy: version.approvedBy,
          contentHash: version.contentHash,
          renewal: renewalOf(version),
          campaignId,
          repaired: input.repaired,
        },
      },
      version.publishedAt,
    );
  }
  return { moved, campaignId };
}

/** The version's one-time "published" effects (draft deleted, audit); publishedAt tells a re-created version apart. */
const publishedClaimKey = (version: PolicyVersionDoc) =>
  `policy-published:${version._id}:${new Date(version.publishedAt).toISOString()}`;

const renewalOf = (version: PolicyVersionDoc) =>
  renewalFor(strongestKind(version.changes.map((c) => c.kind)));

/**
 * The head moves from version `from` to `version` only if it is still at `from`; true if this call
 * moved it (on FerretDB v1 racing calls can all be true: completePublish claims the effects).
 */
async function moveHead(ctx: ServiceContext, version: PolicyVersionDoc, from: number): Promise<boolean> {
  const fields = {
    n: version.n,
    overlay: version.overlay,
    publishedAt: version.publishedAt,
    note: version.note,
  };
  // Before the first publish there is no head document (version 1 is the course files).
  if (from <= 1) return insertIfNew(ctx.models.PolicyHead, { _id: version.courseId, ...fields });
  const res = await ctx.models.PolicyHead.updateOne({ _id: version.courseId, n: from }, { $set: fields });
  return res.modifiedCount === 1;
}

/** The campaign id a version's renewal gets: the same in every process and every retry. */
export function renewalCampaignId(version: Pick<PolicyVersionDoc, '_id' | 'publishedAt'>): string {
  return createHash('sha256')
    .update(`${version._id}:${new Date(version.publishedAt).toISOString()}`)
    .digest('hex')
    .slice(0, 16);
}

/**
 * The renewal campaign the version asks for (none for minor changes), recorded on the version. Asked
 * once: a version that records its campaign, or whose campaign the course settings hold already (the
 * process died before recording it), asks nothing; nor does one a later campaign has replaced.
 */
async function askForRenewal(ctx: ServiceContext, version: PolicyVersionDoc): Promise<string | null> {
  const requirement = renewalOf(version);
  if (!requirement) return null;
  if (version.campaignId) return version.campaignId;
  const id = renewalCampaignId(version);
  const settings = await ctx.models.CourseSettings.findById(version.courseId, { campaign: 1 }).lean<{
    campaign?: { id: string; createdAt: Date } | null;
  }>();
  const current = settings?.campaign ?? null;
  if (current && current.id !== id && current.createdAt > version.publishedAt) return null;
  if (current?.id !== id)
    await requestRenewal(ctx, {
      actorId: version.approvedBy,
      courseId: version.courseId,
      id,
      requirement,
      dueAt: version.renewalDueAt ?? defaultDueDate(version.publishedAt),
      reason: `Policy version ${version.n}: ${version.note}`,
      now: version.publishedAt,
    });
  await ctx.models.PolicyVersion.updateOne({ _id: version._id }, { $set: { campaignId: id } });
  return id;
}
