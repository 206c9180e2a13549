import { Type } from 'typebox';
import { LANGUAGES } from '../../../domain/i18n/languages.js';
import { LANGUAGE_NOT_SET } from '../../../domain/people/language.js';
import {
  ACTIVE_CHOICES,
  filtersFrom,
  LIST_STATES,
  PEOPLE_SORTS,
  type PeopleFilters,
} from '../../../domain/people/list-filters.js';
import { ObjectIdString, Slug } from '../../form-schema.js';

/**
 * The people list's filters (names in /work/notes/people-filters.txt, linked to from HR home):
 * the list's GET query, and the same fields carried as hidden inputs by the bulk action form.
 * An empty value means "any" (a form's "Any" choice sends one).
 */
const anyOr = <T extends ReturnType<typeof Type.String>>(schema: T) =>
  Type.Optional(Type.Union([Type.Literal(''), schema]));
const oneOf = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const FilterFields = {
  q: Type.Optional(Type.String({ maxLength: 100 })),
  department: Type.Optional(Type.String({ maxLength: 100 })),
  manager: anyOr(ObjectIdString),
  state: Type.Optional(Type.Union([Type.Literal(''), oneOf(LIST_STATES)])),
  course: anyOr(Slug),
  active: Type.Optional(oneOf(ACTIVE_CHOICES)),
  sort: Type.Optional(oneOf(PEOPLE_SORTS)),
  language: Type.Optional(Type.Union([Type.Literal(''), oneOf([...LANGUAGES, LANGUAGE_NOT_SET])])),
};

export const ListQuery = Type.Object(
  {
    ...FilterFields,
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    saved: Type.Optional(Type.Literal('1')),
  },
  { additionalProperties: false },
);

/** The filters of a query or form that carries FilterFields. */
export const filtersOf = (q: Partial<Record<keyof PeopleFilters, string>>): PeopleFilters => filtersFrom(q);
