import { Schema } from 'mongoose';
import type { RuleDue, RuleTarget } from '../../domain/assignment-rules.js';
import type { PlannedPerson, RowReason } from '../../domain/people-csv.js';

export type { RuleDue, RuleTarget };

/**
 * HR records (people import, assignment rules, course settings, reminders, outbox).
 *   course_settings   `<courseId>`                                  HR's refresher and reminder settings
 *   assignment_rules  random id                                     who gets a course and when it is due
 *   reminders         `<userId>:<courseId>:<cycleNo>:<kind>:<day>`  inserted BEFORE a send: the exactly-once record
 *   outbox            random id                                     mail stored when no SMTP server is configured
 *   import_previews   random id                                     a dry-run import, applied exactly as previewed
 */

export interface ReminderSettings {
  onAssignment: boolean;
  /** Days before the due day for the "due soon" reminder; 0 = none. */
  daysBeforeDue: number;
  onDueDate: boolean;
  /** Repeat while overdue every N days until done; 0 = one overdue notice only. */
  overdueEveryDays: number;
  /** Copy the manager once overdue for N days; 0 = never. */
  escalateAfterDays: number;
}

/** A request that everyone renew now because the policy changed (re-attest only, or retake). */
export interface PolicyCampaign {
  id: string;
  requirement: 'full' | 'attest-only';
  dueAt: Date;
  createdAt: Date;
  createdBy: string | null;
  reason: string;
}

export interface CourseSettingsDoc {
  _id: string;
  validityMonths: number;
  windowDays: number;
  expiryBasis: 'completion' | 'previousExpiry';
  cycleKind: 'rolling' | 'calendar';
  calendarMonth: number | null;
  calendarDay: number | null;
  graceDays: number;
  reminders: ReminderSettings;
  /** Retired courses get no reminders and no new cycles; history stays. */
  retired: boolean;
  campaign: PolicyCampaign | null;
  /**
   * Refresher cycles start with a test-out pre-assessment (issue #23): clauses the learner still
   * knows are skipped. Absent = on.
   */
  testOut?: boolean;
  /** Months between five-minute spaced refreshers between cycles; 0 or absent = off. */
  spacedEveryMonths?: number;
  updatedAt: Date;
  updatedBy: string | null;
}

const reminderSettingsSchema = new Schema<ReminderSettings>(
  {
    onAssignment: { type: Boolean, default: true },
    daysBeforeDue: { type: Number, default: 7 },
    onDueDate: { type: Boolean, default: true },
    overdueEveryDays: { type: Number, default: 7 },
    escalateAfterDays: { type: Number, default: 14 },
  },
  { _id: false },
);

const campaignSchema = new Schema<PolicyCampaign>(
  {
    id: { type: String, required: true },
    requirement: { type: String, required: true },
    dueAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, default: null },
    reason: { type: String, default: '' },
  },
  { _id: false },
);

export const courseSettingsSchema = new Schema<CourseSettingsDoc>(
  {
    _id: { type: String, required: true },
    validityMonths: { type: Number, required: true },
    windowDays: { type: Number, required: true },
    expiryBasis: { type: String, required: true },
    cycleKind: { type: String, required: true },
    calendarMonth: { type: Number, default: null },
    calendarDay: { type: Number, default: null },
    graceDays: { type: Number, required: true },
    reminders: { type: reminderSettingsSchema, required: true },
    retired: { type: Boolean, default: false },
    campaign: { type: campaignSchema, default: null },
    testOut: { type: Boolean, default: true },
    spacedEveryMonths: { type: Number, default: 0 },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, default: null },
  },
  { collection: 'course_settings', versionKey: false },
);

export interface AssignmentRuleDoc {
  _id: string;
  courseId: string;
  target: RuleTarget;
  due: RuleDue;
  /** People who match later are caught by the sweep; when set, only if hired within this many days. */
  newHireWithinDays: number | null;
  active: boolean;
  createdAt: Date;
  createdBy: string | null;
}

export const assignmentRuleSchema = new Schema<AssignmentRuleDoc>(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true },
    target: { type: Schema.Types.Mixed, required: true },
    due: { type: Schema.Types.Mixed, required: true },
    newHireWithinDays: { type: Number, default: null },
    active: { type: Boolean, default: true },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, default: null },
  },
  { collection: 'assignment_rules', versionKey: false, minimize: false },
);

export interface ReminderDoc {
  _id: string;
  userId: string;
  courseId: string;
  cycleNo: number;
  kind: string;
  day: string;
  /** A spaced refresher's clauses, as its e-mail named them (the practice page draws from them). */
  clauses?: string[];
  createdAt: Date;
}

export const reminderSchema = new Schema<ReminderDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    courseId: { type: String, required: true },
    cycleNo: { type: Number, required: true },
    kind: { type: String, required: true },
    day: { type: String, required: true },
    clauses: { type: [String], default: undefined },
    createdAt: { type: Date, required: true },
  },
  { collection: 'reminders', versionKey: false },
);

export interface OutboxDoc {
  _id: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string;
  kind: string;
  reminderId: string | null;
  createdAt: Date;
}

export const outboxSchema = new Schema<OutboxDoc>(
  {
    _id: { type: String, required: true },
    to: { type: [String], default: [] },
    cc: { type: [String], default: [] },
    subject: { type: String, required: true },
    text: { type: String, required: true },
    html: { type: String, required: true },
    kind: { type: String, required: true },
    reminderId: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'outbox', versionKey: false },
);

/** A person's fields as the import will write them; the manager is already resolved to an id. */
export type ImportPerson = PlannedPerson;

export interface ImportChange {
  line: number;
  action: 'create' | 'update';
  /** The existing person's id for updates; a pre-chosen id for creates, so a retry creates the same person. */
  userId: string;
  person: ImportPerson;
  /** Field names that change (updates). */
  fields: string[];
}

export interface ImportPreviewDoc {
  _id: string;
  createdBy: string;
  createdAt: Date;
  fileName: string;
  deactivateMissing: boolean;
  changes: ImportChange[];
  unchanged: number;
  /** Reasons are catalogue keys with values; a preview stored before that holds English text. */
  rejected: Array<{ line: number; email: string; reasons: Array<RowReason | string> }>;
  deactivate: Array<{ userId: string; email: string; name: string }>;
  appliedAt: Date | null;
}

export const importPreviewSchema = new Schema<ImportPreviewDoc>(
  {
    _id: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    fileName: { type: String, default: '' },
    deactivateMissing: { type: Boolean, default: false },
    changes: { type: Schema.Types.Mixed, default: [] },
    unchanged: { type: Number, default: 0 },
    rejected: { type: Schema.Types.Mixed, default: [] },
    deactivate: { type: Schema.Types.Mixed, default: [] },
    appliedAt: { type: Date, default: null },
  },
  { collection: 'import_previews', versionKey: false, minimize: false },
);
