import { randomBytes } from 'node:crypto';
import type { CourseSettingsDoc, PolicyCampaign } from '../../db/models/hr.js';
import type { Models } from '../../db/models/index.js';
import type { FieldError } from '../../domain/assignment-rules.js';
import type { Course } from '../../domain/course.js';
import {
  type CourseSettingsInput,
  parseRenewalForm,
  parseSettingsForm,
  type RenewalForm,
  type RenewalRequirement,
  type SettingsForm,
} from '../../domain/course-settings.js';
import { utcDay } from '../../domain/dates.js';
import { NotFound } from '../../domain/errors.js';
import type { RecertificationPolicy } from '../../domain/recertification.js';
import { REMINDER_DEFAULTS } from '../../domain/reminders.js';
import type { ServiceContext } from '../context.js';

/** A course's settings as the settings page shows them. */
export type CourseSettings = CourseSettingsDoc;

/** HR's settings for a course; until HR saves any, the course's own defaults. */
export function defaultSettings(course: Course, now: Date): CourseSettingsDoc {
  const r = course.recertification;
  return {
    _id: course.id,
    validityMonths: r.validityMonths,
    windowDays: r.windowDays,
    expiryBasis: r.expiryBasis,
    cycleKind: r.cycle.kind,
    calendarMonth: r.cycle.kind === 'calendar' ? r.cycle.month : null,
    calendarDay: r.cycle.kind === 'calendar' ? r.cycle.day : null,
    graceDays: r.graceDays,
    reminders: { ...REMINDER_DEFAULTS },
    retired: false,
    testOut: true,
    spacedEveryMonths: 0,
    campaign: null,
    updatedAt: now,
    updatedBy: null,
  };
}

export function policyOf(s: CourseSettingsDoc): RecertificationPolicy {
  return {
    validityMonths: s.validityMonths,
    windowDays: s.windowDays,
    expiryBasis: s.expiryBasis,
    graceDays: s.graceDays,
    cycle:
      s.cycleKind === 'calendar' && s.calendarMonth && s.calendarDay
        ? { kind: 'calendar', month: s.calendarMonth, day: s.calendarDay }
        : { kind: 'rolling' },
  };
}

export async function loadSettings(models: Models, course: Course, now: Date): Promise<CourseSettingsDoc> {
  return (
    (await models.CourseSettings.findById(course.id).lean<CourseSettingsDoc>()) ??
    defaultSettings(course, now)
  );
}

/** The refresher rules in force for a course (what completion should pass to `expiryFor`). */
export async function recertificationPolicy(
  models: Models,
  course: Course,
  now: Date,
): Promise<RecertificationPolicy> {
  return policyOf(await loadSettings(models, course, now));
}

/** Settings of every loaded course, one read each by `_id`. */
export async function loadAllSettings(
  models: Models,
  courses: Map<string, Course>,
  now: Date,
): Promise<Map<string, CourseSettingsDoc>> {
  const entries = await Promise.all(
    [...courses.values()].map(async (c) => [c.id, await loadSettings(models, c, now)] as const),
  );
  return new Map(entries);
}

function settingsCourse(ctx: ServiceContext, courseId: string): Course {
  const course = ctx.courses.get(courseId);
  if (!course) throw new NotFound('hr.assign.errors.noCourse');
  return course;
}

/** A course and its settings, for the settings page. */
export async function courseSettings(
  ctx: ServiceContext,
  input: { courseId: string; now: Date },
): Promise<{ course: Course; settings: CourseSettings }> {
  const course = settingsCourse(ctx, input.courseId);
  return { course, settings: await loadSettings(ctx.models, course, input.now) };
}

/** Saves HR's settings (one document per course, replaced whole) and audits the change. */
export async function saveSettings(
  ctx: ServiceContext,
  input: { actorId: string; courseId: string; settings: CourseSettingsInput; now: Date },
): Promise<void> {
  const { actorId, settings, now } = input;
  const course = settingsCourse(ctx, input.courseId);
  const before = await loadSettings(ctx.models, course, now);
  await ctx.models.CourseSettings.updateOne(
    { _id: course.id },
    // The campaign is not part of the form: keep the stored one (or none).
    { $set: { ...settings, campaign: before.campaign, updatedAt: now, updatedBy: actorId } },
    { upsert: true },
  );
  await ctx.audit.append(
    {
      actorId,
      action: 'course.settings.changed',
      targetType: 'course',
      targetId: course.id,
      details: { before: { ...before, campaign: undefined }, after: settings },
    },
    now,
  );
}

/** What a settings page re-shows after a form with errors. */
export type SettingsFormResult =
  | { ok: true }
  | { ok: false; course: Course; settings: CourseSettings; errors: FieldError[] };

/**
 * HR's settings form: saved when every field reads, else the errors and the settings as typed
 * (over the stored ones) for the page to show again.
 */
export async function saveSettingsFromForm(
  ctx: ServiceContext,
  input: { actorId: string; courseId: string; form: SettingsForm; now: Date },
): Promise<SettingsFormResult> {
  const course = settingsCourse(ctx, input.courseId);
  const { settings, errors } = parseSettingsForm(input.form);
  if (errors.length) {
    const stored = await loadSettings(ctx.models, course, input.now);
    return { ok: false, course, settings: { ...stored, ...settings }, errors };
  }
  await saveSettings(ctx, { actorId: input.actorId, courseId: course.id, settings, now: input.now });
  return { ok: true };
}

/**
 * Asks everyone who completed the course before now to renew: re-attest only, or retake in full, by
 * `dueAt`. The sweep opens the new cycle for each person (idempotently: it compares the cycle's
 * opening time with the request's), so a 100k-person request is not done inside a web request.
 */
export async function requestRenewal(
  ctx: ServiceContext,
  input: {
    actorId: string;
    courseId: string;
    requirement: RenewalRequirement;
    dueAt: Date;
    reason: string;
    now: Date;
    /** A caller that may repeat the request (a policy publish completed after a crash) names the campaign. */
    id?: string;
  },
): Promise<PolicyCampaign> {
  const { actorId, now } = input;
  const course = settingsCourse(ctx, input.courseId);
  const settings = await loadSettings(ctx.models, course, now);
  const campaign: PolicyCampaign = {
    id: input.id ?? randomBytes(8).toString('hex'),
    requirement: input.requirement,
    dueAt: utcDay(input.dueAt),
    createdAt: now,
    createdBy: actorId,
    reason: input.reason,
  };
  const { _id, ...rest } = settings;
  await ctx.models.CourseSettings.updateOne(
    { _id: course.id },
    { $set: { ...rest, campaign, updatedAt: now, updatedBy: actorId } },
    { upsert: true },
  );
  await ctx.audit.append(
    {
      actorId,
      action: 'course.renewal.requested',
      targetType: 'course',
      targetId: course.id,
      details: {
        requirement: campaign.requirement,
        dueAt: campaign.dueAt,
        reason: campaign.reason,
        version: course.version,
      },
    },
    now,
  );
  return campaign;
}

/** HR's renewal form: requested when it reads, else the errors and the stored settings for the page. */
export async function requestRenewalFromForm(
  ctx: ServiceContext,
  input: { actorId: string; courseId: string; form: RenewalForm; now: Date },
): Promise<SettingsFormResult> {
  const course = settingsCourse(ctx, input.courseId);
  const parsed = parseRenewalForm(input.form, input.now);
  if ('errors' in parsed) {
    const settings = await loadSettings(ctx.models, course, input.now);
    return { ok: false, course, settings, errors: parsed.errors };
  }
  await requestRenewal(ctx, {
    actorId: input.actorId,
    courseId: course.id,
    ...parsed.renewal,
    now: input.now,
  });
  return { ok: true };
}
