import type { UserDoc } from '../../db/models/user.js';
import { usersRepository } from '../../db/repositories/users.js';
import { isLanguage } from '../../domain/i18n/languages.js';
import type { SessionUser } from '../../domain/roles.js';
import type { ServiceContext } from '../context.js';
import { verifyPassword } from './passwords.js';

/** The audit target of a failed sign-in for an account that does not exist. */
export const UNKNOWN_ACCOUNT = 'unknown-account';

/**
 * What the session keeps about a person: with their chosen language when they (or HR) chose one,
 * so every page is in it from the sign-in on.
 */
export function toSessionUser(user: UserDoc): SessionUser {
  const base = {
    id: user._id,
    email: user.email,
    name: user.name,
    role: user.role,
    department: user.department,
  };
  return isLanguage(user.locale) ? { ...base, language: user.locale } : base;
}

/**
 * Checks a password login. Returns the user on success and null otherwise, without
 * saying why: unknown account, wrong password and inactive person look the same.
 */
export async function login(
  ctx: Pick<ServiceContext, 'models' | 'audit'>,
  input: { email: string; password: string; ip: string; now: Date },
): Promise<SessionUser | null> {
  const { now } = input;
  const user = await usersRepository(ctx.models).findByEmail(input.email);
  const ok = await verifyPassword(user?.active ? user.passwordHash : null, input.password);
  if (!user || !ok) {
    // For an unknown account only the fact is kept, never what was typed: a mistyped address is
    // often someone's real address elsewhere, or a password typed into the wrong field.
    await ctx.audit.append(
      user
        ? {
            actorId: user._id,
            action: 'login.failure',
            targetType: 'user',
            targetId: user._id,
            subjectId: user._id,
            details: { ip: input.ip },
          }
        : {
            actorId: null,
            action: 'login.failure',
            targetType: 'user',
            targetId: UNKNOWN_ACCOUNT,
            subjectId: null,
            details: { ip: input.ip, account: 'unknown' },
          },
      now,
    );
    return null;
  }
  await ctx.audit.append(
    {
      actorId: user._id,
      action: 'login.success',
      targetType: 'user',
      targetId: user._id,
      subjectId: user._id,
      details: { ip: input.ip },
    },
    now,
  );
  return toSessionUser(user);
}
