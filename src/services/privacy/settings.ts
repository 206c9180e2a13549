import { RETENTION_SETTINGS_ID, type RetentionSettingsDoc } from '../../db/models/privacy.js';
import type { UserDoc } from '../../db/models/user.js';
import type { FieldError } from '../../domain/person-form.js';
import {
  DEFAULT_RETENTION,
  type ErasureSubject,
  leavingDay,
  RETENTION_LIMITS,
  type RetentionSettings,
  withRetentionDefaults,
} from '../../domain/retention.js';
import type { ServiceContext } from '../context.js';

/** The settings page: the settings in force and what the last nightly run did. */
export async function retentionPage(ctx: Pick<ServiceContext, 'models'>, _input: Record<string, never> = {}) {
  const doc = await ctx.models.RetentionSettings.findById(RETENTION_SETTINGS_ID).lean<RetentionSettingsDoc>();
  return { settings: withRetentionDefaults(doc), lastRun: doc?.lastRun ?? null, limits: RETENTION_LIMITS };
}

/** The retention settings in force: the stored document completed with the defaults. */
export async function loadRetentionSettings(ctx: Pick<ServiceContext, 'models'>): Promise<RetentionSettings> {
  const doc = await ctx.models.RetentionSettings.findById(RETENTION_SETTINGS_ID).lean<RetentionSettingsDoc>();
  return withRetentionDefaults(doc);
}

/**
 * The facts `erasureDuty` decides on, or null for no such person. Training records are a started
 * cycle, an attestation or a certificate: what an auditor may ask to see after the person left.
 */
export async function loadErasureSubject(
  ctx: Pick<ServiceContext, 'models'>,
  userId: string,
): Promise<ErasureSubject | null> {
  const { models } = ctx;
  const user = await models.User.findById(userId, { active: 1, leftAt: 1, updatedAt: 1 }).lean<
    Pick<UserDoc, 'active' | 'leftAt' | 'updatedAt'>
  >();
  if (!user) return null;
  const [cycle, attestation, certificate] = await Promise.all([
    models.Cycle.exists({ userId, startedAt: { $ne: null } }),
    models.Attestation.exists({ userId }),
    models.Certificate.exists({ userId }),
  ]);
  return {
    active: user.active,
    // Before the nightly backfill has given an old leaver a leaving day, the day it will give them.
    leftAt: leavingDay(user),
    hasTrainingRecords: Boolean(cycle || attestation || certificate),
  };
}

/** The settings page's fields as typed (strings), so a refused form is shown again as it was sent. */
export type RetentionForm = Record<keyof RetentionSettings, string>;

/** A field's problem: a message key of the admin catalogue and its values. */
export type RetentionFieldError = FieldError & { values?: Record<string, string | number> };
export type RetentionFormResult = { ok: true } | { ok: false; errors: RetentionFieldError[] };

const FIELD_UNITS: Record<keyof RetentionSettings, string> = {
  recordsYearsAfterLeaving: 'years',
  quizAnswerMonths: 'months',
  sessionDays: 'days',
  outboxDays: 'days',
};

/** Each field a whole number within its bounds, or the errors to show next to the fields. */
export function parseRetentionForm(
  form: RetentionForm,
): { settings: RetentionSettings } | { errors: RetentionFieldError[] } {
  const errors: RetentionFieldError[] = [];
  const settings = { ...DEFAULT_RETENTION };
  for (const key of Object.keys(DEFAULT_RETENTION) as Array<keyof RetentionSettings>) {
    const { min, max } = RETENTION_LIMITS[key];
    const text = (form[key] ?? '').trim();
    const n = /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
    if (Number.isInteger(n) && n >= min && n <= max) settings[key] = n;
    else
      errors.push({
        field: key,
        message: 'admin.retention.errors.range',
        values: { unit: FIELD_UNITS[key], min, max },
      });
  }
  return errors.length ? { errors } : { settings };
}

/** Saves the admin's settings (one document) and audits the change with the values before and after. */
export async function saveRetentionSettings(
  ctx: ServiceContext,
  input: { actorId: string; form: RetentionForm; now: Date },
): Promise<RetentionFormResult> {
  const parsed = parseRetentionForm(input.form);
  if ('errors' in parsed) return { ok: false, errors: parsed.errors };
  const before = await loadRetentionSettings(ctx);
  await ctx.models.RetentionSettings.updateOne(
    { _id: RETENTION_SETTINGS_ID },
    { $set: { ...parsed.settings, updatedAt: input.now, updatedBy: input.actorId } },
    { upsert: true },
  );
  await ctx.audit.append(
    {
      actorId: input.actorId,
      action: 'retention.settings.changed',
      targetType: 'retention',
      targetId: RETENTION_SETTINGS_ID,
      details: { before: { ...before }, after: { ...parsed.settings } },
    },
    input.now,
  );
  return { ok: true };
}
