import { normaliseEmail } from '../roles.js';
import { ScimProblem } from './errors.js';
import type { PersonFromScim } from './user-resource.js';

/**
 * A break-glass admin (sso/password-policy.ts: may still sign in with a password when password
 * sign-in is off) is the way back in when the identity provider is wrong or down, so the provider
 * may not deactivate, delete or re-address them: `mutability`, nothing changed. Their other
 * attributes still follow the directory.
 */
export function refuseBreakGlassChange(
  person: { email: string; active: boolean },
  change: PersonFromScim | 'delete',
  breakGlass: readonly string[],
): void {
  if (!breakGlass.includes(normaliseEmail(person.email))) return;
  const why =
    change === 'delete'
      ? 'deleted'
      : change.active === false && person.active
        ? 'deactivated'
        : change.email !== undefined && change.email !== normaliseEmail(person.email)
          ? 'given another userName or e-mail'
          : null;
  if (why)
    throw new ScimProblem(
      'mutability',
      `${person.email} is a break-glass admin (single sign-on settings) and cannot be ${why} through SCIM. Remove them from the break-glass list first.`,
    );
}
