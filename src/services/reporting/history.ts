import { assignmentKey, attemptKey, cycleKey } from '../../db/keys.js';
import type { AuditEventDoc } from '../../db/models/audit-event.js';
import type { ReminderDoc } from '../../db/models/hr.js';
import type { Models } from '../../db/models/index.js';
import type { AttemptDoc, AttemptResultDoc } from '../../db/models/quiz.js';
import type { AttestationDoc, CertificateByCycleDoc, CertificateDoc } from '../../db/models/records.js';
import type { AssignmentDoc, CycleDoc } from '../../db/models/training.js';
import type { UserDoc } from '../../db/models/user.js';
import { findManyById } from '../../db/repositories/by-id.js';
import type { Wording } from '../../domain/audit-sentences.js';
import type { Course } from '../../domain/course.js';
import { NotFound } from '../../domain/errors.js';
import { SOURCE_LANGUAGE } from '../../domain/i18n/languages.js';
import { translator } from '../../i18n/translator.js';
import type { ServiceContext } from '../context.js';
import { type HistoryEntry, historyCsv, historyTimeline } from './history-timeline.js';

export interface CycleHistory {
  cycle: CycleDoc;
  attempts: Array<{ attempt: AttemptDoc; result: AttemptResultDoc | null }>;
  attestation: AttestationDoc | null;
  certificate: CertificateDoc | null;
}

export interface CourseHistory {
  course: Pick<Course, 'id' | 'title'>;
  assignment: AssignmentDoc;
  /** Newest cycle first. */
  cycles: CycleHistory[];
}

export interface EmployeeHistory {
  person: UserDoc;
  manager: Pick<UserDoc, '_id' | 'name'> | null;
  courses: CourseHistory[];
  /** Reminders recorded for this person (the exactly-once keys written before each send), newest first. */
  reminders: ReminderDoc[];
  /** Newest first: extensions, grants and other audited events about this person. */
  events: AuditEventDoc[];
  /** The events and reminders as plain sentences with links, newest first (issue #28). */
  timeline: HistoryEntry[];
}

const EVENT_LIMIT = 200;
// Attempt numbers above the course's allowance can exist after HR grants; read a few beyond it.
const ATTEMPT_SLACK = 5;

/** The person's records that depend on nothing else: manager, assignments, audit events, reminders. */
async function personRecords(models: Models, courses: ReadonlyMap<string, Course>, person: UserDoc) {
  const userId = person._id;
  const [manager, assignments, events, reminders] = await Promise.all([
    person.managerId
      ? models.User.findById(person.managerId, { name: 1 }).lean<Pick<UserDoc, '_id' | 'name'>>()
      : null,
    findManyById<AssignmentDoc>(
      models.Assignment,
      [...courses.keys()].map((c) => assignmentKey(userId, c)),
    ),
    models.AuditEvent.find({ subjectId: userId })
      .sort({ _id: -1 })
      .limit(EVENT_LIMIT)
      .lean<AuditEventDoc[]>()
      .exec(),
    models.Reminder.find({ userId }).sort({ createdAt: -1 }).limit(EVENT_LIMIT).lean<ReminderDoc[]>().exec(),
  ]);
  return { manager, assignments, events, reminders };
}

/** Every cycle of these assignments with its attempts, results, attestation and certificate. */
async function cycleRecords(
  models: Models,
  courses: ReadonlyMap<string, Course>,
  userId: string,
  assignments: readonly AssignmentDoc[],
) {
  const cycleIds = assignments.flatMap((a) =>
    Array.from({ length: a.cycleNo }, (_, i) => cycleKey(userId, a.courseId, i + 1)),
  );
  const cycles = await findManyById<CycleDoc>(models.Cycle, cycleIds);
  const attemptIds = cycles.flatMap((c) => {
    const allowed = (courses.get(c.courseId)?.quiz.maxAttempts ?? 3) + (c.extraAttempts ?? 0) + ATTEMPT_SLACK;
    return Array.from({ length: allowed }, (_, i) => attemptKey(c._id, i + 1));
  });
  const [attempts, results, attestations, certByCycle] = await Promise.all([
    findManyById<AttemptDoc>(models.Attempt, attemptIds),
    findManyById<AttemptResultDoc>(models.AttemptResult, attemptIds),
    findManyById<AttestationDoc>(models.Attestation, cycleIds),
    findManyById<CertificateByCycleDoc>(models.CertificateByCycle, cycleIds),
  ]);
  const certificates = await findManyById<CertificateDoc>(
    models.Certificate,
    certByCycle.map((c) => c.code),
  );
  return { cycles, attempts, results, attestations, certificates };
}

/** The records of one course, newest cycle first, each cycle's attempts in order. */
function courseHistory(
  assignment: AssignmentDoc,
  title: string,
  records: Awaited<ReturnType<typeof cycleRecords>>,
): CourseHistory {
  const resultById = new Map(records.results.map((r) => [r._id, r]));
  const attestationById = new Map(records.attestations.map((a) => [a._id, a]));
  const certificateByCycle = new Map(records.certificates.map((c) => [c.cycleId, c]));
  return {
    course: { id: assignment.courseId, title },
    assignment,
    cycles: records.cycles
      .filter((c) => c.courseId === assignment.courseId)
      .sort((a, b) => b.n - a.n)
      .map((cycle) => ({
        cycle,
        attempts: records.attempts
          .filter((a) => a.cycleId === cycle._id)
          .sort((a, b) => a.n - b.n)
          .map((attempt) => ({ attempt, result: resultById.get(attempt._id) ?? null })),
        attestation: attestationById.get(cycle._id) ?? null,
        certificate: certificateByCycle.get(cycle._id) ?? null,
      })),
  };
}

/**
 * Everything recorded about one person; an unknown person is `NotFound`. Records are fetched by
 * their natural `_id` keys, each on its own (findManyById: a `$in` would scan). The audit log and
 * reminders are still read by subject, which scans those collections (see the README's notes on
 * scale).
 */
export async function employeeHistory(
  ctx: Pick<ServiceContext, 'models' | 'courses'>,
  input: { userId: string; wording: Wording },
): Promise<EmployeeHistory> {
  const { models, courses } = ctx;
  const person = await models.User.findById(input.userId).lean<UserDoc>();
  if (!person) throw new NotFound('people.errors.noPerson');
  const { manager, assignments, events, reminders } = await personRecords(models, courses, person);
  const records = await cycleRecords(models, courses, person._id, assignments);
  const courseHistories = assignments
    .map((a) => courseHistory(a, courses.get(a.courseId)?.title ?? a.courseId, records))
    .sort((a, b) => a.course.title.localeCompare(b.course.title));
  const timeline = await historyTimeline(models, courses, { events, reminders }, input.wording);
  return { person, manager, courses: courseHistories, reminders, events, timeline };
}

/** The person's readable history as CSV, with the action codes, ids and details; unknown person `NotFound`. */
export async function employeeHistoryCsv(
  ctx: Pick<ServiceContext, 'models' | 'courses'>,
  input: { userId: string },
): Promise<{ csv: string; person: Pick<UserDoc, '_id' | 'name' | 'employeeId'> }> {
  const { models, courses } = ctx;
  const person = await models.User.findById(input.userId, { name: 1, employeeId: 1 }).lean<UserDoc>();
  if (!person) throw new NotFound('people.errors.noPerson');
  const { events, reminders } = await personRecords(models, courses, person);
  // The CSV is the auditors' machine-readable copy: its sentences stay in English, like its headers.
  const timeline = await historyTimeline(models, courses, { events, reminders }, translator(SOURCE_LANGUAGE));
  return { csv: historyCsv(timeline), person };
}
