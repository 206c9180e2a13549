import { randomBytes } from 'node:crypto';
import { ORG_LOGO_ID, ORG_PROFILE_ID, orgLogoDraftKey } from '../../db/keys.js';
import type { Models } from '../../db/models/index.js';
import type { OrgProfileDoc } from '../../db/models/organisation.js';
import { NotFound } from '../../domain/errors.js';
import {
  DEFAULT_PROFILE,
  type FieldError,
  type LogoInfo,
  type OrgProfile,
  type OrgProfileForm,
  type OrgProfileValues,
  parseProfileForm,
  profileChanges,
} from '../../domain/org-profile.js';
import type { ServiceContext } from '../context.js';
import { announceSettingChanged } from '../settings-announce.js';
import { type CheckedLogo, checkLogo } from './logo.js';

/** A preview is kept this long; saving an older one asks the admin to submit the form again. */
export const DRAFT_MINUTES = 60;

// Every page shows the profile: this process keeps it, refreshed on its own saves at once and on
// another instance's within a second (the change feed: forgetProfile); the re-read after CACHE_MS
// only covers a change feed that is failing.
const CACHE_MS = 30_000;
const cache = new WeakMap<Models, { profile: OrgProfile; readAt: number }>();

/** Forgets this process's copy (another instance saved the profile): the next page reads it. */
export function forgetProfile(models: Models): void {
  cache.delete(models);
}

/** The profile a stored document holds (the neutral default when none is saved). */
export function profileFromDoc(doc: OrgProfileDoc | null): OrgProfile {
  if (!doc) return DEFAULT_PROFILE;
  const { _id, ...profile } = doc;
  return profile;
}

/** The saved profile (the neutral default before an admin saves one). */
export async function currentProfile(
  ctx: Pick<ServiceContext, 'models'>,
  _input: Record<string, never> = {},
): Promise<OrgProfile> {
  const hit = cache.get(ctx.models);
  if (hit && performance.now() - hit.readAt < CACHE_MS) return hit.profile;
  const profile = profileFromDoc(
    await ctx.models.OrgProfile.findOne({ _id: ORG_PROFILE_ID }).lean<OrgProfileDoc>(),
  );
  cache.set(ctx.models, { profile, readAt: performance.now() });
  return profile;
}

/** A lean read gives BSON Binary for a Buffer field: its `buffer` holds the bytes. */
function bytesOf(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Buffer.from((data as { buffer: Uint8Array }).buffer);
}

async function storeLogo(models: Models, id: string, logo: CheckedLogo, now: Date) {
  const doc = {
    contentType: logo.info.contentType,
    sha256: logo.info.sha256,
    data: logo.data,
    createdAt: now,
  };
  await models.OrgLogo.replaceOne({ _id: id }, { _id: id, ...doc }, { upsert: true });
}

/** Writes the profile (and the new logo's bytes), audits what changed, and refreshes this process's copy. */
export async function saveProfile(
  ctx: ServiceContext,
  input: { actorId: string; values: OrgProfileValues; logo: CheckedLogo | null; now: Date },
): Promise<OrgProfile> {
  const { actorId, values, now } = input;
  const before = await currentProfile(ctx);
  if (input.logo) await storeLogo(ctx.models, ORG_LOGO_ID, input.logo, now);
  const logo = input.logo?.info ?? before.logo;
  const profile: OrgProfile = { ...values, logo, updatedAt: now, updatedBy: actorId };
  await ctx.models.OrgProfile.replaceOne(
    { _id: ORG_PROFILE_ID },
    { _id: ORG_PROFILE_ID, ...profile },
    { upsert: true },
  );
  cache.set(ctx.models, { profile, readAt: performance.now() });
  // The courses as served name the organisation: this process shows the new values at once.
  await ctx.catalogue.refresh({ force: true });
  await announceSettingChanged(ctx, 'profile');
  await ctx.audit.append(
    {
      actorId,
      action: 'org.profile.changed',
      targetType: 'organisation',
      targetId: ORG_PROFILE_ID,
      details: { changes: profileChanges(before, profile) },
    },
    now,
  );
  return profile;
}

type PreviewOutcome = { ok: true; draftId: string } | { ok: false; errors: FieldError[] };

/**
 * Checks the admin's form and upload and keeps them as a draft for the preview page (nothing of the
 * profile changes). Without a new file, the logo pending in the admin's previous draft carries over.
 */
export async function previewProfile(
  ctx: ServiceContext,
  input: {
    actorId: string;
    form: OrgProfileForm;
    upload: Buffer | null;
    previousDraftId?: string;
    now: Date;
  },
): Promise<PreviewOutcome> {
  const { actorId, now } = input;
  const parsed = parseProfileForm(input.form);
  const errors = parsed.ok ? [] : [...parsed.errors];
  const checked = input.upload && input.upload.length > 0 ? checkLogo(input.upload) : null;
  if (checked && !checked.ok)
    errors.push({ field: 'logo', message: checked.message, values: checked.values });
  if (!parsed.ok || errors.length > 0) return { ok: false, errors };
  await dropExpiredDrafts(ctx.models, now);
  const draftId = randomBytes(16).toString('hex');
  let logo: LogoInfo | null = null;
  if (checked?.ok) {
    await storeLogo(ctx.models, orgLogoDraftKey(draftId), checked.logo, now);
    logo = checked.logo.info;
  } else if (input.previousDraftId) {
    logo = await carryDraftLogo(ctx, { fromId: input.previousDraftId, toId: draftId, actorId, now });
  }
  await ctx.models.OrgProfileDraft.create({
    _id: draftId,
    createdBy: actorId,
    createdAt: now,
    values: parsed.values,
    logo,
  });
  return { ok: true, draftId };
}

async function carryDraftLogo(
  ctx: ServiceContext,
  input: { fromId: string; toId: string; actorId: string; now: Date },
): Promise<LogoInfo | null> {
  const previous = await ctx.models.OrgProfileDraft.findOne({ _id: input.fromId }).lean();
  if (!previous || previous.createdBy !== input.actorId || !previous.logo) return null;
  const bytes = await ctx.models.OrgLogo.findOne({ _id: orgLogoDraftKey(input.fromId) }).lean();
  if (!bytes) return null;
  const data = bytesOf(bytes.data);
  await storeLogo(ctx.models, orgLogoDraftKey(input.toId), { info: previous.logo, data }, input.now);
  return previous.logo;
}

async function dropExpiredDrafts(models: Models, now: Date) {
  const cutoff = new Date(now.getTime() - DRAFT_MINUTES * 60_000);
  const stale = await models.OrgProfileDraft.find({ createdAt: { $lt: cutoff } }, { _id: 1 }).lean();
  if (stale.length === 0) return;
  const ids = stale.map((d) => d._id);
  await models.OrgProfileDraft.deleteMany({ _id: { $in: ids } });
  await models.OrgLogo.deleteMany({ _id: { $in: ids.map(orgLogoDraftKey) } });
}

/** An admin's own unexpired draft, with the saved profile to compare; 404 for anyone else's or a stale one. */
export async function profileDraft(
  ctx: ServiceContext,
  input: { draftId: string; actorId: string; now: Date },
) {
  const draft = await ctx.models.OrgProfileDraft.findOne({ _id: input.draftId }).lean();
  const expired = draft && input.now.getTime() - draft.createdAt.getTime() > DRAFT_MINUTES * 60_000;
  if (!draft || draft.createdBy !== input.actorId || expired)
    throw new NotFound('admin.org.errors.previewGone');
  return { draftId: draft._id, values: draft.values, logo: draft.logo, current: await currentProfile(ctx) };
}

/** Saves exactly what the admin previewed, then forgets the draft. */
export async function saveProfileDraft(
  ctx: ServiceContext,
  input: { draftId: string; actorId: string; now: Date },
): Promise<OrgProfile> {
  const draft = await profileDraft(ctx, input);
  let logo: CheckedLogo | null = null;
  if (draft.logo) {
    const bytes = await ctx.models.OrgLogo.findOne({ _id: orgLogoDraftKey(draft.draftId) }).lean();
    if (!bytes) throw new NotFound('admin.org.errors.previewGone');
    logo = { info: draft.logo, data: bytesOf(bytes.data) };
  }
  const profile = await saveProfile(ctx, {
    actorId: input.actorId,
    values: draft.values,
    logo,
    now: input.now,
  });
  await ctx.models.OrgProfileDraft.deleteOne({ _id: draft.draftId });
  await ctx.models.OrgLogo.deleteOne({ _id: orgLogoDraftKey(draft.draftId) });
  return profile;
}

/** The saved logo's bytes, or a draft's (its owner only). */
export async function logoFile(
  ctx: ServiceContext,
  input: { draft?: { draftId: string; actorId: string; now: Date } },
) {
  if (input.draft) await profileDraft(ctx, input.draft);
  const id = input.draft ? orgLogoDraftKey(input.draft.draftId) : ORG_LOGO_ID;
  const doc = await ctx.models.OrgLogo.findOne({ _id: id }).lean();
  if (!doc) throw new NotFound('admin.org.errors.noLogo');
  return { contentType: doc.contentType, sha256: doc.sha256, data: bytesOf(doc.data) };
}
