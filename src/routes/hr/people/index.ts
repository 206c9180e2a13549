import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { UserDoc } from '../../../db/models/user.js';
import { DuplicateUserError, usersRepository } from '../../../db/repositories/users.js';
import { HR_ROLES } from '../../../domain/access.js';
import { dayKey } from '../../../domain/dates.js';
import { HttpError } from '../../../plugins/auth.js';
import { activeRules, applyRulesTo } from '../../../services/assignments/assignments.js';
import { createPerson, listPeople, type PeopleDeps, updatePerson } from '../../../services/people/people.js';
import { ObjectIdString } from '../../form-schema.js';
import importRoutes from './import.js';
import { type FieldError, PersonBody, type PersonForm, validatePersonForm } from './person-form.js';

const ListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    saved: Type.Optional(Type.Literal('1')),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: ObjectIdString }, { additionalProperties: false });

function formFrom(user: UserDoc | null, managerEmail: string): PersonForm {
  return {
    email: user?.email ?? '',
    name: user?.name ?? '',
    employeeId: user?.employeeId ?? '',
    department: user?.department ?? '',
    managerEmail,
    hireDate: user?.hireDate ? dayKey(new Date(user.hireDate)) : '',
    locale: user?.locale ?? 'en',
    role: user?.role ?? 'employee',
    ...(user?.active === false ? {} : { active: 'yes' as const }),
  };
}

/** HR's people area: list and search, add and edit one person, CSV import (./import.ts). */
const peopleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const users = usersRepository(app.db.models);
  const deps = (): PeopleDeps & { courses: typeof app.courses } => ({
    models: app.db.models,
    audit: app.audit,
    courseIds: [...app.courses.keys()],
    courses: app.courses,
  });

  async function managerOf(email: string): Promise<{ id: string | null; found: boolean }> {
    if (!email.trim()) return { id: null, found: true };
    const m = await users.findByEmail(email);
    return { id: m?._id ?? null, found: !!m };
  }

  /** Only an admin may grant or take away the admin role. */
  function roleError(actorRole: string, wanted: string, current: string | null): FieldError[] {
    if (actorRole === 'admin' || (wanted !== 'admin' && current !== 'admin')) return [];
    return [{ field: 'role', message: 'Only an administrator can grant or remove the administrator role.' }];
  }

  async function applyRules(person: UserDoc) {
    const rules = await activeRules(app.db.models);
    if (rules.length) await applyRulesTo(deps(), rules, [person], app.clock.now());
  }

  function renderForm(
    reply: FastifyReply,
    data: { user: UserDoc | null; form: PersonForm; errors: FieldError[] },
  ) {
    if (data.errors.length) reply.code(400);
    return reply.viewAsync('hr/people/form', data);
  }

  app.get(
    '/hr/people',
    { config: { access: HR_ROLES }, schema: { querystring: ListQuery } },
    async (request, reply) => {
      const page = request.query.page ?? 1;
      const q = request.query.q ?? '';
      const { people, hasNext } = await listPeople(app.db.models, { q, page }, app.clock.now());
      return reply.viewAsync('hr/people/index', {
        people,
        page,
        hasNext,
        q,
        saved: request.query.saved === '1',
      });
    },
  );

  app.get('/hr/people/new', { config: { access: HR_ROLES } }, async (_request, reply) => {
    return reply.viewAsync('hr/people/form', { user: null, form: formFrom(null, ''), errors: [] });
  });

  app.post(
    '/hr/people/new',
    { config: { access: HR_ROLES }, schema: { body: PersonBody } },
    async (request, reply) => {
      const form = request.body as PersonForm;
      const checked = validatePersonForm(form, await managerOf(form.managerEmail));
      const errors = [
        ...('errors' in checked ? checked.errors : []),
        ...roleError(request.user!.role, form.role, null),
      ];
      if ('errors' in checked || errors.length) return renderForm(reply, { user: null, form, errors });
      try {
        const person = await createPerson(deps(), checked.input, request.user!.id, app.clock.now());
        await applyRules(person);
      } catch (err) {
        if (!(err instanceof DuplicateUserError)) throw err;
        return renderForm(reply, { user: null, form, errors: [{ field: err.field, message: err.message }] });
      }
      return reply.redirect('/hr/people?saved=1', 303);
    },
  );

  app.get(
    '/hr/people/:id/edit',
    { config: { access: HR_ROLES }, schema: { params: IdParams } },
    async (request, reply) => {
      const user = await users.findById(request.params.id);
      if (!user) throw new HttpError(404, 'There is no such person.');
      const manager = user.managerId ? await users.findById(user.managerId) : null;
      return reply.viewAsync('hr/people/form', {
        user,
        form: formFrom(user, manager?.email ?? ''),
        errors: [],
      });
    },
  );

  app.post(
    '/hr/people/:id/edit',
    { config: { access: HR_ROLES }, schema: { params: IdParams, body: PersonBody } },
    async (request, reply) => {
      const user = await users.findById(request.params.id);
      if (!user) throw new HttpError(404, 'There is no such person.');
      const form = request.body as PersonForm;
      const manager = await managerOf(form.managerEmail);
      const checked = validatePersonForm(form, manager);
      const errors = [
        ...('errors' in checked ? checked.errors : []),
        ...roleError(request.user!.role, form.role, user.role),
      ];
      if (manager.id === user._id)
        errors.push({ field: 'managerEmail', message: 'A person cannot be their own manager.' });
      if ('errors' in checked || errors.length) return renderForm(reply, { user, form, errors });
      try {
        const updated = await updatePerson(
          deps(),
          user._id,
          checked.input,
          request.user!.id,
          app.clock.now(),
          {
            currentSessionId: request.session.sessionId,
          },
        );
        if (updated) await applyRules(updated);
      } catch (err) {
        if (!(err instanceof DuplicateUserError)) throw err;
        return renderForm(reply, { user, form, errors: [{ field: err.field, message: err.message }] });
      }
      return reply.redirect('/hr/people?saved=1', 303);
    },
  );

  await app.register(importRoutes);
};

export default peopleRoutes;
