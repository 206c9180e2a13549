import { Type } from 'typebox';
import { ROLES } from '../../../domain/roles.js';
import { formBody, Text } from '../../form-schema.js';

/** The add/edit person form's schema; its rules are domain/person-form.ts `validatePersonForm`. */
export const PersonBody = formBody({
  email: Text(254),
  name: Text(200),
  employeeId: Text(40),
  department: Text(100),
  managerEmail: Text(254),
  hireDate: Text(10),
  locale: Text(20),
  // Optional so a form (or a client) from before regions existed still posts; empty = not set.
  region: Type.Optional(Text(20)),
  role: Type.Union(ROLES.map((r) => Type.Literal(r))),
  active: Type.Optional(Type.Literal('yes')),
});
