import { randomBytes } from 'node:crypto';
import { ScimError, scimPatch } from 'scim-patch';
import { isDuplicateKey } from '../../../db/connection.js';
import type { ScimGroupDoc } from '../../../db/models/scim.js';
import { findManyById } from '../../../db/repositories/by-id.js';
import { NotFound } from '../../../domain/errors.js';
import { MAX_RESULTS } from '../../../domain/scim/discovery.js';
import { ScimProblem } from '../../../domain/scim/errors.js';
import { pageWindow, parseEqFilter } from '../../../domain/scim/filter.js';
import { groupFromScim, type ScimGroup, toScimGroup } from '../../../domain/scim/group-resource.js';
import { normalisePatch } from '../../../domain/scim/patch.js';
import type { ServiceContext } from '../../context.js';
import { type ScimWrite, scimActor } from './users.js';

async function groupOrNotFound(ctx: ServiceContext, id: string): Promise<ScimGroupDoc> {
  const g = await ctx.models.ScimGroup.findById(id).lean<ScimGroupDoc>();
  if (!g) throw new NotFound(`No Group with id ${id}.`);
  return g;
}

/** Members must be Users that exist: a typo'd id would otherwise sit in the group for ever. */
async function checkMembers(ctx: ServiceContext, members: string[]): Promise<void> {
  if (!members.length) return;
  const found = await findManyById<{ _id: string }>(ctx.models.User, members, { _id: 1 });
  const known = new Set(found.map((u) => u._id));
  const unknown = members.filter((m) => !known.has(m));
  if (unknown.length)
    throw new ScimProblem('invalidValue', `Unknown member ids: ${unknown.slice(0, 5).join(', ')}.`);
}

async function audit(
  ctx: ServiceContext,
  input: ScimWrite,
  action: string,
  g: { _id: string; displayName: string; members?: string[] },
) {
  await ctx.audit.append(
    {
      actorId: scimActor(input.tokenId),
      action,
      targetType: 'scim-group',
      targetId: g._id,
      details: { displayName: g.displayName, ...(g.members ? { members: g.members.length } : {}) },
    },
    input.now,
  );
}

export async function scimGetGroup(ctx: ServiceContext, input: { id: string }): Promise<ScimGroup> {
  return toScimGroup(await groupOrNotFound(ctx, input.id), ctx.baseUrl);
}

export async function scimListGroups(
  ctx: ServiceContext,
  input: { filter?: string; startIndex?: number; count?: number },
): Promise<{ total: number; startIndex: number; resources: ScimGroup[] }> {
  const { skip, limit } = pageWindow(input.startIndex, input.count, MAX_RESULTS);
  const where: Record<string, string> = {};
  if (input.filter) {
    const { attribute, value } = parseEqFilter(input.filter, ['displayName', 'externalId', 'id']);
    where[attribute === 'id' ? '_id' : attribute] = value;
  }
  const total = await ctx.models.ScimGroup.countDocuments(where);
  const groups = limit
    ? await ctx.models.ScimGroup.find(where).sort({ _id: 1 }).skip(skip).limit(limit).lean<ScimGroupDoc[]>()
    : [];
  return { total, startIndex: skip + 1, resources: groups.map((g) => toScimGroup(g, ctx.baseUrl)) };
}

async function saveGroup(ctx: ServiceContext, doc: ScimGroupDoc, isNew: boolean): Promise<void> {
  await checkMembers(ctx, doc.members);
  try {
    if (isNew) await ctx.models.ScimGroup.create(doc);
    else await ctx.models.ScimGroup.replaceOne({ _id: doc._id }, doc);
  } catch (err) {
    if (isDuplicateKey(err))
      throw new ScimProblem('uniqueness', 'A Group with this displayName already exists.');
    throw err;
  }
}

export async function scimCreateGroup(
  ctx: ServiceContext,
  input: ScimWrite & { body: unknown },
): Promise<ScimGroup> {
  const fields = groupFromScim(input.body);
  const doc: ScimGroupDoc = {
    _id: randomBytes(12).toString('hex'),
    ...fields,
    createdAt: input.now,
    updatedAt: input.now,
  };
  await saveGroup(ctx, doc, true);
  await audit(ctx, input, 'scim.group.created', doc);
  return toScimGroup(doc, ctx.baseUrl);
}

export async function scimReplaceGroup(
  ctx: ServiceContext,
  input: ScimWrite & { id: string; body: unknown },
): Promise<ScimGroup> {
  const before = await groupOrNotFound(ctx, input.id);
  const doc: ScimGroupDoc = { ...before, ...groupFromScim(input.body), updatedAt: input.now };
  await saveGroup(ctx, doc, false);
  await audit(ctx, input, 'scim.group.updated', doc);
  return toScimGroup(doc, ctx.baseUrl);
}

export async function scimPatchGroup(
  ctx: ServiceContext,
  input: ScimWrite & { id: string; body: unknown },
): Promise<ScimGroup> {
  const before = await groupOrNotFound(ctx, input.id);
  const ops = normalisePatch(input.body, 'Group');
  let patched: ScimGroup;
  try {
    // biome-ignore lint/suspicious/noExplicitAny: scim-patch's operation type is looser than ours
    patched = scimPatch(structuredClone(toScimGroup(before, ctx.baseUrl)), ops as any);
  } catch (err) {
    if (err instanceof ScimError)
      throw new ScimProblem(err.scimCode === 'noTarget' ? 'noTarget' : 'invalidPath', err.message);
    throw err;
  }
  const doc: ScimGroupDoc = { ...before, ...groupFromScim(patched), updatedAt: input.now };
  await saveGroup(ctx, doc, false);
  await audit(ctx, input, 'scim.group.updated', doc);
  return toScimGroup(doc, ctx.baseUrl);
}

export async function scimDeleteGroup(ctx: ServiceContext, input: ScimWrite & { id: string }): Promise<void> {
  const g = await groupOrNotFound(ctx, input.id);
  await ctx.models.ScimGroup.deleteOne({ _id: g._id });
  await audit(ctx, input, 'scim.group.deleted', g);
}
