import { dueProblem, type FieldError } from '../assignment-rules.js';
import { parseDay, utcDay } from '../dates.js';
import type { ReminderKind } from '../reminders.js';

/** The page's wording (its translator): every sentence below is a people.bulk.* catalogue key. */
export interface BulkWording {
  t(key: string, values?: Record<string, string | number>): string;
}

/**
 * Bulk actions on the people HR selected in the people list: what each one is called, what its
 * confirm form must say, and which reminder a "remind now" sends. Pure.
 */

export const BULK_ACTIONS = ['assign', 'remind', 'extend', 'export'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** Selections larger than this run in the background with a progress page; smaller ones at once. */
export const BULK_INLINE_MAX = 500;

/** People handled per step of a run (one progress update, one batch of audit events). */
export const BULK_STEP = 250;

/**
 * A running job with no progress for this long was cut off (the process restarted): a step of
 * BULK_STEP people takes seconds, so minutes without one means nobody is running it.
 */
export const BULK_STALL_MS = 5 * 60_000;

/** Whether a job says "running" but nobody runs it any more. */
export function isInterrupted(
  job: { status: string; progressAt?: Date | null; startedAt: Date | null },
  now: Date,
): boolean {
  const last = job.progressAt ?? job.startedAt;
  return job.status === 'running' && !!last && now.getTime() - new Date(last).getTime() > BULK_STALL_MS;
}

/** The sentence of the preview: "This will <what> for N people". */
export const bulkWhat = (action: BulkAction, w: BulkWording) => w.t(`people.bulk.what.${action}`);

/** The action as a heading ("Assign a course"). */
export const bulkHeading = (action: BulkAction, w: BulkWording) => w.t(`people.bulk.heading.${action}`);

export const peopleCount = (n: number, w: BulkWording) => w.t('people.bulk.people', { count: n });

/** The confirm form's fields (the ones an action does not use are ignored). */
export interface BulkForm {
  courseId?: string;
  dueDate?: string;
  reason?: string;
}

/** What a confirmed action needs, checked. */
export interface BulkParams {
  courseId: string | null;
  dueAt: Date | null;
  reason: string;
}

/**
 * Reads the confirm form of an action: a course for assign and extend (remind: optional, every
 * open course otherwise), a due day not in the past for assign and extend, a reason for extend.
 * The messages are people.bulk.errors.* catalogue keys.
 */
export function parseBulkForm(
  action: BulkAction,
  form: BulkForm,
  ctx: { courseExists: (id: string) => boolean; now: Date },
): { params: BulkParams } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const courseId = form.courseId?.trim() || null;
  const needsCourse = action === 'assign' || action === 'extend';
  if ((needsCourse || courseId) && (!courseId || !ctx.courseExists(courseId)))
    errors.push({ field: 'courseId', message: 'people.bulk.errors.course' });
  let dueAt: Date | null = null;
  if (action === 'assign' || action === 'extend') {
    dueAt = parseDay(form.dueDate ?? '');
    if (!dueAt) errors.push({ field: 'dueDate', message: 'people.bulk.errors.dueDate' });
    else
      errors.push(
        ...dueProblem({ kind: 'fixed', date: dueAt }, ctx.now).map((e) => ({
          ...e,
          message: 'people.bulk.errors.duePast',
        })),
      );
  }
  const reason = (form.reason ?? '').trim();
  if (action === 'extend' && !reason) errors.push({ field: 'reason', message: 'people.bulk.errors.reason' });
  if (errors.length) return { errors };
  return { params: { courseId, dueAt: dueAt && utcDay(dueAt), reason } };
}

/**
 * The reminder HR's "remind now" sends for an assignment in this state (null: nothing to remind).
 * On the due day it is the sweep's own `due-today` (its key is the same day's), so remind now and
 * that day's sweep send one message between them, not two.
 */
export function reminderKindFor(state: string, dueAt?: Date | null, now?: Date): ReminderKind | null {
  if (state === 'completed') return null;
  if (state === 'overdue' || state === 'expired') return 'overdue';
  if (dueAt && now && utcDay(dueAt).getTime() === utcDay(now).getTime()) return 'due-today';
  return 'before-due';
}

/** What a finished run did, in words ("3 reminded; 1 already reminded today or with nothing to remind"). */
export function bulkOutcome(action: BulkAction, changed: number, skipped: number, w: BulkWording): string {
  return w.t(`people.bulk.outcome.${action}`, { changed, skipped });
}

/**
 * The course the people list was filtered by when the action started (from the job's list query),
 * the confirm form's default: "remind the people overdue on course X" reminds about X only.
 */
export function listCourseOf(filterQuery: string): string | undefined {
  return new URLSearchParams(filterQuery).get('course') || undefined;
}

/** A course the confirm form offers, with how many of the selected people it concerns. */
export interface BulkCourseChoice {
  value: string;
  label: string;
  hint: string;
  checked: boolean;
}

/**
 * The course choices of a confirm form: for assign, how many already have it; for remind and
 * extend, how many have it open (remind also offers every course at once). `chosen` is the
 * form's choice or else the list's course; none: every course for remind.
 */
export function bulkCourseChoices(
  action: BulkAction,
  courses: readonly { id: string; title: string; assigned: number; open: number; counted?: boolean }[],
  chosen: string | undefined,
  w: BulkWording,
): BulkCourseChoice[] {
  const counted = courses.every((c) => c.counted !== false);
  const items: BulkCourseChoice[] = courses.map((c) => ({
    value: c.id,
    label: c.title,
    hint: !counted
      ? ''
      : action === 'assign'
        ? w.t('people.bulk.choice.alreadyHave', { people: peopleCount(c.assigned, w), count: c.assigned })
        : w.t('people.bulk.choice.stillOpen', { people: peopleCount(c.open, w) }),
    checked: chosen === c.id || (!chosen && action !== 'remind' && courses.length === 1),
  }));
  if (action !== 'remind') return items;
  const open = courses.reduce((sum, c) => sum + c.open, 0);
  return [
    {
      value: '',
      label: w.t('people.bulk.choice.every'),
      hint: counted ? w.t('people.bulk.choice.openAssignments', { count: open }) : '',
      checked: !chosen,
    },
    ...items,
  ];
}
