import { ScimProblem } from './errors.js';
import { GROUP_SCHEMA } from './group-resource.js';
import { PROTOTYPE_KEYS } from './safe-keys.js';
import { ENTERPRISE_SCHEMA, USER_SCHEMA } from './user-resource.js';

export type ScimResourceType = 'User' | 'Group';

/** The attributes (and sub-attributes) a PATCH may name, per resource; anything else is `invalidPath`. */
const CORE_PATHS: Record<ScimResourceType, readonly string[]> = {
  // `id` and `schemas`: Okta's path-less replace repeats them; the resource mappers ignore both.
  User: [
    'id',
    'schemas',
    'userName',
    'externalId',
    'displayName',
    'active',
    'name',
    'name.formatted',
    'name.givenName',
    'name.familyName',
    'emails',
    'emails.value',
    'emails.type',
    'emails.primary',
  ],
  Group: ['id', 'schemas', 'displayName', 'externalId', 'members', 'members.value'],
};
const ENTERPRISE_PATHS = ['department', 'employeeNumber', 'manager', 'manager.value'];
const SCHEMA_OF: Record<ScimResourceType, string> = { User: USER_SCHEMA, Group: GROUP_SCHEMA };

/** `attr`, `attr.sub`, `attr[filter]` or `attr[filter].sub` (RFC 7644 §3.5.2 `attrPath`/`valuePath`). */
const ATTR_PATH = /^([A-Za-z][\w-]*)(?:\[([^\]]*)\])?(?:\.([A-Za-z][\w-]*))?$/;

const lower = (list: readonly string[]) => new Set(list.map((p) => p.toLowerCase()));
const CORE = { User: lower(CORE_PATHS.User), Group: lower(CORE_PATHS.Group) };
const ENTERPRISE = lower(ENTERPRISE_PATHS);

function refusePath(path: string): never {
  throw new ScimProblem(
    'invalidPath',
    `The path '${path}' does not name an attribute this provider accepts.`,
  );
}

/** The words of a value filter outside its quoted strings, e.g. `type` and `eq` of `type eq "work"`. */
const filterWords = (filter: string) => filter.replace(/"(?:[^"\\]|\\.)*"/g, '""').match(/[\w$]+/g) ?? [];

/**
 * Accepts only paths naming a known attribute of the resource, optionally behind its schema URN
 * (the enterprise extension's for a User), with a value filter on a multi-valued attribute.
 */
export function checkPatchPath(path: string, resource: ScimResourceType): void {
  const lowerPath = path.toLowerCase();
  let rest = path;
  let allowed = CORE[resource];
  const enterprise = `${ENTERPRISE_SCHEMA}`.toLowerCase();
  if (resource === 'User' && lowerPath === enterprise) return;
  if (resource === 'User' && lowerPath.startsWith(`${enterprise}:`)) {
    rest = path.slice(enterprise.length + 1);
    allowed = ENTERPRISE;
  } else if (lowerPath.startsWith(`${SCHEMA_OF[resource].toLowerCase()}:`)) {
    rest = path.slice(SCHEMA_OF[resource].length + 1);
  }
  const m = ATTR_PATH.exec(rest);
  if (!m) refusePath(path);
  const [, attr, filter, sub] = m as unknown as [string, string, string | undefined, string | undefined];
  const named = (sub ? `${attr}.${sub}` : attr).toLowerCase();
  if (!allowed.has(named)) refusePath(path);
  if (filter !== undefined && filterWords(filter).some((w) => PROTOTYPE_KEYS.has(w))) refusePath(path);
}
