/**
 * Placeholders in course text: `{{org.name}}`, `{{ contact.comms }}`. Course files use them wherever
 * the organisation's own name, contacts or links belong; services/courses/ fills them from the
 * organisation profile (domain/org-profile.ts `placeholderValues`). Values are plain text: a caller
 * filling HTML passes an escaping `encode`, so a profile value can never become markup.
 */

/** `{{ name }}`: a dotted name of letters and digits, spaces inside the braces allowed. */
const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*)\s*\}\}/g;

export interface PlaceholderUse {
  name: string;
  /** Offset of the opening braces in the text. */
  index: number;
}

/** Every placeholder in a text, in order. */
export function placeholdersIn(text: string): PlaceholderUse[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1]!, index: m.index }));
}

/** The names used in a text that are not in `known` (each once, in order of first use). */
export function unknownPlaceholders(text: string, known: readonly string[]): string[] {
  const unknown = placeholdersIn(text)
    .map((p) => p.name)
    .filter((name) => !known.includes(name));
  return [...new Set(unknown)];
}

/**
 * The text with each placeholder replaced by its value (passed through `encode` first: the HTML escape for HTML).
 * A name without a value is left as written: the content checks refuse unknown names before this runs.
 */
export function fillPlaceholders(
  text: string,
  values: ReadonlyMap<string, string>,
  encode: (value: string) => string = (value) => value,
): string {
  if (!text.includes('{{')) return text;
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values.get(name);
    return value === undefined ? whole : encode(value);
  });
}
