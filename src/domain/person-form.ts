import { dayKey, parseDay } from './dates.js';
import type { WordValues } from './i18n/words.js';
import { jurisdictionWords, regionWords } from './jurisdictions.js';
import type { Region } from './org-profile.js';
import { isValidEmployeeId, type PlannedPerson, parseLanguage, parseRegion } from './people-csv.js';
import { isValidEmail, normaliseEmail, type Role } from './roles.js';

/**
 * The longest value each person field may hold, as HR's form allows it (its schema uses these);
 * SCIM provisioning holds people to the same limits.
 */
export const PERSON_FIELD_MAX = {
  email: 254,
  name: 200,
  employeeId: 40,
  department: 100,
  hireDate: 10,
  locale: 20,
  region: 20,
} as const;

/** HR's add/edit person form as posted (every field a string; the box `active` ticked or absent). */
export type PersonForm = {
  email: string;
  name: string;
  employeeId: string;
  department: string;
  managerEmail: string;
  hireDate: string;
  locale: string;
  /** A profile region code, or empty: the jurisdiction notices of every region the profile enables. */
  region?: string;
  role: Role;
  active?: 'yes';
};

/**
 * A form problem: `message` is a people.form.errors.* catalogue key, filled in with `values` (a
 * region's name among them is a catalogue key too, worded by the page).
 */
export interface FieldError {
  field: string;
  message: string;
  values?: WordValues;
}

/** The form filled in from a person (or empty for a new one). */
export function formFromPerson(
  person: {
    email: string;
    name: string;
    employeeId?: string | null;
    department: string;
    hireDate?: Date | null;
    locale: string;
    region?: string | null;
    role: Role;
    active: boolean;
  } | null,
  managerEmail: string,
): PersonForm {
  return {
    email: person?.email ?? '',
    name: person?.name ?? '',
    employeeId: person?.employeeId ?? '',
    department: person?.department ?? '',
    managerEmail,
    hireDate: person?.hireDate ? dayKey(new Date(person.hireDate)) : '',
    locale: person?.locale ?? '',
    region: person?.region ?? '',
    role: person?.role ?? 'employee',
    ...(person?.active === false ? {} : { active: 'yes' as const }),
  };
}

/** Only an administrator may grant or take away the administrator role. */
export function adminRoleErrors(actorRole: string, wanted: string, current: string | null): FieldError[] {
  if (actorRole === 'admin' || (wanted !== 'admin' && current !== 'admin')) return [];
  return [{ field: 'role', message: 'people.form.errors.adminRole' }];
}

/** The region error: a region the organisation profile does not enable names the ones it does. */
function regionError(notEnabled: Region | undefined, regions: readonly Region[]): FieldError {
  if (!notEnabled) return { field: 'region', message: 'people.form.errors.region' };
  return {
    field: 'region',
    message: 'people.form.errors.regionNotEnabled',
    values: { region: regionWords(notEnabled), regions: jurisdictionWords(regions, 'or') },
  };
}

/**
 * Checks the add/edit form. The manager is looked up by the caller (`managerId` given here), and
 * `regions` are the ones the organisation profile enables (none: any region);
 * returns the clean input or the field errors to show next to each field.
 */
export function validatePersonForm(
  form: PersonForm,
  manager: { id: string | null; found: boolean },
  regions: readonly Region[] = [],
): { input: PlannedPerson & { role: Role } } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const email = normaliseEmail(form.email);
  if (!isValidEmail(email)) errors.push({ field: 'email', message: 'people.form.errors.email' });
  const name = form.name.trim().replace(/\s+/g, ' ');
  if (!name) errors.push({ field: 'name', message: 'people.form.errors.name' });
  const employeeId = form.employeeId.trim();
  if (employeeId && !isValidEmployeeId(employeeId)) {
    errors.push({ field: 'employeeId', message: 'people.form.errors.employeeId' });
  }
  const hireDate = form.hireDate.trim() ? parseDay(form.hireDate) : null;
  if (form.hireDate.trim() && !hireDate)
    errors.push({ field: 'hireDate', message: 'people.form.errors.hireDate' });
  // The form offers the shipped languages and "not set"; anything else was not chosen from it.
  const language = parseLanguage(form.locale);
  if ('error' in language) errors.push({ field: 'locale', message: 'people.form.errors.language' });
  const region = parseRegion(form.region ?? '', regions);
  if ('error' in region) errors.push(regionError(region.notEnabled, regions));
  const managerEmail = normaliseEmail(form.managerEmail);
  if (managerEmail && !isValidEmail(managerEmail)) {
    errors.push({ field: 'managerEmail', message: 'people.form.errors.managerEmail' });
  } else if (managerEmail && !manager.found) {
    errors.push({ field: 'managerEmail', message: 'people.form.errors.managerUnknown' });
  }
  if (errors.length || 'error' in region || 'error' in language) return { errors };
  return {
    input: {
      email,
      name,
      employeeId: employeeId || null,
      department: form.department.trim(),
      managerId: manager.id,
      hireDate,
      locale: language.language,
      active: form.active === 'yes',
      region: region.region,
      role: form.role,
    },
  };
}
