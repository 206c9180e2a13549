import type { mongo } from 'mongoose';
import { reminderKey } from '../../../db/keys.js';
import type { CourseSettingsDoc, ReminderDoc } from '../../../db/models/hr.js';
import type { AssignmentDoc, CycleDoc } from '../../../db/models/training.js';
import type { Course } from '../../../domain/course.js';
import { type Language, SOURCE_LANGUAGE } from '../../../domain/i18n/languages.js';
import { spacedRefresherDue } from '../../../domain/mastery/spaced.js';
import { hasPersonCopy } from '../../../domain/person-copy.js';
import { type CycleFacts, type CycleStatus, cycleState } from '../../../domain/recertification.js';
import { type PlannedReminder, planReminders, type ReminderFacts } from '../../../domain/reminders.js';
import type { TalliedAssignment } from '../../../domain/reporting.js';
import { type MailOrganisation, recipientLanguage, reminderMessage } from '../../../mail/templates.js';
import type { OutgoingMail } from '../../../mail/transport.js';
import { policyOf } from '../../assignments/course-settings.js';
import { newCycle, openedCycleFields } from '../../assignments/enrollment.js';
import type { Catalogue } from '../../courses/catalogue.js';
import { SUMMARY_FIELDS } from '../../reporting/summaries.js';
import type { Person } from './people-cache.js';

/**
 * Planning, without writing anything: what one assignment needs (its state, the next cycle, the
 * reminders due), and the message of a reminder once claimed. Everything here is pure.
 */

/** The assignment fields the sweep reads (its summary fields and the cycle's dates). */
export const PROJECTION = {
  ...SUMMARY_FIELDS,
  active: 1,
  assignedAt: 1,
  completedAt: 1,
  expiresAt: 1,
  requirement: 1,
  // The recipient's language, copied from the person: the reminder's language without a read.
  locale: 1,
} as const;

export type SweepAssignment = Pick<
  AssignmentDoc,
  | '_id'
  | 'userId'
  | 'courseId'
  | 'name'
  | 'email'
  | 'locale'
  | 'department'
  | 'managerId'
  | 'active'
  | 'cycleNo'
  | 'dueAt'
  | 'state'
  | 'assignedAt'
  | 'completedAt'
  | 'expiresAt'
  | 'requirement'
>;

/** A reminder planned for an assignment: the key document that claims it, and what its message needs. */
export interface PendingReminder {
  doc: ReminderDoc;
  plan: PlannedReminder;
  a: SweepAssignment;
  dueAt: Date | null;
  requirement: CycleDoc['requirement'];
}

/** What the plans are made from: the courses and every course's settings, read once per sweep. */
export interface SweepRules {
  courses: Map<string, Course>;
  settings: Map<string, CourseSettingsDoc>;
}

/** The writes one batch of assignments needs, in the order the writer applies them. */
export interface BatchWork {
  cycles: CycleDoc[];
  updates: mongo.AnyBulkWriteOperation<AssignmentDoc>[];
  reminders: PendingReminder[];
}

/** One batch planned: its writes, the assignments the summary counts, the state changes (report). */
export interface BatchPlan {
  work: BatchWork;
  counted: TalliedAssignment[];
  stateChanges: number;
}

/** Plans every assignment of a batch read by the pass. */
export function planBatch(rules: SweepRules, batch: SweepAssignment[], now: Date): BatchPlan {
  const out: BatchPlan = { work: { cycles: [], updates: [], reminders: [] }, counted: [], stateChanges: 0 };
  for (const a of batch) {
    const plan = planAssignment(rules, a, now);
    if (plan.cycle) out.work.cycles.push(plan.cycle);
    if (plan.update) out.work.updates.push(plan.update);
    out.work.reminders.push(...plan.reminders);
    if (plan.stateChange) out.stateChanges += 1;
    if (a.active) out.counted.push(plan.after);
  }
  return out;
}

/** What one assignment needs. */
export interface AssignmentPlan {
  /** The assignment as it will be once the plan is written (what the summary counts). */
  after: TalliedAssignment;
  /** The next cycle, when a recertification window opens or HR asked everyone to renew. */
  cycle: CycleDoc | null;
  /** The assignment's new summary (a new cycle, or only a new state). */
  update: mongo.AnyBulkWriteOperation<AssignmentDoc> | null;
  /** A new state without a new cycle (what the report counts as a state change). */
  stateChange: boolean;
  reminders: PendingReminder[];
}

/** Where the reminders of an assignment's current cycle point. */
interface CurrentCycle extends ReminderFacts {
  cycleNo: number;
  requirement: CycleDoc['requirement'];
}

/**
 * Decides what one assignment needs (state, next cycle, reminders) without writing anything.
 * Retired courses and people who left: no state changes, no cycles, no reminders.
 */
export function planAssignment(rules: SweepRules, a: SweepAssignment, now: Date): AssignmentPlan {
  const course = rules.courses.get(a.courseId);
  const s = rules.settings.get(a.courseId);
  if (!a.active || !course || !s || s.retired)
    return { after: a, cycle: null, update: null, stateChange: false, reminders: [] };
  const policy = policyOf(s);
  const facts: CycleFacts = {
    n: a.cycleNo,
    dueAt: a.dueAt,
    // The summary carries no start time; the learner side marks "in-progress" when work begins.
    startedAt: a.state === 'in-progress' ? a.assignedAt : null,
    completedAt: a.completedAt,
    expiresAt: a.expiresAt,
  };
  const status = cycleState(policy, [facts], now);
  const next = nextCycle(s, a, status);
  if (!next) {
    const { state } = status;
    const changed = state !== a.state;
    return {
      after: { ...a, state, dueAt: a.dueAt, cycleNo: a.cycleNo },
      cycle: null,
      update: changed ? updateOf(a, { state, updatedAt: now }) : null,
      stateChange: changed,
      reminders: [
        ...remindersDue(
          s,
          a,
          {
            state,
            cycleNo: a.cycleNo,
            dueAt: a.dueAt,
            assignedAt: a.assignedAt,
            requirement: a.requirement ?? 'full',
          },
          now,
        ),
        ...spacedDue(s, course, a, state, now),
      ],
    };
  }
  const { n: cycleNo, dueAt, requirement } = next;
  const opened = { n: cycleNo, dueAt, startedAt: null, completedAt: null, expiresAt: null };
  const { state } = cycleState(policy, [facts, opened], now);
  return {
    after: { ...a, state, dueAt, cycleNo },
    cycle: newCycle(a.userId, course, cycleNo, now, dueAt, requirement),
    update: updateOf(a, openedCycleFields(cycleNo, dueAt, state, now, requirement)),
    stateChange: false,
    reminders: remindersDue(s, a, { state, cycleNo, dueAt, assignedAt: now, requirement }, now),
  };
}

function updateOf(
  a: SweepAssignment,
  $set: Partial<AssignmentDoc>,
): mongo.AnyBulkWriteOperation<AssignmentDoc> {
  return { updateOne: { filter: { _id: a._id }, update: { $set } } };
}

/**
 * The cycle to open now, if any: HR's renewal campaign covers this completion, or asks for the full
 * course while the open cycle asks only for an attestation, or the window opened.
 */
function nextCycle(
  s: CourseSettingsDoc,
  a: SweepAssignment,
  status: CycleStatus,
): { n: number; dueAt: Date | null; requirement: CycleDoc['requirement'] } | null {
  const campaign = s.campaign;
  if (campaign && (renewsCompletion(campaign, a) || upgradesOpenCycle(campaign, a)))
    return { n: a.cycleNo + 1, dueAt: campaign.dueAt, requirement: campaign.requirement };
  if (status.opensNextCycle) return { n: a.cycleNo + 1, dueAt: status.dueAt, requirement: 'full' };
  return null;
}

type Campaign = NonNullable<CourseSettingsDoc['campaign']>;

/** The campaign came after this completion (and after the cycle it completed was opened). */
function renewsCompletion(campaign: Campaign, a: SweepAssignment): boolean {
  return !!a.completedAt && a.completedAt < campaign.createdAt && a.assignedAt < campaign.createdAt;
}

/**
 * A retrain published after an attest-only cycle was opened and before it was completed: attesting
 * that cycle would skip the course the new version asks for, so a full cycle replaces it (the next
 * n, the attest-only cycle kept as history). The summary's `assignedAt` is when the open cycle opened.
 */
function upgradesOpenCycle(campaign: Campaign, a: SweepAssignment): boolean {
  return (
    campaign.requirement === 'full' &&
    a.requirement === 'attest-only' &&
    !a.completedAt &&
    a.assignedAt < campaign.createdAt
  );
}

/** The reminders due for the assignment's current cycle, each with the key that claims it. */
function remindersDue(
  s: CourseSettingsDoc,
  a: SweepAssignment,
  current: CurrentCycle,
  now: Date,
): PendingReminder[] {
  return planReminders(s.reminders, current, now).map((plan) => ({
    doc: {
      _id: reminderKey(a.userId, a.courseId, current.cycleNo, plan),
      userId: a.userId,
      courseId: a.courseId,
      cycleNo: current.cycleNo,
      kind: plan.kind,
      day: plan.day,
      createdAt: now,
    },
    plan,
    a,
    dueAt: current.dueAt,
    requirement: current.requirement,
  }));
}

/**
 * The spaced refresher between cycles (issue #23), when the course has one and it falls now: only
 * for a completed cycle, keyed like a reminder on its own day, so it is claimed and sent once.
 */
function spacedDue(
  s: CourseSettingsDoc,
  course: Course,
  a: SweepAssignment,
  state: TalliedAssignment['state'],
  now: Date,
): PendingReminder[] {
  if (state !== 'completed' || !s.spacedEveryMonths || !course.clauses.length) return [];
  const due = spacedRefresherDue({ completedAt: a.completedAt, everyMonths: s.spacedEveryMonths }, now);
  if (!due) return [];
  const plan: PlannedReminder = { kind: 'spaced', day: due.day, toManager: false };
  const doc = {
    _id: reminderKey(a.userId, a.courseId, a.cycleNo, plan),
    userId: a.userId,
    courseId: a.courseId,
    cycleNo: a.cycleNo,
    kind: plan.kind,
    day: plan.day,
    createdAt: now,
  };
  return [{ doc, plan, a, dueAt: null, requirement: a.requirement ?? 'full' }];
}

/**
 * Whom a reminder needs read: the manager it copies, and the learner only when the assignment
 * predates the copied name and e-mail (their chosen language travels in the same copy). One `_id`
 * read per person per sweep (the PeopleCache), for the reminders claimed only. (A learner's
 * assignment is active, or no reminder is planned.)
 */
export function peopleToLookUp(p: PendingReminder): string[] {
  const ids = hasPersonCopy(p.a) ? [] : [p.a.userId];
  if (p.plan.toManager && p.a.managerId) ids.push(p.a.managerId);
  return ids;
}

/** People already read, by `_id` (the sweep's PeopleCache). */
export interface PeopleLookup {
  get(id: string | null | undefined): Person | null;
}

function learnerOf(p: PendingReminder, people: PeopleLookup): Person | null {
  const a = p.a;
  return hasPersonCopy(a)
    ? { _id: a.userId, name: a.name, email: a.email, active: a.active, locale: a.locale ?? '' }
    : people.get(a.userId);
}

/** What a reminder's message needs of the site: the courses (and in each language), the address, the sender. */
export interface ReminderSite {
  courses: Map<string, Course>;
  baseUrl: string;
  org: MailOrganisation;
  /** The course served in a language (the catalogue): its title in the recipient's language. */
  catalogue?: Pick<Catalogue, 'inLanguage'>;
}

/** The course as the recipient would read it: its served translation in their language, else the source. */
function courseFor(site: ReminderSite, course: Course, lang: Language): Course {
  if (lang === SOURCE_LANGUAGE || !site.catalogue) return course;
  return site.catalogue.inLanguage(course.id, lang).course ?? course;
}

/** The message for one claimed reminder, or null when nobody active can receive it. */
export function reminderMail(
  p: PendingReminder,
  people: PeopleLookup,
  site: ReminderSite,
  spacedClauses: readonly string[] = [],
): OutgoingMail | null {
  const learner = learnerOf(p, people);
  if (!learner?.active) return null;
  const manager = p.plan.toManager ? people.get(p.a.managerId) : null;
  const managerOk = manager?.active ? manager : null;
  if (p.plan.kind === 'escalation' && !managerOk) return null;
  // In the language of whom it is addressed to: the manager for an escalation, else the learner.
  const lang = recipientLanguage(p.plan.kind === 'escalation' ? managerOk : learner, site.org);
  const course = courseFor(site, site.courses.get(p.a.courseId)!, lang);
  const body = reminderMessage({
    lang,
    kind: p.plan.kind,
    personName: learner.name,
    courseTitle: course.title,
    dueAt: p.dueAt,
    cycleNo: p.doc.cycleNo,
    requirement: p.requirement,
    policyVersion: course.policyVersion,
    link: `${site.baseUrl}/learn/${course.id}`,
    managerName: managerOk?.name ?? null,
    org: site.org,
    spaced:
      p.plan.kind === 'spaced'
        ? {
            clauseTitles: clauseTitles(course, spacedClauses),
            link: `${site.baseUrl}/learn/${course.id}/practice`,
          }
        : null,
  });
  const toManager = p.plan.kind === 'escalation';
  return {
    id: p.doc._id,
    to: [toManager ? managerOk!.email : learner.email],
    cc: managerOk ? [toManager ? learner.email : managerOk.email] : [],
    ...body,
    kind: p.plan.kind,
    reminderId: p.doc._id,
  };
}

function clauseTitles(course: Course, ids: readonly string[]): string[] {
  return ids.map((id) => course.clauses.find((c) => c.id === id)?.title ?? id);
}
