import { ScimProblem } from './errors.js';

/** The one filter shape this provider answers: `<attribute> eq "<value>"`. */
export interface EqFilter {
  attribute: string;
  value: string;
}

const EQ = /^\s*([A-Za-z][\w.:-]*)\s+([A-Za-z]{2})\s+("(?:[^"\\]|\\.)*"|true|false|null|-?\d+(?:\.\d+)?)\s*$/;
const OPERATORS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr']);

/**
 * Parses a SCIM filter (RFC 7644 §3.4.2.2) limited to `eq` on the given attributes (matched
 * case-insensitively, as attribute names are, and returned in the spelling given in `allowed`).
 * Anything else (another operator, `and`/`or`, an unknown attribute) is refused with `invalidFilter`:
 * answering it with an empty list would make an identity provider create duplicates.
 */
export function parseEqFilter(filter: string, allowed: readonly string[]): EqFilter {
  const m = EQ.exec(filter);
  if (!m)
    throw new ScimProblem('invalidFilter', `Only filters of the form 'attribute eq "value"' are supported.`);
  const [, attr, op, raw] = m as unknown as [string, string, string, string];
  if (!OPERATORS.has(op.toLowerCase()))
    throw new ScimProblem('invalidFilter', `Unknown filter operator '${op}'.`);
  if (op.toLowerCase() !== 'eq')
    throw new ScimProblem('invalidFilter', `The operator '${op}' is not supported; use 'eq'.`);
  const bare = attr.replace(/^urn:ietf:params:scim:schemas:core:2\.0:(User|Group):/i, '');
  const attribute = allowed.find((a) => a.toLowerCase() === bare.toLowerCase());
  if (!attribute)
    throw new ScimProblem(
      'invalidFilter',
      `Filtering on '${attr}' is not supported; use ${allowed.join(', ')}.`,
    );
  return { attribute, value: raw.startsWith('"') ? unquote(raw) : raw };
}

/** A filter's quoted string, with JSON's escapes (RFC 7644 §3.4.2.2); any other escape is `invalidFilter`. */
function unquote(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    throw new ScimProblem('invalidFilter', `The filter value ${quoted} has an escape that is not allowed.`);
  }
}

/** RFC 7644 §3.4.2.4: `startIndex` is 1-based (below 1 means 1), `count` below 0 means 0, capped at `max`. */
export function pageWindow(
  startIndex: number | undefined,
  count: number | undefined,
  max: number,
): { skip: number; limit: number } {
  const start = Math.max(1, Math.floor(startIndex ?? 1));
  const limit = Math.min(max, Math.max(0, Math.floor(count ?? max)));
  return { skip: start - 1, limit };
}
