import { RETENTION_SETTINGS_ID, type RetentionSettingsDoc } from '../../db/models/privacy.js';
import type { UserDoc } from '../../db/models/user.js';
import {
  type ErasureSubject,
  type RetentionSettings,
  withRetentionDefaults,
} from '../../domain/retention.js';
import type { ServiceContext } from '../context.js';

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
  const user = await models.User.findById(userId, { active: 1, leftAt: 1 }).lean<
    Pick<UserDoc, 'active' | 'leftAt'>
  >();
  if (!user) return null;
  const [cycle, attestation, certificate] = await Promise.all([
    models.Cycle.exists({ userId, startedAt: { $ne: null } }),
    models.Attestation.exists({ userId }),
    models.Certificate.exists({ userId }),
  ]);
  return {
    active: user.active,
    leftAt: user.leftAt ?? null,
    hasTrainingRecords: Boolean(cycle || attestation || certificate),
  };
}
