import type { WordValues } from '../domain/i18n/words.js';
import type { Translator } from '../i18n/translator.js';
import { wordMessage } from '../i18n/words.js';

/**
 * A form problem next to its field, as the domain gives it: a catalogue key (or older English text)
 * and its values, some of which may be catalogue keys themselves (a region's name).
 */
export interface KeyedFieldError {
  field: string;
  message: string;
  values?: WordValues;
}

/**
 * The form's problems in the person's language, for the error summary and the fields: a message
 * that is a catalogue key is translated with its values (each worded first); one still written in
 * English shows as is.
 */
export function localisedErrors(i18n: Translator, errors: readonly KeyedFieldError[]) {
  return errors.map(({ field, message, values }) => ({
    field,
    message: i18n.has(message) ? wordMessage(i18n, message, values) : message,
  }));
}
