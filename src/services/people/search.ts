/**
 * HR's person picker (assign to individual people, extend one person's due date): a search over
 * the active people by name, e-mail or employee ID, and the departments that exist, both answered
 * from the process's people directory (no FerretDB query per keystroke).
 */
import { peopleDirectory } from '../../db/people-directory.js';
import type { ServiceContext } from '../context.js';
import { DIRECTORY_MAX_AGE_MS } from './people.js';

/** What the picker shows of a person: enough to tell two people of the same name apart. */
export interface PersonMatch {
  name: string;
  email: string;
  employeeId: string;
  department: string;
}

/** At most this many matches are shown: the picker is for finding a few people, not browsing. */
export const PERSON_SEARCH_LIMIT = 20;

type DirectoryContext = Pick<ServiceContext, 'models'>;

function everyone(ctx: DirectoryContext, now: Date) {
  return peopleDirectory(ctx.models).everyone(now.getTime(), DIRECTORY_MAX_AGE_MS);
}

const matchOf = (p: { name: string; email: string; employeeId?: string | null; department?: string }) => ({
  name: p.name,
  email: p.email,
  employeeId: p.employeeId ?? '',
  department: p.department ?? '',
});

/**
 * Active people whose name, e-mail or employee ID contains `q` (case-insensitive), by name; an
 * empty search finds nobody. `more`: there were more matches than the limit.
 */
export async function searchPeople(
  ctx: DirectoryContext,
  input: { q: string; now: Date; limit?: number },
): Promise<{ people: PersonMatch[]; more: boolean }> {
  const q = input.q.trim().toLowerCase();
  const limit = input.limit ?? PERSON_SEARCH_LIMIT;
  const people: PersonMatch[] = [];
  if (!q) return { people, more: false };
  for (const { entry, text } of await everyone(ctx, input.now)) {
    // The held text (name, e-mail, ID, department, lower-cased once) rules most people out cheaply:
    // 20 ms for a search matching nobody among 100,000 people, against 50 ms lower-casing each name.
    if (!entry.active || !text.includes(q)) continue;
    // A match in the department alone is not a match: the picker finds people, not departments.
    const hit =
      entry.name.toLowerCase().includes(q) ||
      entry.email.includes(q) ||
      (entry.employeeId ?? '').toLowerCase().includes(q);
    if (!hit) continue;
    if (people.length === limit) return { people, more: true };
    people.push(matchOf(entry));
  }
  return { people, more: false };
}

/** The departments active people are in, sorted: the assign form's checkboxes. */
export async function departmentNames(ctx: DirectoryContext, input: { now: Date }): Promise<string[]> {
  const names = new Set<string>();
  for (const { entry } of await everyone(ctx, input.now)) {
    if (entry.active && entry.department) names.add(entry.department);
  }
  return [...names].sort((a, b) => a.localeCompare(b));
}

/**
 * The people a form has picked, by e-mail, in the order given: an address nobody has is kept
 * (shown as itself) so the form can show it ticked beside the server's message about it.
 */
export async function pickedPeople(
  ctx: DirectoryContext,
  input: { emails: readonly string[]; now: Date },
): Promise<PersonMatch[]> {
  const wanted = [...new Set(input.emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
  if (!wanted.length) return [];
  const wantedSet = new Set(wanted);
  const byEmail = new Map<string, PersonMatch>();
  for (const { entry } of await everyone(ctx, input.now)) {
    if (wantedSet.has(entry.email)) byEmail.set(entry.email, matchOf(entry));
  }
  return wanted.map((email) => byEmail.get(email) ?? { name: email, email, employeeId: '', department: '' });
}
