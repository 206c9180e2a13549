import { Schema } from 'mongoose';
import { REGIONS, type Region } from '../../domain/org-profile.js';

/**
 * Training records. Hot documents have natural `_id` keys (FerretDB only indexes `_id`):
 *   assignment  `<userId>:<courseId>`            one per person and course: the current state, for dashboards
 *   cycle       `<userId>:<courseId>:<n>`        one per certification cycle; never overwritten by a later cycle
 *   lessonView  `<cycleId>:<lessonId>`           insert-once: the durable record that a lesson was viewed
 *   progress    `<cycleId>`                      summary for fast pages: viewed lessons and where to resume
 */

export type AssignmentSource = 'self' | 'individual' | 'department' | 'everyone' | 'rule';
export type CycleRequirement = 'full' | 'attest-only';

export interface AssignmentDoc {
  _id: string;
  userId: string;
  courseId: string;
  /** Copied from the person when written, so reports filter without a join. */
  department: string;
  managerId: string | null;
  /**
   * The person's name and e-mail, copied like the department: the sweep's reminders and action
   * lists then need no read of the person. Empty on assignments written before the copy existed;
   * readers look those people up instead.
   */
  name: string;
  email: string;
  /**
   * The person's region, copied like the department: the learner's pages show the jurisdiction
   * notices from it without reading the person. Absent means no region: the field is as new as
   * the person's region (domain/person-copy.ts).
   */
  region?: Region | null;
  /**
   * The language the person chose (`locale`, '' = none), copied like the name: the sweep's
   * reminders are written in it without reading the person. Filled once at start on assignments
   * written before the copy (db/assignment-locales.ts); absent reads as none.
   */
  locale?: string;
  source: AssignmentSource;
  ruleId: string | null;
  assignedAt: Date;
  assignedBy: string | null;
  /** False when HR removed the assignment or the person left; history stays. */
  active: boolean;
  /** Number of the current cycle (1-based). */
  cycleNo: number;
  /** Copied from the current cycle, so lists read one document per person. */
  dueAt: Date | null;
  /**
   * The current cycle's requirement, copied when the sweep opens it, so its later reminders of an
   * attest-only cycle ask for a re-attestation. Absent on assignments from before the copy: 'full'.
   */
  requirement?: CycleRequirement;
  /** Summary state from the cycle rules, maintained on write and by the sweep. */
  state: string;
  completedAt: Date | null;
  expiresAt: Date | null;
  updatedAt: Date;
}

export const assignmentSchema = new Schema<AssignmentDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    courseId: { type: String, required: true },
    department: { type: String, default: '' },
    managerId: { type: String, default: null },
    name: { type: String, default: '' },
    email: { type: String, default: '' },
    region: { type: String, enum: [...REGIONS, null], default: null },
    locale: { type: String, default: '' },
    source: { type: String, required: true },
    ruleId: { type: String, default: null },
    assignedAt: { type: Date, required: true },
    assignedBy: { type: String, default: null },
    active: { type: Boolean, default: true },
    cycleNo: { type: Number, required: true, default: 1 },
    dueAt: { type: Date, default: null },
    requirement: { type: String },
    state: { type: String, default: 'not-started' },
    completedAt: { type: Date, default: null },
    expiresAt: { type: Date, default: null },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'assignments', versionKey: false },
);

export interface CycleDoc {
  _id: string;
  userId: string;
  courseId: string;
  n: number;
  openedAt: Date;
  dueAt: Date | null;
  /** A new policy version may ask only for re-attestation. */
  requirement: CycleRequirement;
  /** Content version the learner started this cycle on. */
  contentVersion: string;
  startedAt: Date | null;
  /** Set once from the passing attempt (the attempt result insert is the exactly-once guard). */
  passedAt: Date | null;
  passedAttemptId: string | null;
  score: number | null;
  /** HR-granted attempts on top of the course's maximum (audited). */
  extraAttempts: number;
  /** Set when the last allowed quiz attempt failed, so HR can flag the learner; cleared by a grant. */
  exhaustedAt?: Date | null;
  attestedAt: Date | null;
  attestedVersion: string | null;
  completedAt: Date | null;
  expiresAt: Date | null;
  certificateCode: string | null;
  /** A refresher cycle's path (issue #23); absent on a first cycle or with test-out off. */
  refresher?: RefresherRecord | null;
}

/**
 * Why a refresher cycle was short or long, kept on the cycle for the learner's path and the
 * evidence pack: which clauses the pre-assessment showed the learner still knows, and which they
 * studied (the weak ones and those changed since their last attestation).
 */
export interface RefresherRecord {
  /** 'pending' until the pre-assessment is graded; 'decided' after. */
  status: 'pending' | 'decided';
  /** The pre-assessment attempt (a quiz attempt with purpose 'pretest'). */
  pretestAttemptId: string | null;
  /** Clauses whose text changed since the learner's last attestation: always studied, never tested. */
  changed: string[];
  testedOut: string[];
  /** Weak and changed clauses, in course order: the lessons' sections and the quiz draw cover these. */
  study: string[];
  decidedAt: Date | null;
  /**
   * The course's published policy version when `changed` was worked out (absent on records written
   * before it was kept): a newer one means clauses may have changed since, to be studied.
   */
  policyVersion?: number;
  /** Test-out was off when the pre-assessment was graded: the full path, the check kept as evidence. */
  fullPath?: boolean;
}

export const cycleSchema = new Schema<CycleDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    courseId: { type: String, required: true },
    n: { type: Number, required: true },
    openedAt: { type: Date, required: true },
    dueAt: { type: Date, default: null },
    requirement: { type: String, default: 'full' },
    contentVersion: { type: String, required: true },
    startedAt: { type: Date, default: null },
    passedAt: { type: Date, default: null },
    passedAttemptId: { type: String, default: null },
    score: { type: Number, default: null },
    extraAttempts: { type: Number, default: 0 },
    exhaustedAt: { type: Date, default: null },
    attestedAt: { type: Date, default: null },
    attestedVersion: { type: String, default: null },
    completedAt: { type: Date, default: null },
    expiresAt: { type: Date, default: null },
    certificateCode: { type: String, default: null },
    refresher: { type: Schema.Types.Mixed, default: null },
  },
  { collection: 'cycles', versionKey: false },
);

export interface LessonViewDoc {
  _id: string;
  cycleId: string;
  userId: string;
  courseId: string;
  lessonId: string;
  at: Date;
}

export const lessonViewSchema = new Schema<LessonViewDoc>(
  {
    _id: { type: String, required: true },
    cycleId: { type: String, required: true },
    userId: { type: String, required: true },
    courseId: { type: String, required: true },
    lessonId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'lesson_views', versionKey: false },
);

export interface ProgressDoc {
  _id: string;
  userId: string;
  courseId: string;
  /** lessonId → first viewed. A cache of lesson_views for one-read pages. */
  viewed: Record<string, Date>;
  /** Where "Resume" goes, e.g. `/learn/<course>/lessons/<lesson>` or `/learn/<course>/quiz`. */
  lastLocation: string | null;
  updatedAt: Date;
}

export const progressSchema = new Schema<ProgressDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    courseId: { type: String, required: true },
    viewed: { type: Schema.Types.Mixed, default: {} },
    lastLocation: { type: String, default: null },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'progress', versionKey: false, minimize: false },
);
