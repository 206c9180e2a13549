import { usersRepository } from '../../../db/repositories/users.js';
import { passwordSignInAllowed } from '../../../domain/sso/password-policy.js';
import { verifyPassword } from '../passwords.js';
import { type SsoContext, ssoReady, ssoSettings, ssoStartPath } from './settings.js';

/**
 * Whether this account may try a password now (domain/sso/password-policy.ts). Refused attempts
 * are audited as `login.failure` with reason `password_sign_in_off`. A refusal takes as long as a
 * password check (against the dummy hash; the password is not checked) so that, with the route's
 * wrong-password answer, nothing tells a break-glass address from any other.
 */
export async function checkPasswordSignIn(
  ctx: SsoContext,
  input: { email: string; password: string; ip: string; now: Date },
): Promise<{ allowed: boolean; providerName: string | null }> {
  const settings = await ssoSettings(ctx);
  const providerName = settings.enabled ? settings.providerName : null;
  if (settings.passwordLogin === 'on') return { allowed: true, providerName };
  const user = await usersRepository(ctx.models).findByEmail(input.email);
  const allowed = passwordSignInAllowed(settings, user?.active ? user : null);
  if (allowed) return { allowed, providerName };
  await verifyPassword(null, input.password);
  await ctx.audit.append(
    {
      actorId: user?._id ?? null,
      action: 'login.failure',
      targetType: 'user',
      targetId: user?._id ?? 'unknown-account',
      subjectId: user?._id ?? null,
      details: { ip: input.ip, reason: 'password_sign_in_off', ...(user ? {} : { account: 'unknown' }) },
    },
    input.now,
  );
  return { allowed, providerName };
}

/** What the sign-in page offers: the SSO button's label, and whether the password form is shown. */
export async function signInOptions(
  ctx: SsoContext,
): Promise<{ ssoName: string | null; ssoStart: string; passwordShown: boolean }> {
  const settings = await ssoSettings(ctx);
  return {
    ssoName: ssoReady(settings) ? settings.providerName : null,
    // The button goes to the start route of the connection in use.
    ssoStart: ssoStartPath(settings),
    // Shown while off too, behind a "break-glass" disclosure, so the named admins can still use it.
    passwordShown: settings.passwordLogin === 'on',
  };
}
