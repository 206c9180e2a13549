import { insertIfNew } from '../../../db/insert-once.js';
import type { UserDoc } from '../../../db/models/user.js';
import { usersRepository } from '../../../db/repositories/users.js';
import { ScimProblem } from '../../../domain/scim/errors.js';
import type { ServiceContext } from '../../context.js';

/**
 * `externalId` → person, kept in `scim_external_ids` by `_id`: the clients' `externalId eq` lookups
 * read one key document instead of every person, and the insert-once key makes an externalId one
 * person's. The person's own `externalId` field stays the truth: a key whose person no longer
 * carries that value (a create that failed after claiming it) is stale and can be taken.
 */
export async function personByExternalId(ctx: ServiceContext, externalId: string): Promise<UserDoc | null> {
  const key = await ctx.models.ScimExternalId.findById(externalId, { userId: 1 }).lean();
  if (!key) return null;
  const person = await usersRepository(ctx.models).findById(key.userId);
  return person?.externalId === externalId ? person : null;
}

/** Claims `externalId` for `userId`; 409 `uniqueness` when another person holds it. */
export async function claimExternalId(
  ctx: ServiceContext,
  externalId: string,
  userId: string,
): Promise<void> {
  const { ScimExternalId } = ctx.models;
  if (await insertIfNew(ScimExternalId, { _id: externalId, userId })) return;
  const key = await ScimExternalId.findById(externalId, { userId: 1 }).lean();
  if (key?.userId === userId) return;
  const holder = key ? await ctx.models.User.findById(key.userId, { externalId: 1 }).lean() : null;
  if (holder?.externalId === externalId)
    throw new ScimProblem('uniqueness', 'A User with this externalId already exists.');
  await ScimExternalId.updateOne({ _id: externalId }, { $set: { userId } }, { upsert: true });
}

/** Gives `externalId` up if `userId` still holds it (read, then deleted by `_id` alone). */
export async function releaseExternalId(
  ctx: ServiceContext,
  externalId: string,
  userId: string,
): Promise<void> {
  const key = await ctx.models.ScimExternalId.findById(externalId, { userId: 1 }).lean();
  if (key?.userId === userId) await ctx.models.ScimExternalId.deleteOne({ _id: externalId });
}
