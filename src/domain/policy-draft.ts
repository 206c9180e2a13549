/**
 * The rules of a policy draft (HR edits clause wording; an admin who did not edit approves; the
 * approval publishes the next version as an overlay on the course files). Pure: services/policy/
 * reads and writes the documents, this file decides what is valid and what the next version is.
 * Wording is kept as written, placeholders unfilled: the course resolver fills them when served.
 */
import type { FieldError } from './assignment-rules.js';
import { addDays, parseDay, utcDay } from './dates.js';
import { Conflict } from './errors.js';
import { unknownPlaceholders } from './placeholders.js';
import {
  BASELINE_POLICY_VERSION,
  CHANGE_KINDS,
  type ChangeKind,
  type ClauseChange,
  type ClauseWording,
} from './policy-version.js';
import type { Role } from './roles.js';

/** A clause as the course files state it (the baseline every overlay sits on). */
export interface BaselineClause extends ClauseWording {
  id: string;
  number: string;
}

export interface DraftClauseEdit {
  wording: ClauseWording;
  kind: ChangeKind;
}

/** The one open draft of a course (stored as policy_drafts `<courseId>`). */
export interface PolicyDraft {
  basedOn: number;
  edits: Record<string, DraftClauseEdit>;
  note: string;
  editors: string[];
  submittedAt: Date | null;
  submittedBy: string | null;
}

/** What is published now: the version number and the cumulative overlay (clause id → wording). */
export interface PublishedPolicy {
  n: number;
  overlay: Record<string, ClauseWording>;
}

/** Longest accepted field (characters); the longest clause in the files is about 3,000. */
export const CLAUSE_LIMITS = { title: 120, summary: 300, text: 10_000, note: 1000 } as const;
const FIELD_LABELS = { title: 'title', summary: 'summary', text: 'text' } as const;
type WordingField = keyof typeof FIELD_LABELS;
const WORDING_FIELDS = Object.keys(FIELD_LABELS) as WordingField[];

/** How long people get to renew when the admin does not choose (days). */
export const DEFAULT_RENEWAL_DAYS = 14;

export function trimWording(w: ClauseWording): ClauseWording {
  return { title: w.title.trim(), summary: w.summary.trim(), text: w.text.trim() };
}

function sameWording(a: ClauseWording, b: ClauseWording): boolean {
  const [x, y] = [trimWording(a), trimWording(b)];
  return x.title === y.title && x.summary === y.summary && x.text === y.text;
}

/** Every clause's wording as published: the overlay's where it has one, else the files'. */
export function publishedWording(
  baseline: readonly BaselineClause[],
  overlay: Record<string, ClauseWording>,
): Map<string, ClauseWording> {
  return new Map(
    baseline.map((c) => [c.id, overlay[c.id] ?? { title: c.title, summary: c.summary, text: c.text }]),
  );
}

/** A form problem as a catalogue key ("policy.errors.*") with its values, shown in the editor's language. */
export type PolicyFieldError = FieldError & { values?: Record<string, string | number> };

const placeholderList = (names: readonly string[]) => names.map((n) => `{{${n}}}`).join(', ');

function fieldProblem(field: WordingField, value: string, known: readonly string[]): PolicyFieldError | null {
  if (value.trim() === '') return { field, message: 'policy.errors.fieldEmpty', values: { field } };
  if (value.length > CLAUSE_LIMITS[field])
    return {
      field,
      message: 'policy.errors.fieldTooLong',
      values: { field, length: value.length, max: CLAUSE_LIMITS[field] },
    };
  const unknown = unknownPlaceholders(value, known);
  if (unknown.length)
    return {
      field,
      message: 'policy.errors.unknownPlaceholders',
      values: { field, unknown: placeholderList(unknown), known: placeholderList(known) },
    };
  return null;
}

/** What is wrong with one clause edit, field by field (empty: it can go into the draft). */
export function clauseEditProblems(
  edit: { clauseId: string; wording: ClauseWording },
  published: ReadonlyMap<string, ClauseWording>,
  knownPlaceholders: readonly string[],
): PolicyFieldError[] {
  const current = published.get(edit.clauseId);
  if (!current) return [{ field: 'clauseId', message: 'policy.errors.noSuchClause' }];
  const errors: PolicyFieldError[] = [];
  for (const field of WORDING_FIELDS) {
    const problem = fieldProblem(field, edit.wording[field], knownPlaceholders);
    if (problem) errors.push(problem);
  }
  if (errors.length === 0 && sameWording(edit.wording, current))
    errors.push({
      field: 'text',
      message: 'policy.errors.sameAsPublished',
    });
  return errors;
}

/** The change note the approver publishes with (required, bounded). */
export function noteProblems(note: string): PolicyFieldError[] {
  if (note.trim() === '') return [{ field: 'note', message: 'policy.errors.noteEmpty' }];
  if (note.length > CLAUSE_LIMITS.note)
    return [
      {
        field: 'note',
        message: 'policy.errors.noteTooLong',
        values: { length: note.length, max: CLAUSE_LIMITS.note },
      },
    ];
  return [];
}

const withEditor = (editors: string[], id: string) => (editors.includes(id) ? editors : [...editors, id]);

/** The draft with one clause edited. Any edit reopens a submitted draft: the approver sees what was submitted. */
export function withEdit(
  draft: PolicyDraft,
  input: { clauseId: string; wording: ClauseWording; kind: ChangeKind; editorId: string },
): PolicyDraft {
  return {
    ...draft,
    edits: { ...draft.edits, [input.clauseId]: { wording: trimWording(input.wording), kind: input.kind } },
    editors: withEditor(draft.editors, input.editorId),
    submittedAt: null,
    submittedBy: null,
  };
}

/** The draft with one clause back to its published wording. */
export function withoutEdit(draft: PolicyDraft, input: { clauseId: string; editorId: string }): PolicyDraft {
  const { [input.clauseId]: _dropped, ...edits } = draft.edits;
  return {
    ...draft,
    edits,
    editors: withEditor(draft.editors, input.editorId),
    submittedAt: null,
    submittedBy: null,
  };
}

/** The strongest of the kinds (retrain > re-attest > minor); null when there are none. */
export function strongestKind(kinds: readonly ChangeKind[]): ChangeKind | null {
  let best = -1;
  for (const k of kinds) best = Math.max(best, CHANGE_KINDS.indexOf(k));
  return best < 0 ? null : CHANGE_KINDS[best]!;
}

/** The renewal a version asks of everyone who completed: none for editorial changes. */
export function renewalFor(kind: ChangeKind | null): 'attest-only' | 'full' | null {
  if (kind === 'retrain') return 'full';
  if (kind === 're-attest') return 'attest-only';
  return null;
}

export function defaultDueDate(now: Date): Date {
  return utcDay(addDays(now, DEFAULT_RENEWAL_DAYS));
}

export type ApprovalDecision =
  | { ok: true }
  | { ok: false; reason: 'role' | 'editor' | 'not-submitted' | 'empty'; message: string };

/** The two-person rule: an admin approves a submitted, non-empty draft that they did not edit. */
export function canApprove(draft: PolicyDraft, approver: { id: string; role: Role }): ApprovalDecision {
  if (approver.role !== 'admin') return { ok: false, reason: 'role', message: 'policy.errors.approveRole' };
  if (Object.keys(draft.edits).length === 0)
    return { ok: false, reason: 'empty', message: 'policy.errors.approveEmpty' };
  if (draft.submittedAt === null)
    return {
      ok: false,
      reason: 'not-submitted',
      message: 'policy.errors.approveNotSubmitted',
    };
  if (draft.editors.includes(approver.id))
    return {
      ok: false,
      reason: 'editor',
      message: 'policy.errors.approveOwnEdit',
    };
  return { ok: true };
}

/**
 * The draft changed (an edit, a revert, a new submission) after the approver opened the page: what
 * they reviewed is not what would be published, so nothing is.
 */
export class DraftChanged extends Conflict {
  constructor() {
    super('policy.errors.draftChanged');
  }
}

export interface NextVersion {
  n: number;
  /** Cumulative: every clause whose wording differs from the files. */
  overlay: Record<string, ClauseWording>;
  /** From the published version to this one, in the policy's clause order. */
  changes: ClauseChange[];
  strongest: ChangeKind | null;
}

/** The version the draft publishes on top of what is published now. */
export function buildNextVersion(
  baseline: readonly BaselineClause[],
  published: PublishedPolicy,
  draft: PolicyDraft,
): NextVersion {
  const current = publishedWording(baseline, published.overlay);
  const overlay = { ...published.overlay };
  const changes: ClauseChange[] = [];
  for (const clause of baseline) {
    const edit = draft.edits[clause.id];
    if (!edit) continue;
    const after = trimWording(edit.wording);
    if (sameWording(after, clause)) delete overlay[clause.id];
    else overlay[clause.id] = after;
    changes.push({ clauseId: clause.id, kind: edit.kind, before: current.get(clause.id)!, after });
  }
  return {
    n: Math.max(published.n, BASELINE_POLICY_VERSION) + 1,
    overlay,
    changes,
    strongest: strongestKind(changes.map((c) => c.kind)),
  };
}

/**
 * The due date the approver chose (`YYYY-MM-DD`, from a date input), or the default when left
 * empty; refused if it is not a date or is before today.
 */
export function approvalDueDate(text: string, now: Date): { dueAt: Date } | { errors: FieldError[] } {
  if (text.trim() === '') return { dueAt: defaultDueDate(now) };
  const dueAt = parseDay(text);
  if (!dueAt || dueAt < utcDay(now))
    return {
      errors: [{ field: 'dueDate', message: 'policy.errors.dueDate' }],
    };
  return { dueAt };
}
