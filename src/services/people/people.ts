import type { FeedBatch } from '../../db/feed-batch.js';
import { assignmentKey } from '../../db/keys.js';
import type { Models } from '../../db/models/index.js';
import type { UserDoc } from '../../db/models/user.js';
import { type DirectoryEntry, peopleDirectory, personWritten } from '../../db/people-directory.js';
import { type NewUser, usersRepository } from '../../db/repositories/users.js';
import { sessionsRepository } from '../../db/session-store.js';
import { Conflict } from '../../domain/errors.js';
import type { PlannedPerson } from '../../domain/people-csv.js';
import { type CopiedPersonField, personCopy, personCopyChanged } from '../../domain/person-copy.js';
import { leftAtChange } from '../../domain/retention.js';
import type { Role } from '../../domain/roles.js';
import { type AssignPerson, activeRules, applyRulesTo } from '../assignments/assignments.js';
import type { ServiceContext } from '../context.js';

/** The service context (the name says which area's commands take it). */
export type PeopleContext = ServiceContext;

/** A person as stored, for the pages that show one. */
export type Person = UserDoc;
export type { DirectoryEntry };

export interface PersonInput extends PlannedPerson {
  role?: Role;
  /** The identity provider's id (SCIM); absent: kept as it is. */
  externalId?: string | null;
}

/** A new person: HR's fields, and the id chosen ahead (import) or the password hash (user:create). */
export type NewPerson = PersonInput & { _id?: string; passwordHash?: string };

type CopiedFields = '_id' | 'active' | CopiedPersonField;

/**
 * Keeps the copies of a person's department, manager, active flag, name, e-mail and region on
 * their assignments in step, so reports and reminders need no join. One write per course, each by `_id`.
 */
export async function syncAssignments(
  models: Models,
  courseIds: Iterable<string>,
  person: Pick<UserDoc, CopiedFields>,
  now: Date,
): Promise<void> {
  await Promise.all(
    [...courseIds].map((courseId) =>
      models.Assignment.updateOne(
        { _id: assignmentKey(person._id, courseId) },
        { $set: { ...personCopy(person), active: person.active, updatedAt: now } },
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
  if (input.region !== undefined) fields.region = input.region;
  // An absent employee id is left out, never stored as null: the unique index is sparse.
  if (input.employeeId) fields.employeeId = input.employeeId;
  if (input.role) fields.role = input.role;
  if (input.externalId !== undefined) fields.externalId = input.externalId;
  return fields;
}

/**
 * Writes a new person, without an audit event (the importer audits the whole import), and puts
 * them in this process's people directory at once. Throws DuplicateUserError for a taken e-mail
 * or employee ID. With `batch`, the other instances hear of them in the batch's one feed entry.
 */
export async function insertPerson(models: Models, input: NewPerson, batch?: FeedBatch): Promise<UserDoc> {
  const person = await usersRepository(models).insert({
    ...(toUserFields(input) as NewUser),
    role: input.role ?? 'employee',
    ...(input._id ? { _id: input._id } : {}),
    ...(input.passwordHash ? { passwordHash: input.passwordHash } : {}),
  });
  await personWritten(models, person, batch);
  return person;
}

/** Creates a person and audits it (`person.created`; `via` names a channel other than HR's forms). */
export async function createPerson(
  ctx: PeopleContext,
  input: { person: NewPerson; actorId: string | null; via?: 'cli' | 'scim'; now: Date },
): Promise<UserDoc> {
  const user = await insertPerson(ctx.models, input.person);
  await ctx.audit.append(
    {
      actorId: input.actorId,
      action: 'person.created',
      targetType: 'user',
      targetId: user._id,
      subjectId: user._id,
      details: {
        email: user.email,
        department: user.department,
        role: user.role,
        ...(input.via ? { via: input.via } : {}),
      },
    },
    input.now,
  );
  return user;
}

/**
 * A change to a person whose personal data was erased: refused on every write path (HR's form,
 * the CSV import, SCIM, sign-in), because writing a name or e-mail back would undo the erasure.
 */
export function personErased(erasedAt: Date): Conflict {
  const { key, values } = personErasedReason(erasedAt);
  return new Conflict(key, values);
}

/** The same refusal as a CSV row's reason (the day stays YYYY-MM-DD, as in the audit log). */
export const personErasedReason = (erasedAt: Date) => ({
  key: 'people.errors.erased',
  values: { day: erasedAt.toISOString().slice(0, 10) },
});

export interface PersonChange {
  userId: string;
  changes: Partial<PersonInput>;
  actorId: string | null;
  /** The acting user keeps this session when they edit themselves. */
  currentSessionId?: string;
  /** A bulk write's feed entries (an import): the change joins them instead of an entry of its own. */
  batch?: FeedBatch;
  now: Date;
}

/**
 * Changes a person without a `person.updated` event (the importer audits the whole import; the
 * audited command is `updatePerson`). A role change or a deactivation ends the person's other
 * sessions (their cached role would otherwise live on), and a role change is audited; the copied
 * fields go to their assignments; the people directory of this process sees the change at once.
 */
export async function changePerson(
  ctx: PeopleContext,
  input: PersonChange,
): Promise<{ before: UserDoc; after: UserDoc; full: PersonInput } | null> {
  const { userId, changes, actorId, now } = input;
  const before = await usersRepository(ctx.models).findById(userId);
  if (!before) return null;
  if (before.erasedAt) throw personErased(before.erasedAt);
  const full: PersonInput = {
    email: changes.email ?? before.email,
    name: changes.name ?? before.name,
    employeeId: changes.employeeId === undefined ? (before.employeeId ?? null) : changes.employeeId,
    department: changes.department ?? before.department,
    managerId: changes.managerId === undefined ? (before.managerId ?? null) : changes.managerId,
    hireDate: changes.hireDate === undefined ? (before.hireDate ?? null) : changes.hireDate,
    locale: changes.locale ?? before.locale,
    active: changes.active ?? before.active,
    role: changes.role ?? before.role,
    region: changes.region === undefined ? (before.region ?? null) : changes.region,
    externalId: changes.externalId === undefined ? (before.externalId ?? null) : changes.externalId,
  };
  const after = await usersRepository(ctx.models).update(userId, {
    ...toUserFields(full),
    // The records retention period runs from the day someone leaves (domain/retention.ts).
    ...leftAtChange(before.active, full.active, now),
  });
  if (!after) return null;
  await personWritten(ctx.models, after, input.batch);

  const roleChanged = before.role !== after.role;
  if (roleChanged || (before.active && !after.active)) {
    const except = actorId === userId ? input.currentSessionId : undefined;
    await sessionsRepository(ctx.models).endSessionsOf(userId, except, input.batch);
  }
  if (personCopyChanged(before, after)) await syncAssignments(ctx.models, ctx.courses.keys(), after, now);
  if (roleChanged) {
    await ctx.audit.append(
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
  return { before, after, full };
}

/**
 * Updates a person (see `changePerson`) and audits which fields changed: `person.deactivated`
 * when the change deactivated them, `person.updated` otherwise, nothing when nothing changed.
 */
export async function updatePerson(ctx: PeopleContext, input: PersonChange): Promise<UserDoc | null> {
  const changed = await changePerson(ctx, input);
  if (!changed) return null;
  const { before, after, full } = changed;
  const fields = (Object.keys(full) as Array<keyof PersonInput>).filter(
    (k) =>
      k !== 'role' && String(before[k as keyof UserDoc] ?? '') !== String(after[k as keyof UserDoc] ?? ''),
  );
  if (fields.length) {
    await ctx.audit.append(
      {
        actorId: input.actorId,
        action: before.active && !after.active ? 'person.deactivated' : 'person.updated',
        targetType: 'user',
        targetId: input.userId,
        subjectId: input.userId,
        details: { fields },
      },
      input.now,
    );
  }
  return after;
}

/** Applies every active assignment rule to these new or changed people now, not at the next sweep. */
export async function applyRulesToPeople(
  ctx: PeopleContext,
  people: AssignPerson[],
  now: Date,
): Promise<void> {
  const rules = await activeRules(ctx.models);
  if (rules.length) await applyRulesTo(ctx, { rules, people, now });
}

export const PEOPLE_PAGE_SIZE = 25;

/** How old the people list may be before a view reloads it: people written by another process show after this. */
export const DIRECTORY_MAX_AGE_MS = 60_000;

/**
 * One page of people, optionally filtered by a search over name, email, employee id and department
 * (a plain, case-insensitive substring), from the process's copy of the directory.
 */
export function listPeople(
  ctx: Pick<ServiceContext, 'models'>,
  input: { q?: string; page: number; now: Date },
): Promise<{ people: DirectoryEntry[]; hasNext: boolean }> {
  return peopleDirectory(ctx.models).page(
    { q: input.q ?? '', page: input.page, size: PEOPLE_PAGE_SIZE },
    input.now.getTime(),
    DIRECTORY_MAX_AGE_MS,
  );
}
