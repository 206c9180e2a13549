import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { HR_ROLES } from '../../../domain/access.js';
import { EXPIRING_WITHIN_DAYS } from '../../../domain/expiring.js';
import { LANGUAGE_NAMES, LANGUAGES } from '../../../domain/i18n/languages.js';
import { enabledJurisdictions } from '../../../domain/jurisdictions.js';
import { REGIONS, type Region } from '../../../domain/org-profile.js';
import { chosenLanguage, LANGUAGE_NOT_SET } from '../../../domain/people/language.js';
import {
  filterQuery,
  isFiltered,
  matchSentence,
  NO_DEPARTMENT,
  PEOPLE_SORTS,
  type PeopleFilters,
  type PeopleSort,
  TRAINING_STATES,
} from '../../../domain/people/list-filters.js';
import { type FieldError, formFromPerson, type PersonForm } from '../../../domain/person-form.js';
import { stateLabels, type Translate } from '../../../domain/state-labels.js';
import type { Translator } from '../../../i18n/translator.js';
import type { Person } from '../../../services/people/people.js';
import { localisedErrors } from '../../field-errors.js';
import { ObjectIdString } from '../../form-schema.js';
import { requireUser } from '../../guards.js';
import bulkRoutes from './bulk.js';
import importRoutes from './import.js';
import { filtersOf, ListQuery } from './list-query.js';
import { PersonBody } from './person-form.js';
import personSearchRoutes from './search.js';

const IdParams = Type.Object({ id: ObjectIdString }, { additionalProperties: false });

/** The add/edit form, with a 400 when it shows errors. */
async function renderForm(
  reply: FastifyReply,
  data: { user: Person | null; form: PersonForm; errors: FieldError[] },
) {
  if (data.errors.length) reply.code(400);
  const profile = await reply.server.services.organisation.currentProfile();
  return reply.viewAsync('hr/people/form', {
    ...data,
    errors: localisedErrors(reply.request.i18n!, data.errors),
    regions: regionChoices(reply.request.i18n!, profile.regions, data.form.region),
  });
}

/**
 * The region choices (the form's select): the regions the organisation profile enables (every one
 * while it names none), and the person's current region if the profile no longer enables it, so the
 * form shows it and its error rather than silently changing it.
 */
function regionChoices(i18n: Translator, profileRegions: readonly Region[], current: string | undefined) {
  const enabled = enabledJurisdictions(profileRegions);
  const codes = REGIONS.filter((r) => enabled.includes(r) || r === current);
  // The organisation profile's names for the regions ("United Kingdom"), in the page's language.
  return codes.map((code) => ({ code, label: i18n.t(`admin.org.region.${code}`) }));
}

/** After a save: back to the list, which says it was saved. */
const SAVED = '/hr/people?saved=1';

const SORT_KEYS: Record<PeopleSort, string> = {
  name: 'people.list.sort.name',
  department: 'people.list.sort.department',
  due: 'people.list.sort.due',
};

/** What the list's filter form and bulk form offer, from the filters in force, in the page's language. */
function listChoices(
  filters: PeopleFilters,
  courses: Map<string, { id: string; title: string }>,
  t: Translate,
) {
  const labels = stateLabels(t);
  return {
    states: [
      ...TRAINING_STATES.map((s) => ({ value: s, label: labels[s] })),
      { value: 'expiring', label: t('people.list.expiringState', { days: EXPIRING_WITHIN_DAYS }) },
    ],
    courseChoices: [...courses.values()].map((c) => ({ value: c.id, label: c.title })),
    // Each language by its own name (as the switcher lists them), then people with none chosen.
    languageChoices: [
      ...LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] })),
      { value: LANGUAGE_NOT_SET, label: t('certificate.language.notSet') },
    ],
    languageName: (locale: string | undefined) => {
      const chosen = chosenLanguage(locale);
      return chosen ? { lang: chosen, name: LANGUAGE_NAMES[chosen] } : null;
    },
    sorts: PEOPLE_SORTS.map((s) => ({ value: s, label: t(SORT_KEYS[s]), current: s === filters.sort })),
    hiddenFilters: [...new URLSearchParams(filterQuery(filters)).entries()],
    filtered: isFiltered(filters),
  };
}

/** The people list: filtered by a GET query (works without JavaScript), sorted, paged, with the training column. */
const listRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/hr/people',
    { config: { access: HR_ROLES }, schema: { querystring: ListQuery } },
    async (request, reply) => {
      const page = request.query.page ?? 1;
      const filters = filtersOf(request.query);
      const view = await app.services.people.peopleView({ filters, page, now: app.clock.now() });
      return reply.viewAsync('hr/people/index', {
        ...view,
        ...listChoices(filters, app.courses, (key, values) => request.i18n!.t(key, values)),
        filters,
        noDepartment: NO_DEPARTMENT,
        matches: matchSentence(view.total),
        query: (extra: { page?: number; sort?: PeopleSort }) => filterQuery(filters, extra),
        saved: request.query.saved === '1',
      });
    },
  );
};

/** Add and edit one person: the checks, the write and the assignment rules are the people service's. */
const formRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/hr/people/new', { config: { access: HR_ROLES } }, async (_request, reply) => {
    return renderForm(reply, { user: null, form: formFromPerson(null, ''), errors: [] });
  });

  app.post(
    '/hr/people/new',
    { config: { access: HR_ROLES }, schema: { body: PersonBody } },
    async (request, reply) => {
      const actor = requireUser(request);
      const form = request.body as PersonForm;
      const { errors } = await app.services.people.addPerson({ form, actor, now: app.clock.now() });
      if (errors.length) return renderForm(reply, { user: null, form, errors });
      return reply.redirect(SAVED, 303);
    },
  );

  app.get(
    '/hr/people/:id/edit',
    { config: { access: HR_ROLES }, schema: { params: IdParams } },
    async (request, reply) => {
      const { person, form } = await app.services.people.personToEdit({ userId: request.params.id });
      return renderForm(reply, { user: person, form, errors: [] });
    },
  );

  app.post(
    '/hr/people/:id/edit',
    { config: { access: HR_ROLES }, schema: { params: IdParams, body: PersonBody } },
    async (request, reply) => {
      const { id, role } = requireUser(request);
      const form = request.body as PersonForm;
      const { person, errors } = await app.services.people.editPerson({
        userId: request.params.id,
        form,
        actor: { id, role, sessionId: request.session.sessionId },
        now: app.clock.now(),
      });
      if (errors.length) return renderForm(reply, { user: person, form, errors });
      return reply.redirect(SAVED, 303);
    },
  );
};

/** HR's people area: list and search, add and edit one person, CSV import (./import.ts). */
const peopleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(listRoutes);
  await app.register(formRoutes);
  await app.register(importRoutes);
  await app.register(bulkRoutes);
  await app.register(personSearchRoutes);
};

export default peopleRoutes;
