import type { FieldError } from './assignment-rules.js';
import { daysInMonth, parseDay } from './dates.js';
import type { ReminderPlanSettings } from './reminders.js';

/** HR's refresher and reminder settings for a course, as the settings form saves them. */
export interface CourseSettingsInput {
  validityMonths: number;
  windowDays: number;
  expiryBasis: 'completion' | 'previousExpiry';
  cycleKind: 'rolling' | 'calendar';
  calendarMonth: number | null;
  calendarDay: number | null;
  graceDays: number;
  reminders: ReminderPlanSettings;
  /** Retired courses get no reminders and no new cycles; history stays. */
  retired: boolean;
  /** Refresher cycles start with the check of what the learner still knows (issue #23). */
  testOut: boolean;
  /** Months between five-minute spaced refreshers between cycles (issue #23); 0 = off. */
  spacedEveryMonths: number;
}

/** The course settings form, as the browser sends it (check boxes are absent when unticked). */
export interface SettingsForm {
  validityMonths: string;
  windowDays: string;
  graceDays: string;
  expiryBasis: CourseSettingsInput['expiryBasis'];
  cycleKind: CourseSettingsInput['cycleKind'];
  calendarMonth: string;
  calendarDay: string;
  onAssignment?: 'yes';
  daysBeforeDue: string;
  onDueDate?: 'yes';
  overdueEveryDays: string;
  escalateAfterDays: string;
  retired?: 'yes';
  testOut?: 'yes';
  /** Absent (a form from before the setting) or empty: off. */
  spacedEveryMonths?: string;
}

/** The whole-number range each numeric settings field accepts; the form's min/max come from here too. */
export const SETTINGS_LIMITS = {
  validityMonths: { min: 1, max: 120 },
  windowDays: { min: 0, max: 365 },
  graceDays: { min: 0, max: 365 },
  calendarMonth: { min: 1, max: 12 },
  calendarDay: { min: 1, max: 31 },
  daysBeforeDue: { min: 0, max: 365 },
  overdueEveryDays: { min: 0, max: 365 },
  escalateAfterDays: { min: 0, max: 365 },
  spacedEveryMonths: { min: 0, max: 12 },
} as const;
type LimitedField = keyof typeof SETTINGS_LIMITS;

// Messages are keys of the `courses` catalogue; the route words them in the reader's language.
function int(errors: FieldError[], field: LimitedField, text: string): number {
  const { min, max } = SETTINGS_LIMITS[field];
  const n = /^\d{1,4}$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max))
    errors.push({ field, message: 'courses.settingsErrors.wholeNumber', values: { field, min, max } });
  return n;
}

/**
 * Reads the settings form. The settings come back even with errors: the page shows them again
 * with the person's own text in each field.
 */
export function parseSettingsForm(f: SettingsForm): { settings: CourseSettingsInput; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const calendar = f.cycleKind === 'calendar';
  const month = calendar ? int(errors, 'calendarMonth', f.calendarMonth) : null;
  const day = calendar ? int(errors, 'calendarDay', f.calendarDay) : null;
  // A leap year, so 29 February is a valid calendar day.
  if (calendar && month && day && day > daysInMonth(2028, month - 1))
    errors.push({ field: 'calendarDay', message: 'courses.settingsErrors.noSuchDay' });
  const settings: CourseSettingsInput = {
    validityMonths: int(errors, 'validityMonths', f.validityMonths),
    windowDays: int(errors, 'windowDays', f.windowDays),
    graceDays: int(errors, 'graceDays', f.graceDays),
    expiryBasis: f.expiryBasis,
    cycleKind: f.cycleKind,
    calendarMonth: month,
    calendarDay: day,
    reminders: {
      onAssignment: f.onAssignment === 'yes',
      daysBeforeDue: int(errors, 'daysBeforeDue', f.daysBeforeDue),
      onDueDate: f.onDueDate === 'yes',
      overdueEveryDays: int(errors, 'overdueEveryDays', f.overdueEveryDays),
      escalateAfterDays: int(errors, 'escalateAfterDays', f.escalateAfterDays),
    },
    retired: f.retired === 'yes',
    testOut: f.testOut === 'yes',
    spacedEveryMonths: f.spacedEveryMonths?.trim()
      ? int(errors, 'spacedEveryMonths', f.spacedEveryMonths)
      : 0,
  };
  return { settings, errors };
}

/** A renewal every past completion must make: re-attest only, or retake in full. */
export type RenewalRequirement = 'full' | 'attest-only';

/** The "everyone must renew" form. */
export interface RenewalForm {
  requirement: RenewalRequirement;
  dueDate: string;
  reason: string;
}

/** Reads the renewal form: a due day today or later, and a reason for the audit log. */
export function parseRenewalForm(
  form: RenewalForm,
  now: Date,
): { renewal: { requirement: RenewalRequirement; dueAt: Date; reason: string } } | { errors: FieldError[] } {
  const dueAt = parseDay(form.dueDate);
  const errors: FieldError[] = [];
  if (!dueAt || dueAt < parseDay(now.toISOString().slice(0, 10))!) {
    errors.push({
      field: 'renewal-dueDate',
      message: 'courses.settingsErrors.dueDate',
    });
  }
  if (!form.reason.trim()) errors.push({ field: 'renewal-reason', message: 'courses.settingsErrors.reason' });
  if (errors.length || !dueAt) return { errors };
  return { renewal: { requirement: form.requirement, dueAt, reason: form.reason.trim() } };
}
