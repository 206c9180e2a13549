import { ScimProblem } from './errors.js';

/**
 * Keys that lead from a plain object to the prototypes every object shares. `scim-patch` walks a
 * path segment by segment and assigns, so `constructor.prototype.x` (or `__proto__.x`) would set
 * `x` on `Object.prototype` for the whole server — e.g. `csrf: false`, read by the auth plugin.
 */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Refuses a value (or request body) with a `__proto__`, `constructor` or `prototype` key at any
 * depth — or a key with such a segment, as a path-less PATCH key is itself a path. Walked with a
 * stack, not recursion, so a deeply nested body cannot overflow it.
 */
export function refusePrototypeKeys(value: unknown, what: string): void {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    for (const key of Object.keys(v)) {
      if (key.split(/[.:[\]\s]+/).some((segment) => PROTOTYPE_KEYS.has(segment)))
        throw new ScimProblem('invalidValue', `${what} may not carry the key '${key}'.`);
      stack.push((v as Record<string, unknown>)[key]);
    }
  }
}
