import { Type } from 'typebox';
import { PERSON_FIELD_MAX } from '../../../domain/person-form.js';
import { ROLES } from '../../../domain/roles.js';
import { formBody, Text } from '../../form-schema.js';

/** The add/edit person form's schema; its rules are domain/person-form.ts `validatePersonForm`. */
export const PersonBody = formBody({
  email: Text(PERSON_FIELD_MAX.email),
  name: Text(PERSON_FIELD_MAX.name),
  employeeId: Text(PERSON_FIELD_MAX.employeeId),
  department: Text(PERSON_FIELD_MAX.department),
  managerEmail: Text(PERSON_FIELD_MAX.email),
  hireDate: Text(PERSON_FIELD_MAX.hireDate),
  locale: Text(PERSON_FIELD_MAX.locale),
  // Optional so a form (or a client) from before regions existed still posts; empty = not set.
  region: Type.Optional(Text(PERSON_FIELD_MAX.region)),
  role: Type.Union(ROLES.map((r) => Type.Literal(r))),
  active: Type.Optional(Type.Literal('yes')),
});
