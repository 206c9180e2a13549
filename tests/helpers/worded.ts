import { translator } from '../../src/i18n/translator.js';
import { localisedErrors } from '../../src/routes/field-errors.js';

const en = translator('en');

/**
 * A domain parse result (or a list of its errors) with each error worded as the English page words
 * it: the domain gives catalogue keys with values.
 */
// biome-ignore lint/suspicious/noExplicitAny: a parse result or a list of errors, worded alike
export const worded = (r: any): any =>
  Array.isArray(r)
    ? localisedErrors(en, r)
    : r && 'errors' in r
      ? { ...r, errors: localisedErrors(en, r.errors) }
      : r;
