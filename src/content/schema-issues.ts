import type { TSchema } from 'typebox';
import type { TLocalizedValidationError } from 'typebox/error';
import { Value } from 'typebox/value';
import { ID_PATTERN } from '../domain/course.js';
import type { ContentIssue, DataPath } from './issues.js';
import type { YamlSource } from './yaml-source.js';

/**
 * Validates `value` (found at `basePath` inside `source`) against a TypeBox schema and turns each
 * error into an issue with the file, the line of the offending YAML node and a readable field path.
 * Returns true when the value is valid.
 */
export function checkSchema(
  schema: TSchema,
  value: unknown,
  source: YamlSource,
  basePath: DataPath,
  issues: ContentIssue[],
): boolean {
  const errors = Value.Errors(schema, value);
  for (const error of errors) {
    const path = [...basePath, ...toDataPath(error.instancePath, value)];
    for (const issue of describe(error, path, source)) issues.push(issue);
  }
  return errors.length === 0;
}

/** JSON pointer → data path; numeric segments become indexes only where the data is an array. */
function toDataPath(pointer: string, root: unknown): (string | number)[] {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current) && /^\d+$/.test(key)) {
      path.push(Number(key));
      current = current[Number(key)];
    } else {
      path.push(key);
      current = isRecord(current) ? current[key] : undefined;
    }
  }
  return path;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(error: TLocalizedValidationError, path: DataPath, source: YamlSource): ContentIssue[] {
  switch (error.keyword) {
    case 'required':
      return error.params.requiredProperties.map((name) =>
        source.issue([...path, name], 'missing required field'),
      );
    case 'additionalProperties':
      return error.params.additionalProperties.map((name) =>
        source.issue([...path, name], `unknown field (not allowed here)`),
      );
    case 'boolean':
      // TypeBox reports each unknown property twice (as `false` schema and as additionalProperties);
      // keep the additionalProperties one, which names the field.
      return error.schemaPath.endsWith('additionalProperties') ? [] : [source.issue(path, error.message)];
    case 'type':
      return [source.issue(path, `must be ${withArticle(String(error.params.type))}`)];
    case 'enum':
      return [source.issue(path, `must be one of ${error.params.allowedValues.map(String).join(', ')}`)];
    case 'const':
      return [source.issue(path, `must be ${String(error.params.allowedValue)}`)];
    case 'minItems':
      return [
        source.issue(path, `must have at least ${error.params.limit} item${plural(error.params.limit)}`),
      ];
    case 'maxItems':
      return [
        source.issue(path, `must have at most ${error.params.limit} item${plural(error.params.limit)}`),
      ];
    case 'minLength':
      return [
        source.issue(
          path,
          error.params.limit === 1
            ? 'must not be empty'
            : `must be at least ${error.params.limit} characters`,
        ),
      ];
    case 'maxLength':
      return [source.issue(path, `must be at most ${error.params.limit} characters`)];
    case 'minimum':
      return [source.issue(path, `must be at least ${error.params.limit}`)];
    case 'maximum':
      return [source.issue(path, `must be at most ${error.params.limit}`)];
    case 'pattern':
      return [
        source.issue(
          path,
          error.params.pattern === ID_PATTERN
            ? 'must be an id: letters, digits, "-" and "_" only (no spaces, dots or $)'
            : `must match ${error.params.pattern}`,
        ),
      ];
    default:
      return [source.issue(path, error.message)];
  }
}

function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
