import { PERSON_FIELD_MAX } from '../person-form.js';
import { isValidEmail, normaliseEmail } from '../roles.js';
import { ScimProblem } from './errors.js';
import { refusePrototypeKeys } from './safe-keys.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** The person's fields a SCIM User carries (a subset of the stored person). */
export interface ScimPerson {
  _id: string;
  email: string;
  name: string;
  active: boolean;
  department: string;
  employeeId?: string | null;
  managerId?: string | null;
  externalId?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a SCIM User asks to change on the person; an absent key means "keep". */
export interface PersonFromScim {
  email?: string;
  name?: string;
  active?: boolean;
  department?: string;
  employeeId?: string | null;
  managerId?: string | null;
  externalId?: string | null;
}

export interface ScimUser {
  schemas: string[];
  id: string;
  externalId?: string;
  userName: string;
  name: { formatted: string; givenName?: string; familyName?: string };
  displayName: string;
  emails: Array<{ value: string; type: string; primary: boolean }>;
  active: boolean;
  [ENTERPRISE_SCHEMA]: { department?: string; employeeNumber?: string; manager?: { value: string } };
  meta: { resourceType: 'User'; created: Date; lastModified: Date; location: string };
}

/** The SCIM User for a person; `id` is the person's `_id` and `userName` their e-mail. */
export function toScimUser(p: ScimPerson, baseUrl: string): ScimUser {
  const [givenName, ...rest] = p.name.split(/\s+/);
  const enterprise: ScimUser[typeof ENTERPRISE_SCHEMA] = {};
  if (p.department) enterprise.department = p.department;
  if (p.employeeId) enterprise.employeeNumber = p.employeeId;
  if (p.managerId) enterprise.manager = { value: p.managerId };
  return {
    schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
    id: p._id,
    ...(p.externalId ? { externalId: p.externalId } : {}),
    userName: p.email,
    name: { formatted: p.name, givenName, ...(rest.length ? { familyName: rest.join(' ') } : {}) },
    displayName: p.name,
    emails: [{ value: p.email, type: 'work', primary: true }],
    active: p.active,
    [ENTERPRISE_SCHEMA]: enterprise,
    meta: {
      resourceType: 'User',
      created: p.createdAt,
      lastModified: p.updatedAt,
      location: `${baseUrl}/scim/v2/Users/${p._id}`,
    },
  };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Entra sends booleans as the strings "True" and "False". */
export function scimBoolean(v: unknown, attribute: string): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  throw new ScimProblem('invalidValue', `'${attribute}' must be true or false.`);
}

function optionalString(v: unknown, attribute: string): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number') return String(v);
  throw new ScimProblem('invalidValue', `'${attribute}' must be a string.`);
}

function primaryEmail(u: Json): string | undefined {
  const emails = Array.isArray(u.emails) ? (u.emails as unknown[]).filter(isObject) : [];
  const chosen =
    emails.find((e) => e.primary === true || e.primary === 'True') ??
    emails.find((e) => e.type === 'work') ??
    emails[0];
  return typeof chosen?.value === 'string' ? chosen.value : undefined;
}

function displayNameOf(u: Json): string | undefined {
  const name = isObject(u.name) ? u.name : {};
  const parts = [name.givenName, name.familyName].filter(
    (s): s is string => typeof s === 'string' && s.trim() !== '',
  );
  const candidates = [u.displayName, name.formatted, parts.join(' ')];
  return candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '')?.trim();
}

/** The given and family names, for noticing that a PATCH changed them but not displayName. */
const nameParts = (u: Json) =>
  isObject(u.name) ? `${u.name.givenName ?? ''}\u0000${u.name.familyName ?? ''}` : '';

/**
 * The person's fields from a SCIM User body (POST, PUT) or from the resource a PATCH produced.
 * `previous` is the resource before a PATCH: attributes it had and the patched one lacks were
 * removed (so cleared), and a changed e-mail or given/family name wins over the unchanged
 * `userName`/`displayName`. Without `previous` (PUT), absent attributes are not asserted and kept
 * (RFC 7644 §3.5.1).
 */
export function personFromScimUser(body: unknown, previous?: ScimUser): PersonFromScim {
  if (!isObject(body)) throw new ScimProblem('invalidSyntax', 'The request body must be a SCIM User object.');
  refusePrototypeKeys(body, 'A User');
  const out: PersonFromScim = {};
  const prev = previous as unknown as Json | undefined;
  let email = typeof body.userName === 'string' ? body.userName : undefined;
  const mail = primaryEmail(body);
  if (!email || (prev && email === prev.userName && mail && mail !== primaryEmail(prev))) email = mail;
  if (!email && !prev) throw new ScimProblem('invalidValue', `'userName' is required.`);
  if (email !== undefined) {
    if (!isValidEmail(normaliseEmail(email)))
      throw new ScimProblem('invalidValue', `'userName' must be the person's e-mail address.`);
    out.email = normaliseEmail(email);
  }
  let name = displayNameOf(body);
  if (prev && body.displayName === prev.displayName && nameParts(body) !== nameParts(prev)) {
    const n = body.name as Json;
    name = [n.givenName, n.familyName].filter((s) => typeof s === 'string' && s).join(' ') || name;
  }
  if (name) out.name = name;
  else if (!prev) out.name = out.email ?? '';
  if (body.active !== undefined && body.active !== null) out.active = scimBoolean(body.active, 'active');
  if ('externalId' in body || prev) out.externalId = optionalString(body.externalId, 'externalId');
  Object.assign(out, enterpriseFields(body[ENTERPRISE_SCHEMA], Boolean(prev)));
  checkLengths(out);
  return out;
}

/** Each field's SCIM attribute name and HR's limit for it (person-form.ts), for the error's detail. */
const LIMITS: Array<[keyof PersonFromScim, string, number]> = [
  ['email', 'userName', PERSON_FIELD_MAX.email],
  ['name', 'displayName (or name)', PERSON_FIELD_MAX.name],
  ['department', 'department', PERSON_FIELD_MAX.department],
  ['employeeId', 'employeeNumber', PERSON_FIELD_MAX.employeeId],
];

/** Overlong values would flow into the directory, reports and certificates: refused as HR's form does. */
function checkLengths(fields: PersonFromScim): void {
  for (const [field, attribute, max] of LIMITS) {
    const v = fields[field];
    if (typeof v === 'string' && v.length > max)
      throw new ScimProblem('invalidValue', `'${attribute}' may be at most ${max} characters.`);
  }
}

function enterpriseFields(ext: unknown, clearAbsent: boolean): PersonFromScim {
  if (ext === undefined && !clearAbsent) return {};
  if (ext !== undefined && ext !== null && !isObject(ext))
    throw new ScimProblem('invalidSyntax', 'The enterprise extension must be an object.');
  const e = (ext ?? {}) as Json;
  const out: PersonFromScim = {};
  if ('department' in e || clearAbsent) out.department = optionalString(e.department, 'department') ?? '';
  if ('employeeNumber' in e || clearAbsent)
    out.employeeId = optionalString(e.employeeNumber, 'employeeNumber');
  if ('manager' in e || clearAbsent) {
    const m = e.manager;
    out.managerId = isObject(m) ? optionalString(m.value, 'manager.value') : optionalString(m, 'manager');
  }
  return out;
}
