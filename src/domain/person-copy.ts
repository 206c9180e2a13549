import type { Region } from './org-profile.js';

/**
 * The person fields an assignment carries a copy of, so reports filter and reminders address people
 * without a join. One definition for every writer (a new assignment, a self-enrolment, an edit of
 * the person) and every reader that falls back to the person for assignments written before the
 * name and e-mail were copied. Adding a field means adding it here (and to the assignment schema).
 * The region (issue #22) is copied so the learner's pages, which read the assignment anyway, know
 * which jurisdiction notices to show without reading the person. The language the person chose
 * (`locale`, issue #26; '' = none) is copied so the sweep writes each reminder in the recipient's
 * language without reading the person; assignments from before the copy are filled once at start
 * (db/assignment-locales.ts).
 */
export const COPIED_PERSON_FIELDS = ['department', 'managerId', 'name', 'email', 'region', 'locale'] as const;

export type CopiedPersonField = (typeof COPIED_PERSON_FIELDS)[number];

/** The copy as an assignment stores it. */
export interface PersonCopy {
  department: string;
  managerId: string | null;
  name: string;
  email: string;
  /**
   * An assignment without the field means the person has no region: the person's region and this
   * copy are new in the same release, so no person had a region while assignments lacked the copy.
   */
  region: Region | null;
  /** The language the person chose ('' = none: the organisation's default, else English). */
  locale: string;
}

/**
 * A person as the copy is taken from (a missing manager or region is stored as null). Pass the
 * region the person has: a writer that leaves it out copies "no region".
 */
export interface CopySource {
  department: string;
  managerId?: string | null;
  name: string;
  email: string;
  region?: Region | null;
  /** The person's chosen language; a writer that leaves it out copies "none" (''). */
  locale?: string | null;
}

/** The copy of a person's fields that an assignment stores. */
export function personCopy(person: CopySource): PersonCopy {
  return {
    department: person.department,
    managerId: person.managerId ?? null,
    name: person.name,
    email: person.email,
    region: person.region ?? null,
    locale: person.locale ?? '',
  };
}

/**
 * Whether an edit of a person changed anything their assignments carry: the copied fields, or the
 * active flag (a person who leaves deactivates their assignments; one who returns reactivates them).
 */
export function personCopyChanged(
  before: CopySource & { active: boolean },
  after: CopySource & { active: boolean },
): boolean {
  const a = personCopy(before);
  const b = personCopy(after);
  return before.active !== after.active || COPIED_PERSON_FIELDS.some((field) => a[field] !== b[field]);
}

/**
 * Whether an assignment carries the copied name and e-mail. Those written before the copy existed
 * carry them empty, and their readers look the person up instead.
 */
export function hasPersonCopy(assignment: { email?: string | null }): boolean {
  // Older documents may lack the field altogether when read lean.
  return Boolean(assignment.email);
}

/**
 * The learner's name and e-mail for a list row: the assignment's own copy (the freshest, kept in
 * step on every edit of the person), else the person looked up for an assignment without one.
 */
export function listedPerson(
  assignment: { name: string; email: string },
  lookedUp: { name: string; email?: string } | undefined,
): { name: string; email: string } {
  return {
    name: assignment.name || (lookedUp?.name ?? '(unknown person)'),
    email: assignment.email || (lookedUp?.email ?? ''),
  };
}
