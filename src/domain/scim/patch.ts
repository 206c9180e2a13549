import { ScimProblem } from './errors.js';
import { checkPatchPath, type ScimResourceType } from './patch-paths.js';
import { refusePrototypeKeys } from './safe-keys.js';

export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A path naming a boolean attribute, whose value Entra may send as "True"/"False". */
const BOOLEAN_PATH =
  /^(urn:ietf:params:scim:schemas:core:2\.0:User:)?(active|emails\[.*\]\.primary|emails\.primary)$/i;
/** The enterprise `manager`, which Entra sends as the bare id string rather than `{ value }`. */
const MANAGER_PATH = /(^|:)manager$/i;

function fixValue(path: string, value: unknown): unknown {
  if (typeof value === 'string' && BOOLEAN_PATH.test(path) && /^(true|false)$/i.test(value))
    return value.toLowerCase() === 'true';
  if (MANAGER_PATH.test(path) && typeof value === 'string') return { value };
  return value;
}

/**
 * A path-less add/replace value object as one operation per leaf attribute, so each merges into
 * the resource (RFC 7644 §3.5.2.3: sub-attributes not named are kept). Entra and Okta send
 * `{"op":"replace","value":{"active":false}}` and keys such as `name.givenName` or the enterprise
 * URN with a sub-attribute.
 */
function expandPathless(op: 'add' | 'replace', value: Json): PatchOperation[] {
  const ops: PatchOperation[] = [];
  for (const [key, v] of Object.entries(value)) {
    const isSchemaUrn = /^urn:.*:2\.0:(User|Group)$/i.test(key);
    if (isObject(v) && (isSchemaUrn || !key.startsWith('urn:')) && !MANAGER_PATH.test(key)) {
      const sep = isSchemaUrn ? ':' : '.';
      for (const [sub, subValue] of Object.entries(v)) {
        const path = `${key}${sep}${sub}`;
        ops.push({ op, path, value: fixValue(path, subValue) });
      }
    } else {
      ops.push({ op, path: key, value: fixValue(key, v) });
    }
  }
  return ops;
}

/**
 * Entra removes group members by value (`{"op":"Remove","path":"members","value":[{"value":"id"}]}`);
 * each becomes a filter path, so the member goes whatever else its stored entry carries.
 */
function removeByValue(path: string, value: unknown): PatchOperation[] {
  if (value === undefined) return [{ op: 'remove', path }];
  const items = Array.isArray(value) ? value : [value];
  const ids = items.map((v) => (isObject(v) ? v.value : undefined));
  if (!/^[A-Za-z]+$/.test(path) || ids.some((v) => typeof v !== 'string'))
    return [{ op: 'remove', path, value }];
  return (ids as string[]).map((id) => ({ op: 'remove', path: `${path}[value eq ${JSON.stringify(id)}]` }));
}

/**
 * Checks a PatchOp body and evens out the clients' dialects before `scim-patch` applies it:
 * `op` in any case ("Replace"), string booleans ("False"), a bare manager id, path-less values.
 * Every resulting path must name a known attribute of `resource` and no value may carry a
 * prototype key (patch-paths.ts): `scim-patch` assigns along the path it is given.
 */
export function normalisePatch(body: unknown, resource: ScimResourceType): PatchOperation[] {
  if (!isObject(body) || !Array.isArray(body.schemas) || !body.schemas.includes(PATCH_SCHEMA))
    throw new ScimProblem('invalidSyntax', `A PATCH body must name the schema ${PATCH_SCHEMA}.`);
  const operations = body.Operations ?? body.operations;
  if (!Array.isArray(operations) || operations.length === 0)
    throw new ScimProblem('invalidSyntax', 'A PATCH body must list its Operations.');
  const out: PatchOperation[] = [];
  for (const raw of operations) {
    if (!isObject(raw) || typeof raw.op !== 'string')
      throw new ScimProblem('invalidSyntax', 'Each operation needs an "op".');
    const op = raw.op.toLowerCase();
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      throw new ScimProblem('invalidSyntax', `Unknown operation "${raw.op}"; use add, replace or remove.`);
    const path = typeof raw.path === 'string' && raw.path.trim() !== '' ? raw.path.trim() : undefined;
    if (path) checkPatchPath(path, resource);
    refusePrototypeKeys(raw.value, 'A PATCH value');
    if (op === 'remove') {
      if (!path) throw new ScimProblem('noTarget', 'A remove operation needs a path.');
      out.push(...removeByValue(path, raw.value));
    } else if (!path) {
      if (!isObject(raw.value))
        throw new ScimProblem('invalidSyntax', `An ${op} operation without a path needs an object value.`);
      out.push(...expandPathless(op, raw.value));
    } else {
      out.push({ op, path, value: fixValue(path, raw.value) });
    }
  }
  for (const o of out) if (o.path) checkPatchPath(o.path, resource);
  return out;
}
