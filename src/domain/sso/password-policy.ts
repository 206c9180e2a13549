import { normaliseEmail, type Role } from '../roles.js';

export type PasswordLogin = 'on' | 'off';

/**
 * Whether a password sign-in may be tried. With password sign-in off only the named break-glass
 * accounts may use it, and only while they are admins: the list is for getting back in when the
 * identity provider is down, not a way round single sign-on for anyone else.
 */
export function passwordSignInAllowed(
  policy: { passwordLogin: PasswordLogin; breakGlass: readonly string[] },
  account: { email: string; role: Role } | null,
): boolean {
  if (policy.passwordLogin === 'on') return true;
  if (account?.role !== 'admin') return false;
  return policy.breakGlass.includes(normaliseEmail(account.email));
}

/** The break-glass list from the admin's text area or the environment: one address a line or comma. */
export function parseEmailList(textValue: string): string[] {
  return [
    ...new Set(
      textValue
        .split(/[\s,;]+/)
        .map((e) => normaliseEmail(e))
        .filter(Boolean),
    ),
  ];
}
