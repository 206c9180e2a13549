import { type Language, shippedLanguage } from '../i18n/languages.js';

/**
 * A person's language as HR lists and filters it (issue #26): the language they (or HR) chose, or
 * none ('' on the person: the page follows the browser, then the organisation's default).
 */
export const LANGUAGE_NOT_SET = 'none';

/** The language filter's values: '' (anyone), a shipped language, or LANGUAGE_NOT_SET. */
export type LanguageFilter = Language | typeof LANGUAGE_NOT_SET | '';

/** The filter from a query value: an unknown value means "anyone". */
export function languageFilterFrom(value: string | undefined): LanguageFilter {
  if (!value) return '';
  if (value === LANGUAGE_NOT_SET) return LANGUAGE_NOT_SET;
  return shippedLanguage(value) === value ? (value as Language) : '';
}

/** The person's chosen language, or undefined when none is set (or one no longer shipped). */
export function chosenLanguage(locale: string | null | undefined): Language | undefined {
  return shippedLanguage(locale ?? '');
}

/** Whether a person with this `locale` is selected by the filter. */
export function languageMatches(filter: LanguageFilter, locale: string | null | undefined): boolean {
  if (filter === '') return true;
  const chosen = chosenLanguage(locale);
  return filter === LANGUAGE_NOT_SET ? chosen === undefined : chosen === filter;
}
