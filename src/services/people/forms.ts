import type { Models } from '../../db/models/index.js';
import { DuplicateUserError, usersRepository } from '../../db/repositories/users.js';
import { NotFound } from '../../domain/errors.js';
import type { Region } from '../../domain/org-profile.js';
import {
  adminRoleErrors,
  type FieldError,
  formFromPerson,
  type PersonForm,
  validatePersonForm,
} from '../../domain/person-form.js';
import type { Role } from '../../domain/roles.js';
import { currentProfile } from '../organisation/profile.js';
import { applyRulesToPeople, createPerson, type PeopleContext, type Person, updatePerson } from './people.js';

/** HR's add and edit forms: the checks, the write, and the assignment rules for the person. */

export interface FormActor {
  id: string;
  role: Role;
  /** The session the actor is using (kept when they change their own role). */
  sessionId?: string;
}

async function managerOf(models: Models, email: string): Promise<{ id: string | null; found: boolean }> {
  if (!email.trim()) return { id: null, found: true };
  const m = await usersRepository(models).findByEmail(email);
  return { id: m?._id ?? null, found: !!m };
}

/** The regions a person's region may be: the organisation profile's (none: any region). */
async function enabledRegions(ctx: PeopleContext): Promise<Region[]> {
  return (await currentProfile(ctx)).regions;
}

async function findPerson(models: Models, userId: string): Promise<Person> {
  const person = await usersRepository(models).findById(userId);
  if (!person) throw new NotFound('people.form.errors.noPerson');
  return person;
}

/** A taken e-mail or employee ID, as an error next to its field. */
function duplicateErrors(err: unknown): FieldError[] {
  if (!(err instanceof DuplicateUserError)) throw err;
  return [{ field: err.field, message: `people.form.errors.duplicate.${err.field}` }];
}

/** The edit form of a person, filled in. */
export async function personToEdit(
  ctx: PeopleContext,
  input: { userId: string },
): Promise<{ person: Person; form: PersonForm }> {
  const person = await findPerson(ctx.models, input.userId);
  const manager = person.managerId ? await usersRepository(ctx.models).findById(person.managerId) : null;
  return { person, form: formFromPerson(person, manager?.email ?? '') };
}

/**
 * Adds a person from HR's form (audited, then the assignment rules applied to them), or returns
 * the field errors to show, nothing written. Only an administrator may create an administrator.
 */
export async function addPerson(
  ctx: PeopleContext,
  input: { form: PersonForm; actor: FormActor; now: Date },
): Promise<{ errors: FieldError[] }> {
  const { form, actor, now } = input;
  const [manager, regions] = await Promise.all([
    managerOf(ctx.models, form.managerEmail),
    enabledRegions(ctx),
  ]);
  const checked = validatePersonForm(form, manager, regions);
  const errors = [
    ...('errors' in checked ? checked.errors : []),
    ...adminRoleErrors(actor.role, form.role, null),
  ];
  if ('errors' in checked || errors.length) return { errors };
  try {
    const person = await createPerson(ctx, { person: checked.input, actorId: actor.id, now });
    await applyRulesToPeople(ctx, [person], now);
  } catch (err) {
    return { errors: duplicateErrors(err) };
  }
  return { errors: [] };
}

/**
 * Saves HR's edit of a person (audited, then the assignment rules applied to them), or returns the
 * field errors to show, nothing written. Only an administrator may grant or take away the
 * administrator role; nobody is their own manager.
 */
export async function editPerson(
  ctx: PeopleContext,
  input: { userId: string; form: PersonForm; actor: FormActor; now: Date },
): Promise<{ person: Person; errors: FieldError[] }> {
  const { form, actor, now } = input;
  const person = await findPerson(ctx.models, input.userId);
  const [manager, regions] = await Promise.all([
    managerOf(ctx.models, form.managerEmail),
    enabledRegions(ctx),
  ]);
  const checked = validatePersonForm(form, manager, regions);
  const errors = [
    ...('errors' in checked ? checked.errors : []),
    ...adminRoleErrors(actor.role, form.role, person.role),
  ];
  if (manager.id === person._id)
    errors.push({ field: 'managerEmail', message: 'people.form.errors.ownManager' });
  if ('errors' in checked || errors.length) return { person, errors };
  try {
    const updated = await updatePerson(ctx, {
      userId: person._id,
      changes: checked.input,
      actorId: actor.id,
      ...(actor.sessionId ? { currentSessionId: actor.sessionId } : {}),
      now,
    });
    if (updated) await applyRulesToPeople(ctx, [updated], now);
  } catch (err) {
    return { person, errors: duplicateErrors(err) };
  }
  return { person, errors: [] };
}
