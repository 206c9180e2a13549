import { randomBytes } from 'node:crypto';
import type { CourseSettingsDoc, PolicyCampaign } from '../../db/models/hr.js';
import type { Models } from '../../db/models/index.js';
import type { Course } from '../../domain/course.js';
import { utcDay } from '../../domain/dates.js';
import type { RecertificationPolicy } from '../../domain/recertification.js';
import { REMINDER_DEFAULTS } from '../../domain/reminders.js';
import type { AuditLog } from '../audit/log.js';

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
  now = new Date(),
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

export type SettingsInput = Omit<CourseSettingsDoc, '_id' | 'campaign' | 'updatedAt' | 'updatedBy'>;

/** Saves HR's settings (one document per course, replaced whole) and audits the change. */
export async function saveSettings(
  deps: { models: Models; audit: AuditLog },
  course: Course,
  input: SettingsInput,
  actorId: string,
  now: Date,
): Promise<void> {
  const before = await loadSettings(deps.models, course, now);
  await deps.models.CourseSettings.updateOne(
    { _id: course.id },
    // The campaign is not part of the form: keep the stored one (or none).
    { $set: { ...input, campaign: before.campaign, updatedAt: now, updatedBy: actorId } },
    { upsert: true },
  );
  await deps.audit.append(
    {
      actorId,
      action: 'course.settings.changed',
      targetType: 'course',
      targetId: course.id,
      details: { before: { ...before, campaign: undefined }, after: input },
    },
    now,
  );
}

/**
 * Asks everyone who completed the course before now to renew: re-attest only, or retake in full, by
 * `dueAt`. The sweep opens the new cycle for each person (idempotently: it compares the cycle's
 * opening time with the request's), so a 100k-person request is not done inside a web request.
 */
export async function requestRenewal(
  deps: { models: Models; audit: AuditLog },
  course: Course,
  input: { requirement: PolicyCampaign['requirement']; dueAt: Date; reason: string },
  actorId: string,
  now: Date,
): Promise<PolicyCampaign> {
  const settings = await loadSettings(deps.models, course, now);
  const campaign: PolicyCampaign = {
    id: randomBytes(8).toString('hex'),
    requirement: input.requirement,
    dueAt: utcDay(input.dueAt),
    createdAt: now,
    createdBy: actorId,
    reason: input.reason,
  };
  const { _id, ...rest } = settings;
  await deps.models.CourseSettings.updateOne(
    { _id: course.id },
    { $set: { ...rest, campaign, updatedAt: now, updatedBy: actorId } },
    { upsert: true },
  );
  await deps.audit.append(
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
