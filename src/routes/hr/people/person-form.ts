import { Type } from 'typebox';
import { parseDay } from '../../../domain/dates.js';
import { isValidEmail, normaliseEmail, ROLES, type Role } from '../../../domain/roles.js';
import type { PersonInput } from '../../../services/people/people.js';
import { formBody, Text } from '../../form-schema.js';

export const PersonBody = formBody({
  email: Text(254),
  name: Text(200),
  employeeId: Text(40),
  department: Text(100),
  managerEmail: Text(254),
  hireDate: Text(10),
  locale: Text(20),
  role: Type.Union(ROLES.map((r) => Type.Literal(r))),
  active: Type.Optional(Type.Literal('yes')),
});

export type PersonForm = {
  email: string;
  name: string;
  employeeId: string;
  department: string;
  managerEmail: string;
  hireDate: string;
  locale: string;
  role: Role;
  active?: 'yes';
};

export interface FieldError {
  field: string;
  message: string;
}

/**
 * Checks the add/edit form. The manager is looked up by the caller (`managerId` given here);
 * returns the clean input or the field errors to show next to each field.
 */
export function validatePersonForm(
  form: PersonForm,
  manager: { id: string | null; found: boolean },
): { input: PersonInput & { role: Role } } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const email = normaliseEmail(form.email);
  if (!isValidEmail(email))
    errors.push({ field: 'email', message: 'Enter a valid email address, like name@example.com.' });
  const name = form.name.trim().replace(/\s+/g, ' ');
  if (!name) errors.push({ field: 'name', message: 'Enter the person’s name.' });
  const employeeId = form.employeeId.trim();
  if (employeeId && !/^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/.test(employeeId)) {
    errors.push({
      field: 'employeeId',
      message: 'Employee ID may use letters, digits, ".", "/", "_" and "-".',
    });
  }
  const hireDate = form.hireDate.trim() ? parseDay(form.hireDate) : null;
  if (form.hireDate.trim() && !hireDate)
    errors.push({ field: 'hireDate', message: 'Enter the hire date as YYYY-MM-DD.' });
  const locale = form.locale.trim() || 'en';
  if (!/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/.test(locale))
    errors.push({ field: 'locale', message: 'Enter a language code such as en or fr-CA.' });
  const managerEmail = normaliseEmail(form.managerEmail);
  if (managerEmail && !isValidEmail(managerEmail)) {
    errors.push({ field: 'managerEmail', message: 'Enter a valid email address for the manager.' });
  } else if (managerEmail && !manager.found) {
    errors.push({ field: 'managerEmail', message: 'Nobody has that email address. Add the manager first.' });
  }
  if (errors.length) return { errors };
  return {
    input: {
      email,
      name,
      employeeId: employeeId || null,
      department: form.department.trim(),
      managerId: manager.id,
      hireDate,
      locale,
      active: form.active === 'yes',
      role: form.role,
    },
  };
}
