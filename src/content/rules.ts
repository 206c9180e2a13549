import type { ContentIssue, DataPath } from './issues.js';
import type { YamlSource } from './yaml-source.js';

/** Shared cross-checks: duplicate ids within a list, and references to policy clauses. */

/**
 * Reports every item whose id was already used earlier in the same list, pointing at the repeat
 * and naming the line of the first use. `ids[i]` belongs to list item i.
 */
export function reportDuplicateIds(
  ids: readonly (string | undefined)[],
  what: string,
  source: YamlSource,
  idPathAt: (index: number) => DataPath,
  issues: ContentIssue[],
): void {
  const firstIndex = new Map<string, number>();
  ids.forEach((id, index) => {
    if (id === undefined) return; // an item that failed its schema; already reported
    const first = firstIndex.get(id);
    if (first === undefined) {
      firstIndex.set(id, index);
      return;
    }
    const firstLine = source.lineOf(idPathAt(first));
    issues.push(
      source.issue(idPathAt(index), `duplicate ${what} id "${id}" (first used on line ${firstLine})`),
    );
  });
}

/**
 * The set of clause ids from policy.yaml, or undefined when the policy itself failed to load (then
 * reference checks are skipped rather than reporting every reference as dangling).
 */
export type KnownClauses = ReadonlySet<string> | undefined;

export function checkClauseRefs(
  refs: readonly string[],
  known: KnownClauses,
  source: YamlSource,
  path: DataPath,
  issues: ContentIssue[],
): void {
  if (!known) return;
  refs.forEach((ref, index) => {
    if (!known.has(ref))
      issues.push(source.issue([...path, index], `unknown clause "${ref}" (not in policy.yaml)`));
  });
}

export function countWhere<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  return items.reduce((n, item) => (predicate(item) ? n + 1 : n), 0);
}

/** The id of a raw list item if it has a string one (for duplicate checks on partly-invalid lists). */
export function idOf(item: unknown): string | undefined {
  const id = (item as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : undefined;
}
