import { assignmentKey } from '../../db/keys.js';
import type { Models } from '../../db/models/index.js';
import type { UserDoc } from '../../db/models/user.js';
import { type DirectoryEntry, peopleDirectory } from '../../db/people-directory.js';
import { type NewUser, usersRepository } from '../../db/repositories/users.js';
import { sessionsRepository } from '../../db/session-store.js';
import type { PlannedPerson } from '../../domain/people-csv.js';
import { type CopiedPersonField, personCopy, personCopyChanged } from '../../domain/person-copy.js';
import type { Role } from '../../domain/roles.js';
import type { AuditLog } from '../audit/log.js';

export interface PeopleDeps {
  models: Models;
  audit: AuditLog;
  /** Course ids, to reach a person's assignments by `_id` (`<userId>:<courseId>`) without a scan. */
  courseIds: string[];
}

export interface PersonInput extends PlannedPerson {
  role?: Role;
}

type CopiedFields = '_id' | 'active' | CopiedPersonField;

/**
 * Keeps the copies of a person's department, manager, active flag, name and e-mail on their
 * assignments in step, so reports and reminders need no join. One write per course, each by `_id`.
 */
export async function syncAssignments(
  models: Models,
  courseIds: string[],
  person: Pick<UserDoc, CopiedFields>,
  now: Date,
): Promise<void> {
  await Promise.all(
    courseIds.map((courseId) =>
      models.Assignment.updateOne(
        { _id: assignmentKey(person._id, courseId) },
        {
          $set: { ...personCopy(person), active: person.active, updatedAt: now },
        },
      ),
    ),
  );
}

function toUserFields(input: PersonInput): Partial<NewUser> & { employeeId?: string } {
  const fields: Partial<NewUser> & { employeeId?: string } = {
    email: input.email,
    name: input.name,
    department: input.department,
    managerId: input.managerId,
    hireDate: input.hireDate,
    locale: input.locale,
    active: input.active,
  };
  // An absent employee id is left out, never stored as null: the unique index is sparse.
  if (input.employeeId) fields.employeeId = input.employeeId;
  if (input.role) fields.role = input.role;
  return fields;
}

export async function createPerson(
  deps: PeopleDeps,
  input: PersonInput & { _id?: string },
  actorId: string | null,
  now: Date,
  opts: { audit?: boolean } = {},
): Promise<UserDoc> {
  const user = await usersRepository(deps.models).insert({
    ...(toUserFields(input) as NewUser),
    role: input.role ?? 'employee',
    ...(input._id ? { _id: input._id } : {}),
  });
  if (opts.audit !== false) {
    await deps.audit.append(
      {
        actorId,
        action: 'person.created',
        targetType: 'user',
        targetId: user._id,
        subjectId: user._id,
        details: { email: user.email, department: user.department, role: user.role },
      },
      now,
    );
  }
  return user;
}

/**
 * Updates a person. A role change or a deactivation ends the person's other sessions (their cached
 * role would otherwise live on) and is audited; department, manager and active status are copied
 * to their assignments.
 */
export async function updatePerson(
  deps: PeopleDeps,
  userId: string,
  input: Partial<PersonInput>,
  actorId: string | null,
  now: Date,
  opts: { currentSessionId?: string; audit?: boolean } = {},
): Promise<UserDoc | null> {
  const users = usersRepository(deps.models);
  const before = await users.findById(userId);
  if (!before) return null;
  const full: PersonInput = {
    email: input.email ?? before.email,
    name: input.name ?? before.name,
    employeeId: input.employeeId === undefined ? (before.employeeId ?? null) : input.employeeId,
    department: input.department ?? before.department,
    managerId: input.managerId === undefined ? (before.managerId ?? null) : input.managerId,
    hireDate: input.hireDate === undefined ? (before.hireDate ?? null) : input.hireDate,
    locale: input.locale ?? before.locale,
    active: input.active ?? before.active,
    role: input.role ?? before.role,
  };
  const after = await users.update(userId, toUserFields(full));
  if (!after) return null;

  const roleChanged = before.role !== after.role;
  const deactivated = before.active && !after.active;
  if (roleChanged || deactivated) {
    // The acting user keeps the session they are using when they edit themselves.
    const except = actorId === userId ? opts.currentSessionId : undefined;
    await sessionsRepository(deps.models).endSessionsOf(userId, except);
  }
  if (personCopyChanged(before, after)) {
    await syncAssignments(deps.models, deps.courseIds, after, now);
  }
  if (roleChanged) {
    await deps.audit.append(
      {
        actorId,
        action: 'role.changed',
        targetType: 'user',
        targetId: userId,
        subjectId: userId,
        details: { from: before.role, to: after.role },
      },
      now,
    );
  }
  if (opts.audit !== false) {
    const changed = (Object.keys(full) as Array<keyof PersonInput>).filter(
      (k) =>
        k !== 'role' && String(before[k as keyof UserDoc] ?? '') !== String(after[k as keyof UserDoc] ?? ''),
    );
    if (changed.length) {
      await deps.audit.append(
        {
          actorId,
          action: deactivated ? 'person.deactivated' : 'person.updated',
          targetType: 'user',
          targetId: userId,
          subjectId: userId,
          details: { fields: changed },
        },
        now,
      );
    }
  }
  return after;
}

export const PEOPLE_PAGE_SIZE = 25;

/** How old the people list may be before a view reloads it: people written by another process show after this. */
const DIRECTORY_MAX_AGE_MS = 60_000;

/**
 * One page of people, optionally filtered by a search over name, email, employee id and department
 * (a plain, case-insensitive substring), from the process's copy of the directory.
 */
export function listPeople(
  models: Models,
  query: { q?: string; page: number },
  now: Date,
): Promise<{ people: DirectoryEntry[]; hasNext: boolean }> {
  return peopleDirectory(models).page(
    { q: query.q ?? '', page: query.page, size: PEOPLE_PAGE_SIZE },
    now.getTime(),
    DIRECTORY_MAX_AGE_MS,
  );
}
