import type { PolicyDraftDoc, PolicyHeadDoc, PolicyVersionDoc } from '../../db/models/policy.js';
import type { Course } from '../../domain/course.js';
import { NotFound } from '../../domain/errors.js';
import type { BaselineClause, PolicyDraft } from '../../domain/policy-draft.js';
import { BASELINE_POLICY_VERSION, type ClauseWording } from '../../domain/policy-version.js';
import type { ServiceContext } from '../context.js';

/**
 * Reads shared by the policy commands: the course as its files state it (placeholders unfilled: HR
 * edits wording as written), what is published now, the open draft and the version history.
 */

/** The course files (the template the overlay sits on), or NotFound. */
export function courseTemplate(ctx: ServiceContext, courseId: string): Course {
  const template = ctx.catalogue.templates.get(courseId);
  if (!template) throw new NotFound('policy.errors.noCourse');
  return template;
}

export function baselineOf(template: Course): BaselineClause[] {
  return template.clauses.map((c) => ({
    id: c.id,
    number: c.number,
    title: c.title,
    summary: c.summary,
    text: c.text,
  }));
}

/** What is published now; before any publish, version 1 (the course files, no overlay). */
export interface PublishedHead {
  n: number;
  overlay: Record<string, ClauseWording>;
  publishedAt: Date | null;
  note: string;
}

export async function loadHead(ctx: ServiceContext, courseId: string): Promise<PublishedHead> {
  const head = await ctx.models.PolicyHead.findById(courseId).lean<PolicyHeadDoc>();
  if (!head) return { n: BASELINE_POLICY_VERSION, overlay: {}, publishedAt: null, note: '' };
  return { n: head.n, overlay: head.overlay ?? {}, publishedAt: head.publishedAt, note: head.note ?? '' };
}

export interface StoredDraft extends PolicyDraft {
  updatedAt: Date;
  /** New at every change (newRevision; 0: a draft from before revisions were kept). */
  revision: number;
}

export async function loadDraft(ctx: ServiceContext, courseId: string): Promise<StoredDraft | null> {
  const doc = await ctx.models.PolicyDraft.findById(courseId).lean<PolicyDraftDoc>();
  if (!doc) return null;
  return {
    basedOn: doc.basedOn,
    edits: doc.edits ?? {},
    note: doc.note ?? '',
    editors: doc.editors ?? [],
    submittedAt: doc.submittedAt ?? null,
    submittedBy: doc.submittedBy ?? null,
    updatedAt: doc.updatedAt,
    revision: doc.revision ?? 0,
  };
}

/** Every published version of a course (n ≥ 2), newest first. A handful per course: no index needed. */
export function loadVersions(ctx: ServiceContext, courseId: string): Promise<PolicyVersionDoc[]> {
  return ctx.models.PolicyVersion.find({ courseId }).sort({ n: -1 }).lean<PolicyVersionDoc[]>();
}

/** People's names for the pages (editors, approvers), one read by `_id` each. */
export async function namesOf(ctx: ServiceContext, ids: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const users = await Promise.all(
    unique.map((id) => ctx.models.User.findById(id, { name: 1 }).lean<{ _id: string; name: string }>()),
  );
  return new Map(unique.map((id, i) => [id, users[i]?.name ?? 'a former user']));
}
