import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { claimOnce } from '../../../db/once-claims.js';
import type { ServiceContext } from '../../context.js';

/** A token is `scim_<id>.<secret>`: the id finds the stored hash by `_id`, the secret is checked. */
const TOKEN = /^scim_([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;
/** lastUsedAt is written at most this often per token, not once per request. */
const LAST_USED_EVERY_MS = 60_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Creates a token and returns its secret: the only time it exists outside the caller's hands. */
export async function createScimToken(
  ctx: ServiceContext,
  input: { createdBy: string; label?: string; now: Date },
): Promise<{ id: string; token: string }> {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  await ctx.models.ScimToken.create({
    _id: id,
    secretHash: sha256(secret),
    label: input.label ?? '',
    createdAt: input.now,
    createdBy: input.createdBy,
    revokedAt: null,
    lastUsedAt: null,
  });
  await ctx.audit.append(
    {
      actorId: null,
      action: 'scim.token.created',
      targetType: 'scim-token',
      targetId: id,
      details: { createdBy: input.createdBy, label: input.label ?? '' },
    },
    input.now,
  );
  return { id, token: `scim_${id}.${secret}` };
}

/** Revokes a token; false when there is no such token or it was already revoked. */
export async function revokeScimToken(
  ctx: ServiceContext,
  input: { id: string; revokedBy: string; now: Date },
): Promise<boolean> {
  const res = await ctx.models.ScimToken.updateOne(
    { _id: input.id, revokedAt: null },
    { $set: { revokedAt: input.now } },
  );
  if (res.modifiedCount === 0) return false;
  // Racing revocations may all "modify" it on FerretDB v1 (a filtered update is not atomic there):
  // the claim lets one of them report and audit it.
  if (!(await claimOnce(ctx.models, `scim-token-revoked:${input.id}`, input.now))) return false;
  await ctx.audit.append(
    {
      actorId: null,
      action: 'scim.token.revoked',
      targetType: 'scim-token',
      targetId: input.id,
      details: { revokedBy: input.revokedBy },
    },
    input.now,
  );
  return true;
}

export function listScimTokens(ctx: ServiceContext, _input: Record<string, never> = {}) {
  return ctx.models.ScimToken.find({}, { secretHash: 0 }).sort({ createdAt: 1 }).lean();
}

/** The token id a bearer value proves, or null (malformed, unknown, wrong secret, revoked). */
export async function authenticateScimToken(
  ctx: ServiceContext,
  input: { bearer: string; now: Date },
): Promise<string | null> {
  const m = TOKEN.exec(input.bearer);
  if (!m) return null;
  const [, id, secret] = m as unknown as [string, string, string];
  const doc = await ctx.models.ScimToken.findById(id).lean();
  if (!doc || doc.revokedAt) return null;
  const given = Buffer.from(sha256(secret), 'hex');
  const stored = Buffer.from(doc.secretHash, 'hex');
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) return null;
  if (!doc.lastUsedAt || input.now.getTime() - doc.lastUsedAt.getTime() > LAST_USED_EVERY_MS)
    await ctx.models.ScimToken.updateOne({ _id: id }, { $set: { lastUsedAt: input.now } });
  return id;
}
