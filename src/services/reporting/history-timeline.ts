import { stringify } from 'csv-stringify/sync';
import type { AuditEventDoc } from '../../db/models/audit-event.js';
import type { ReminderDoc } from '../../db/models/hr.js';
import type { Models } from '../../db/models/index.js';
import type { UserDoc } from '../../db/models/user.js';
import { findManyById } from '../../db/repositories/by-id.js';
import { canonicalJson } from '../../domain/audit-chain.js';
import {
  auditSentence,
  reminderSentence,
  type SentenceLink,
  shownAuditDetails,
  type Wording,
} from '../../domain/audit-sentences.js';
import type { Course } from '../../domain/course.js';
import { neutraliseCell } from './csv-rows.js';

/** One line of a person's readable history: a sentence, and the codes behind it for the toggle and the CSV. */
export interface HistoryEntry {
  at: Date;
  text: string;
  link: SentenceLink | null;
  /** The course the event is about, when it names one (the page shows it when the person has several). */
  courseTitle: string | null;
  /** Who did it, when it was someone other than the person (HR, an admin). */
  by: string | null;
  code: { action: string; targetType: string; targetId: string; details: string };
}

/** The names of the people who acted on someone else's record, by id, read once each. */
async function actorNames(models: Models, events: readonly AuditEventDoc[]): Promise<Map<string, string>> {
  const others = events.filter((e) => e.actorId && e.actorId !== e.subjectId).map((e) => e.actorId as string);
  const people = await findManyById<Pick<UserDoc, '_id' | 'name'>>(models.User, [...new Set(others)], {
    name: 1,
  });
  return new Map(people.map((p) => [p._id, p.name]));
}

/** Audit events and recorded reminders as one readable list, newest first. */
export async function historyTimeline(
  models: Models,
  courses: ReadonlyMap<string, Pick<Course, 'title' | 'lessons'>>,
  input: { events: readonly AuditEventDoc[]; reminders: readonly ReminderDoc[] },
  wording: Wording,
): Promise<HistoryEntry[]> {
  const actors = await actorNames(models, input.events);
  const names = {
    lessonTitle: (courseId: string, lessonId: string) =>
      courses.get(courseId)?.lessons.find((l) => l.id === lessonId)?.title,
  };
  const titleOf = (courseId: unknown) =>
    typeof courseId === 'string' ? (courses.get(courseId)?.title ?? null) : null;
  const fromEvents = input.events.map((e): HistoryEntry => {
    const sentence = auditSentence(e, names, wording);
    return {
      at: e.at,
      ...sentence,
      courseTitle: titleOf(e.details?.courseId),
      by: e.actorId && e.actorId !== e.subjectId ? (actors.get(e.actorId) ?? null) : null,
      code: {
        action: e.action,
        targetType: e.targetType,
        targetId: e.targetId,
        details: canonicalJson(shownAuditDetails(e)),
      },
    };
  });
  const fromReminders = input.reminders.map(
    (r): HistoryEntry => ({
      at: r.createdAt,
      text: reminderSentence(r.kind, wording),
      link: null,
      courseTitle: titleOf(r.courseId),
      by: null,
      code: {
        action: 'reminder',
        targetType: 'reminder',
        targetId: r._id,
        details: canonicalJson({ kind: r.kind, day: r.day, courseId: r.courseId, cycleNo: r.cycleNo }),
      },
    }),
  );
  return [...fromEvents, ...fromReminders].sort((a, b) => b.at.getTime() - a.at.getTime());
}

export const HISTORY_CSV_COLUMNS = [
  'at',
  'what',
  'course',
  'by',
  'action',
  'target_type',
  'target_id',
  'details',
];

/** The timeline as a CSV file (UTF-8 with a BOM, formula-like cells neutralised), codes and ids included. */
export function historyCsv(entries: readonly HistoryEntry[]): string {
  const rows = entries.map((e) =>
    [
      e.at.toISOString(),
      e.text,
      e.courseTitle ?? '',
      e.by ?? '',
      e.code.action,
      e.code.targetType,
      e.code.targetId,
      e.code.details,
    ].map(neutraliseCell),
  );
  return stringify([HISTORY_CSV_COLUMNS, ...rows], { bom: true, record_delimiter: 'windows' });
}
