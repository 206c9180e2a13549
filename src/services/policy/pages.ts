import { policyVersionKey } from '../../db/keys.js';
import type { PolicyVersionDoc } from '../../db/models/policy.js';
import type { Course } from '../../domain/course.js';
import { dayKey } from '../../domain/dates.js';
import { NotFound } from '../../domain/errors.js';
import {
  courseForJurisdictions,
  enabledJurisdictions,
  jurisdictionWords,
} from '../../domain/jurisdictions.js';
import {
  type ApprovalDecision,
  buildNextVersion,
  canApprove,
  defaultDueDate,
  publishedWording,
  strongestKind,
} from '../../domain/policy-draft.js';
import { BASELINE_POLICY_VERSION, type ChangeKind } from '../../domain/policy-version.js';
import type { Role } from '../../domain/roles.js';
import type { ServiceContext } from '../context.js';
import { currentProfile } from '../organisation/profile.js';
import { wordingDiff } from './diff.js';
import { repairPublished } from './publish.js';
import { baselineOf, courseTemplate, loadDraft, loadHead, loadVersions, namesOf } from './state.js';

type Viewer = { id: string; role: Role };

/** Titles as learners read them (placeholders filled); clause wording on these pages stays as written. */
const servedOrTemplate = (ctx: ServiceContext, template: Course) => ctx.courses.get(template.id) ?? template;

/**
 * `/hr/courses/<course>/policy`: what is published, each clause, the draft, the approval, the history.
 * A publish cut short (the version inserted, the head not moved) is completed first.
 */
export async function policyPage(
  ctx: ServiceContext,
  input: { courseId: string; viewer: Viewer; now: Date },
) {
  const template = courseTemplate(ctx, input.courseId);
  const head = await repairPublished(ctx, { courseId: input.courseId });
  const [draft, versions] = await Promise.all([
    loadDraft(ctx, input.courseId),
    loadVersions(ctx, input.courseId),
  ]);
  const current = versions.find((v) => v.n === head.n) ?? null;
  const names = await namesOf(ctx, [
    ...(draft?.editors ?? []),
    ...(draft?.submittedBy ? [draft.submittedBy] : []),
    ...versions.map((v) => v.approvedBy),
  ]);
  const wording = publishedWording(baselineOf(template), head.overlay);
  const approval: ApprovalDecision | null = draft ? canApprove(draft, input.viewer) : null;
  return {
    course: servedOrTemplate(ctx, template),
    current: {
      n: head.n,
      publishedAt: head.publishedAt,
      note: head.note,
      approvedBy: current ? names.get(current.approvedBy)! : null,
    },
    clauses: template.clauses.map((c) => ({
      id: c.id,
      number: c.number,
      ...wording.get(c.id)!,
      edit: draft?.edits[c.id] ?? null,
    })),
    draft: draft && {
      basedOn: draft.basedOn,
      revision: draft.revision,
      note: draft.note,
      editors: draft.editors.map((id) => names.get(id)!),
      submittedAt: draft.submittedAt,
      submittedBy: draft.submittedBy ? names.get(draft.submittedBy)! : null,
      edited: template.clauses
        .filter((c) => draft.edits[c.id])
        .map((c) => ({ id: c.id, number: c.number, kind: draft.edits[c.id]!.kind })),
      strongest: strongestKind(Object.values(draft.edits).map((e) => e.kind)),
    },
    approval,
    defaultDueDate: dayKey(defaultDueDate(input.now)),
    versions: [
      ...versions.map((v) => ({
        n: v.n,
        publishedAt: v.publishedAt as Date | null,
        note: v.note,
        strongest: strongestKind(v.changes.map((c) => c.kind)) as ChangeKind | null,
        approvedBy: names.get(v.approvedBy)!,
      })),
      {
        n: BASELINE_POLICY_VERSION,
        publishedAt: null,
        note: 'The course files',
        strongest: null,
        approvedBy: null,
      },
    ],
  };
}

/**
 * The draft as a learner would see the policy once published (nothing stored, nothing served), with
 * the jurisdiction notices of a learner whose record names no region: those of the regions the
 * organisation profile enables, every region's while it names none (domain/jurisdictions.ts).
 */
export async function previewDraft(ctx: ServiceContext, input: { courseId: string }) {
  const template = courseTemplate(ctx, input.courseId);
  const [head, draft, profile] = await Promise.all([
    loadHead(ctx, input.courseId),
    loadDraft(ctx, input.courseId),
    currentProfile(ctx),
  ]);
  if (!draft) throw new NotFound('policy.errors.noDraftToPreview');
  const next = buildNextVersion(baselineOf(template), head, draft);
  const course = await ctx.catalogue.preview(input.courseId, {
    overlay: { n: next.n, clauses: next.overlay, publishedAt: null, note: draft.note },
  });
  if (!course) throw new NotFound('policy.errors.noCourse');
  const jurisdictions = enabledJurisdictions(profile.regions);
  return {
    course: courseForJurisdictions(course, jurisdictions),
    n: next.n,
    changed: new Set(next.changes.map((c) => c.clauseId)),
    /** Whose notices are shown, for the page to word: null while the profile names no region (every region's). */
    noticesFor: profile.regions.length > 0 ? jurisdictionWords(jurisdictions) : null,
  };
}

/** One version's page: for n ≥ 2 the changes from n − 1 side by side; version 1 is the course files. */
export async function versionPage(ctx: ServiceContext, input: { courseId: string; n: number }) {
  const template = courseTemplate(ctx, input.courseId);
  if (input.n === BASELINE_POLICY_VERSION)
    return {
      course: servedOrTemplate(ctx, template),
      n: input.n,
      baseline: baselineOf(template),
      version: null,
    };
  const doc = await ctx.models.PolicyVersion.findById(
    policyVersionKey(input.courseId, input.n),
  ).lean<PolicyVersionDoc>();
  if (!doc) throw new NotFound('policy.errors.noVersion');
  const names = await namesOf(ctx, [...doc.editedBy, doc.approvedBy]);
  const numbers = new Map(template.clauses.map((c) => [c.id, c.number]));
  return {
    course: servedOrTemplate(ctx, template),
    n: doc.n,
    baseline: null,
    version: {
      publishedAt: doc.publishedAt,
      note: doc.note,
      contentHash: doc.contentHash,
      editors: doc.editedBy.map((id) => names.get(id)!),
      approver: names.get(doc.approvedBy)!,
      campaignId: doc.campaignId,
      strongest: strongestKind(doc.changes.map((c) => c.kind)),
      changes: doc.changes.map((c) => ({
        clauseId: c.clauseId,
        number: numbers.get(c.clauseId) ?? '',
        kind: c.kind,
        title: c.after.title,
        fields: wordingDiff(c.before, c.after),
      })),
    },
  };
}
