import { randomInt } from 'node:crypto';
import type { FieldError } from '../../domain/assignment-rules.js';
import { Conflict, NotFound } from '../../domain/errors.js';
import { PLACEHOLDER_NAMES } from '../../domain/org-profile.js';
import {
  clauseEditProblems,
  noteProblems,
  publishedWording,
  trimWording,
} from '../../domain/policy-draft.js';
import type { ChangeKind, ClauseWording } from '../../domain/policy-version.js';
import type { ServiceContext } from '../context.js';
import { baselineOf, courseTemplate, loadDraft, loadHead } from './state.js';

/**
 * HR's (or an admin's) edits to the one open draft of a course. Each write touches only its own
 * clause (`edits.<clauseId>`) and adds the writer to `editors`, so two people editing different
 * clauses at once lose nothing. Any change reopens a submitted draft: the approver approves what
 * was submitted, and every change sets a new revision (newRevision): an admin approves the revision they reviewed.
 * Each change is audited (policy.draft.edited / reverted / submitted). Clause ids match ID_PATTERN (no dots or `$`), so they are safe as field names.
 */

/**
 * A draft's new revision at each change: random, not counted, so no two states of any course's
 * drafts share one. A count started again at 1 with each new draft (an approval of a discarded
 * draft's revision 2 approved the next draft's revision 2, unseen), and `$inc`, not atomic on
 * FerretDB v1, gave two racing changes the same number. A FerretDB update rewrites the whole
 * document, its revision with it, so the revision read always names the content read with it.
 * 1 to 999,999,999 (the approve form's field); 0 stays "a draft from before revisions".
 */
export function newRevision(): number {
  return randomInt(1, 1_000_000_000);
}

export interface ClauseForm {
  clauseId: string;
  number: string;
  wording: ClauseWording;
  kind: ChangeKind;
  /** The published wording, for "what it says now". */
  published: ClauseWording;
  inDraft: boolean;
}

/** The edit form for one clause: the draft's wording if the clause is in the draft, else the published one. */
export async function clauseForm(
  ctx: ServiceContext,
  input: { courseId: string; clauseId: string },
): Promise<ClauseForm> {
  const template = courseTemplate(ctx, input.courseId);
  const clause = template.clauses.find((c) => c.id === input.clauseId);
  if (!clause) throw new NotFound('policy.errors.noSuchClause');
  const [head, draft] = await Promise.all([loadHead(ctx, input.courseId), loadDraft(ctx, input.courseId)]);
  const published = publishedWording(baselineOf(template), head.overlay).get(clause.id)!;
  const edit = draft?.edits[clause.id];
  return {
    clauseId: clause.id,
    number: clause.number,
    wording: edit?.wording ?? published,
    kind: edit?.kind ?? 'minor',
    published,
    inDraft: !!edit,
  };
}

export type EditResult = { ok: true } | { ok: false; form: ClauseForm; errors: FieldError[] };

/** Puts one clause's new wording and change kind into the draft (creating it), or the form's errors. */
export async function editClause(
  ctx: ServiceContext,
  input: {
    actorId: string;
    courseId: string;
    clauseId: string;
    wording: ClauseWording;
    kind: ChangeKind;
    now: Date;
  },
): Promise<EditResult> {
  const template = courseTemplate(ctx, input.courseId);
  const [head, draft] = await Promise.all([loadHead(ctx, input.courseId), loadDraft(ctx, input.courseId)]);
  const published = publishedWording(baselineOf(template), head.overlay);
  const errors = clauseEditProblems(input, published, PLACEHOLDER_NAMES);
  if (errors.length) {
    const current = published.get(input.clauseId);
    if (!current) throw new NotFound('policy.errors.noSuchClause');
    const number = template.clauses.find((c) => c.id === input.clauseId)!.number;
    const form = {
      clauseId: input.clauseId,
      number,
      wording: input.wording,
      kind: input.kind,
      published: current,
      inDraft: false,
    };
    return { ok: false, form, errors };
  }
  const after = trimWording(input.wording);
  await ctx.models.PolicyDraft.updateOne(
    { _id: input.courseId },
    {
      // Every field a new draft needs is in $set: FerretDB v1 ignores $setOnInsert on upsert.
      $set: {
        courseId: input.courseId,
        basedOn: head.n,
        [`edits.${input.clauseId}`]: { wording: after, kind: input.kind },
        submittedAt: null,
        submittedBy: null,
        updatedAt: input.now,
        revision: newRevision(),
      },
      $addToSet: { editors: input.actorId },
    },
    { upsert: true },
  );
  // Before: the draft's wording when the clause was already in it, else the published wording.
  const before = draft?.edits[input.clauseId]?.wording ?? published.get(input.clauseId)!;
  await auditDraft(ctx, input, 'policy.draft.edited', {
    clauseId: input.clauseId,
    kind: input.kind,
    before,
    after,
  });
  return { ok: true };
}

/** One audit event about the course's draft, by the person who changed it. */
function auditDraft(
  ctx: ServiceContext,
  input: { actorId: string; courseId: string; now: Date },
  action: 'policy.draft.edited' | 'policy.draft.reverted' | 'policy.draft.submitted',
  details: Record<string, unknown>,
) {
  return ctx.audit.append(
    { actorId: input.actorId, action, targetType: 'course', targetId: input.courseId, details },
    input.now,
  );
}

/** Takes one clause out of the draft (audited with the wording dropped): it keeps its published wording. */
export async function revertClause(
  ctx: ServiceContext,
  input: { actorId: string; courseId: string; clauseId: string; now: Date },
): Promise<void> {
  courseTemplate(ctx, input.courseId);
  const draft = await loadDraft(ctx, input.courseId);
  if (!draft) throw new NotFound('policy.errors.noDraftToChange');
  const res = await ctx.models.PolicyDraft.updateOne(
    { _id: input.courseId },
    {
      $unset: { [`edits.${input.clauseId}`]: '' },
      $set: { submittedAt: null, submittedBy: null, updatedAt: input.now, revision: newRevision() },
      $addToSet: { editors: input.actorId },
    },
  );
  if (res.matchedCount === 0) throw new NotFound('policy.errors.noDraftToChange');
  const dropped = draft.edits[input.clauseId];
  await auditDraft(ctx, input, 'policy.draft.reverted', {
    clauseId: input.clauseId,
    kind: dropped?.kind ?? null,
    dropped: dropped?.wording ?? null,
  });
}

export type SubmitResult = { ok: true } | { ok: false; errors: FieldError[] };

/** Asks an admin to approve the draft, with the change note employees will see. */
export async function submitDraft(
  ctx: ServiceContext,
  input: { actorId: string; courseId: string; note: string; now: Date },
): Promise<SubmitResult> {
  courseTemplate(ctx, input.courseId);
  const errors = noteProblems(input.note);
  if (errors.length) return { ok: false, errors };
  const draft = await loadDraft(ctx, input.courseId);
  if (!draft || Object.keys(draft.edits).length === 0) throw new Conflict('policy.errors.nothingToSubmit');
  await ctx.models.PolicyDraft.updateOne(
    { _id: input.courseId },
    {
      $set: {
        note: input.note.trim(),
        submittedAt: input.now,
        submittedBy: input.actorId,
        updatedAt: input.now,
        revision: newRevision(),
      },
      $addToSet: { editors: input.actorId },
    },
  );
  await auditDraft(ctx, input, 'policy.draft.submitted', {
    note: input.note.trim(),
    basedOn: draft.basedOn,
    clauses: Object.keys(draft.edits),
  });
  return { ok: true };
}

/** Throws the draft away (audited: what was dropped, by whom). */
export async function discardDraft(
  ctx: ServiceContext,
  input: { actorId: string; courseId: string; now: Date },
): Promise<void> {
  courseTemplate(ctx, input.courseId);
  const draft = await loadDraft(ctx, input.courseId);
  if (!draft) return;
  await ctx.models.PolicyDraft.deleteOne({ _id: input.courseId });
  await ctx.audit.append(
    {
      actorId: input.actorId,
      action: 'policy.draft.discarded',
      targetType: 'course',
      targetId: input.courseId,
      details: { basedOn: draft.basedOn, clauses: Object.keys(draft.edits), editors: draft.editors },
    },
    input.now,
  );
}
