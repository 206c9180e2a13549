export const ROLES = ['employee', 'hr', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a logged-in request knows about its user, cached in the server-side session. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  department: string;
}

/** Compares typed names ignoring case and extra spaces (attestation, search). */
export function normaliseName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[A-Za-z0-9-]{2,}$/;
export function isValidEmail(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email);
}
