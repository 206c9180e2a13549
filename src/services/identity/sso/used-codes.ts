import type { Models } from '../../../db/models/index.js';

/**
 * How long a redeemed authorization code, or an accepted SAML assertion (`saml:` records), is
 * remembered. Codes live minutes at the provider, assertions are valid for minutes, and a sign-in
 * must finish within the flow's window; a day is far past all of them (and any ID token's
 * lifetime), so a code or assertion older than that cannot be replayed into a sign-in anyway.
 */
export const USED_CODE_DAYS = 1;

/** Deletes the used-code records older than the bound at `now` (one delete command); returns how many. */
export async function pruneUsedCodes(models: Models, now: Date): Promise<number> {
  const before = new Date(now.getTime() - USED_CODE_DAYS * 86_400_000);
  const res = await models.SsoUsedCode.deleteMany({ usedAt: { $lt: before } });
  return res.deletedCount;
}
