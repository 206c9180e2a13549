import type { Translator } from '../i18n/translator.js';

/** A form problem next to its field, as the domain gives it: a catalogue key (or older English text) and its values. */
export interface KeyedFieldError {
  field: string;
  message: string;
  values?: Record<string, string | number>;
}

/**
 * The form's problems in the person's language, for the error summary and the fields: a message
 * that is a catalogue key is translated with its values; one still written in English shows as is.
 */
export function localisedErrors(i18n: Translator, errors: readonly KeyedFieldError[]) {
  return errors.map(({ field, message, values }) => ({
    field,
    message: i18n.has(message) ? i18n.t(message, values) : message,
  }));
}
