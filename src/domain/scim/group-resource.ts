import { PERSON_FIELD_MAX } from '../person-form.js';
import { ScimProblem } from './errors.js';
import { refusePrototypeKeys } from './safe-keys.js';

export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export interface StoredGroup {
  _id: string;
  displayName: string;
  externalId: string | null;
  members: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface ScimGroup {
  schemas: string[];
  id: string;
  externalId?: string;
  displayName: string;
  members: Array<{ value: string; $ref: string; type: 'User' }>;
  meta: { resourceType: 'Group'; created: Date; lastModified: Date; location: string };
}

export function toScimGroup(g: StoredGroup, baseUrl: string): ScimGroup {
  return {
    schemas: [GROUP_SCHEMA],
    id: g._id,
    ...(g.externalId ? { externalId: g.externalId } : {}),
    displayName: g.displayName,
    members: g.members.map((value) => ({ value, $ref: `${baseUrl}/scim/v2/Users/${value}`, type: 'User' })),
    meta: {
      resourceType: 'Group',
      created: g.createdAt,
      lastModified: g.updatedAt,
      location: `${baseUrl}/scim/v2/Groups/${g._id}`,
    },
  };
}

/** A group's name, external id and member ids from a SCIM Group body (or a patched resource). */
export function groupFromScim(body: unknown): {
  displayName: string;
  externalId: string | null;
  members: string[];
} {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ScimProblem('invalidSyntax', 'The request body must be a SCIM Group object.');
  refusePrototypeKeys(body, 'A Group');
  const b = body as Record<string, unknown>;
  if (typeof b.displayName !== 'string' || !b.displayName.trim())
    throw new ScimProblem('invalidValue', `'displayName' is required.`);
  const raw = b.members === undefined || b.members === null ? [] : b.members;
  if (!Array.isArray(raw)) throw new ScimProblem('invalidValue', `'members' must be a list.`);
  const members = raw.map((m) => {
    const v = typeof m === 'object' && m !== null ? (m as { value?: unknown }).value : undefined;
    if (typeof v !== 'string' || !v)
      throw new ScimProblem('invalidValue', 'Each member needs a "value" (a User id).');
    return v;
  });
  if (b.displayName.trim().length > PERSON_FIELD_MAX.department)
    throw new ScimProblem(
      'invalidValue',
      `'displayName' may be at most ${PERSON_FIELD_MAX.department} characters (a department's limit).`,
    );
  const externalId = typeof b.externalId === 'string' && b.externalId ? b.externalId : null;
  return { displayName: b.displayName.trim(), externalId, members: [...new Set(members)] };
}
