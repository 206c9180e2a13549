import { ScimError, scimPatch } from 'scim-patch';
import type { UserDoc } from '../../../db/models/user.js';
import { DuplicateUserError, newUserId, usersRepository } from '../../../db/repositories/users.js';
import { NotFound } from '../../../domain/errors.js';
import { normaliseEmail } from '../../../domain/roles.js';
import { refuseBreakGlassChange } from '../../../domain/scim/break-glass.js';
import { MAX_RESULTS } from '../../../domain/scim/discovery.js';
import { ScimProblem } from '../../../domain/scim/errors.js';
import { pageWindow, parseEqFilter } from '../../../domain/scim/filter.js';
import { normalisePatch } from '../../../domain/scim/patch.js';
import {
  type PersonFromScim,
  personFromScimUser,
  type ScimUser,
  toScimUser,
} from '../../../domain/scim/user-resource.js';
import type { ServiceContext } from '../../context.js';
import { applyRulesToPeople, createPerson, updatePerson } from '../../people/people.js';
import { ssoSettings } from '../sso/settings.js';
import { claimExternalId, personByExternalId, releaseExternalId } from './external-ids.js';

/** Who a SCIM write is audited as: the token, never a person. */
export const scimActor = (tokenId: string) => `scim:${tokenId}`;

const USER_FILTERS = ['userName', 'externalId', 'emails.value', 'emails'] as const;

export interface ScimWrite {
  tokenId: string;
  now: Date;
}

async function isDeleted(ctx: ServiceContext, id: string): Promise<boolean> {
  return Boolean(await ctx.models.ScimDeleted.findById(id, { _id: 1 }).lean());
}

/** The person behind a SCIM id; NotFound for no such person, one SCIM deleted (RFC 7644 §3.6) or one erased. */
async function personOrNotFound(ctx: ServiceContext, id: string): Promise<UserDoc> {
  const user = await usersRepository(ctx.models).findById(id);
  // An erased person is gone for SCIM as a deleted User is: a PUT must not bring their identity back.
  if (!user || user.erasedAt || (await isDeleted(ctx, id))) throw new NotFound(`No User with id ${id}.`);
  return user;
}

/** An unknown manager id is refused rather than stored: it would make the person their own root. */
async function checkManager(ctx: ServiceContext, fields: PersonFromScim, selfId?: string): Promise<void> {
  if (!fields.managerId) return;
  if (fields.managerId === selfId)
    throw new ScimProblem('invalidValue', 'A person cannot be their own manager.');
  const manager = await usersRepository(ctx.models).findById(fields.managerId);
  if (!manager)
    throw new ScimProblem('invalidValue', `The manager ${fields.managerId} is not a known User id.`);
}

function uniqueness(err: unknown): never {
  if (err instanceof DuplicateUserError)
    throw new ScimProblem(
      'uniqueness',
      err.field === 'email'
        ? 'A User with this userName already exists.'
        : 'A User with this employeeNumber already exists.',
    );
  throw err;
}

/**
 * The person whose e-mail is `userName`, by the login key's `_id` alone. Every person gets that key
 * when created or re-addressed (users repository), so a miss means no such person; a person
 * without one (written before keys existed) is caught by the e-mail's unique index on create.
 */
async function personByUserName(ctx: ServiceContext, userName: string): Promise<UserDoc | null> {
  const email = normaliseEmail(userName);
  const key = await ctx.models.LoginKey.findById(email, { userId: 1 }).lean();
  const person = key ? await usersRepository(ctx.models).findById(key.userId) : null;
  return person?.email === email ? person : null;
}

export async function scimGetUser(ctx: ServiceContext, input: { id: string }): Promise<ScimUser> {
  return toScimUser(await personOrNotFound(ctx, input.id), ctx.baseUrl);
}

/** One page of Users, optionally narrowed by one `eq` filter (userName, externalId, emails.value). */
export async function scimListUsers(
  ctx: ServiceContext,
  input: { filter?: string; startIndex?: number; count?: number },
): Promise<{ total: number; startIndex: number; resources: ScimUser[] }> {
  const { skip, limit } = pageWindow(input.startIndex, input.count, MAX_RESULTS);
  let people: UserDoc[];
  let total: number;
  if (input.filter) {
    const { attribute, value } = parseEqFilter(input.filter, USER_FILTERS);
    const found = await (attribute === 'externalId'
      ? personByExternalId(ctx, value)
      : personByUserName(ctx, value));
    const live = found && !found.erasedAt && !(await isDeleted(ctx, found._id)) ? [found] : [];
    total = live.length;
    people = live.slice(skip, skip + limit);
  } else {
    const deleted = (await ctx.models.ScimDeleted.find({}, { _id: 1 }).lean()).map((d) => d._id);
    // Erased people are left out as deleted ones are (`erasedAt: null` also matches no field).
    const where = deleted.length ? { _id: { $nin: deleted }, erasedAt: null } : { erasedAt: null };
    total = await ctx.models.User.countDocuments(where);
    people = limit
      ? await ctx.models.User.find(where).sort({ _id: 1 }).skip(skip).limit(limit).lean<UserDoc[]>()
      : [];
  }
  return { total, startIndex: skip + 1, resources: people.map((p) => toScimUser(p, ctx.baseUrl)) };
}

/**
 * Creates a person through the people service (directory, assignment rules) and audits it as the
 * token. A userName of a person SCIM deleted brings that person back (their records were kept).
 */
export async function scimCreateUser(
  ctx: ServiceContext,
  input: ScimWrite & { body: unknown },
): Promise<ScimUser> {
  const fields = personFromScimUser(input.body);
  await checkManager(ctx, fields);
  const existing = await personByUserName(ctx, fields.email ?? '');
  if (existing && (await isDeleted(ctx, existing._id))) {
    await ctx.models.ScimDeleted.deleteOne({ _id: existing._id });
    return scimApply(ctx, { ...input, user: existing, fields: { active: true, ...fields } });
  }
  if (existing) throw new ScimProblem('uniqueness', 'A User with this userName already exists.');
  const userId = newUserId();
  if (fields.externalId) await claimExternalId(ctx, fields.externalId, userId);
  const person = await createPerson(ctx, {
    person: {
      _id: userId,
      email: fields.email ?? '',
      name: fields.name ?? fields.email ?? '',
      employeeId: fields.employeeId ?? null,
      department: fields.department ?? '',
      managerId: fields.managerId ?? null,
      hireDate: null,
      locale: '',
      active: fields.active ?? true,
      externalId: fields.externalId ?? null,
    },
    actorId: scimActor(input.tokenId),
    via: 'scim',
    now: input.now,
  }).catch(async (err) => {
    if (fields.externalId) await releaseExternalId(ctx, fields.externalId, userId);
    // A person with this e-mail but no login key: findByEmail's fallback writes the key, so the
    // client's next userName lookup finds them (this scan runs only on that conflict).
    if (err instanceof DuplicateUserError && err.field === 'email')
      await usersRepository(ctx.models).findByEmail(fields.email ?? '');
    return uniqueness(err);
  });
  await applyRulesToPeople(ctx, [person], input.now);
  return toScimUser(person, ctx.baseUrl);
}

/** Writes the changes through `updatePerson` (sessions end on deactivation, assignments follow). */
async function scimApply(
  ctx: ServiceContext,
  input: ScimWrite & { user: UserDoc; fields: PersonFromScim },
): Promise<ScimUser> {
  const userId = input.user._id;
  refuseBreakGlassChange(input.user, input.fields, (await ssoSettings(ctx)).breakGlass);
  await checkManager(ctx, input.fields, userId);
  const before = input.user.externalId ?? null;
  const after = input.fields.externalId === undefined ? before : input.fields.externalId;
  const moved = after !== before;
  if (moved && after) await claimExternalId(ctx, after, userId);
  const updated = await updatePerson(ctx, {
    userId,
    changes: input.fields,
    actorId: scimActor(input.tokenId),
    now: input.now,
  }).catch(async (err) => {
    if (moved && after) await releaseExternalId(ctx, after, userId);
    return uniqueness(err);
  });
  if (!updated) throw new NotFound(`No User with id ${userId}.`);
  if (moved && before) await releaseExternalId(ctx, before, userId);
  if (updated.active) await applyRulesToPeople(ctx, [updated], input.now);
  return toScimUser(updated, ctx.baseUrl);
}

/** PUT: the attributes given replace the person's; those left out are kept (RFC 7644 §3.5.1). */
export async function scimReplaceUser(
  ctx: ServiceContext,
  input: ScimWrite & { id: string; body: unknown },
): Promise<ScimUser> {
  const user = await personOrNotFound(ctx, input.id);
  return scimApply(ctx, { ...input, user, fields: personFromScimUser(input.body) });
}

/** PATCH: the clients' dialects evened out, applied by `scim-patch` to the User, then written. */
export async function scimPatchUser(
  ctx: ServiceContext,
  input: ScimWrite & { id: string; body: unknown },
): Promise<ScimUser> {
  const user = await personOrNotFound(ctx, input.id);
  const before = toScimUser(user, ctx.baseUrl);
  const ops = normalisePatch(input.body, 'User');
  let patched: ScimUser;
  try {
    // biome-ignore lint/suspicious/noExplicitAny: scim-patch's operation type is looser than ours
    patched = scimPatch(structuredClone(before), ops as any);
  } catch (err) {
    if (err instanceof ScimError)
      throw new ScimProblem(err.scimCode === 'noTarget' ? 'noTarget' : 'invalidPath', err.message);
    throw err;
  }
  return scimApply(ctx, { ...input, user, fields: personFromScimUser(patched, before) });
}

/**
 * DELETE: the person is deactivated and hidden from SCIM; their records are kept. Their externalId
 * is given up (field and key): the identity provider may create the same person again as a new
 * User with it, and a `externalId eq` lookup must then find that one.
 */
export async function scimDeleteUser(ctx: ServiceContext, input: ScimWrite & { id: string }): Promise<void> {
  const user = await personOrNotFound(ctx, input.id);
  refuseBreakGlassChange(user, 'delete', (await ssoSettings(ctx)).breakGlass);
  await updatePerson(ctx, {
    userId: user._id,
    changes: { active: false, ...(user.externalId ? { externalId: null } : {}) },
    actorId: scimActor(input.tokenId),
    now: input.now,
  });
  await ctx.models.ScimDeleted.updateOne(
    { _id: user._id },
    { $set: { deletedAt: input.now } },
    { upsert: true },
  );
  if (user.externalId) await releaseExternalId(ctx, user.externalId, user._id);
  await ctx.audit.append(
    {
      actorId: scimActor(input.tokenId),
      action: 'scim.user.deleted',
      targetType: 'user',
      targetId: user._id,
      subjectId: user._id,
    },
    input.now,
  );
}
