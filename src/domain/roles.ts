export const ROLES = ['employee', 'hr', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a logged-in request knows about its user, cached in the server-side session. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  department: string;
  /** The person's chosen language (a shipped language code); absent or empty when never chosen. */
  language?: string;
}

/** Compares typed names ignoring case and extra spaces (attestation, search). */
export function normaliseName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

// The WHATWG HTML rule for a valid e-mail address (what the browser's type="email" checks), plus a
// dot in the domain: work addresses are never at a bare host name. The one e-mail check for every
// place an address is entered (CLI, HR form, CSV import, login).
const EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;
export function isValidEmail(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email);
}
