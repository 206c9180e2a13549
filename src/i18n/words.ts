import type { Words, WordValues } from '../domain/i18n/words.js';
import type { MessageValues, Translator } from './translator.js';

/** Intl's list locale per page language ("a, b and c" without the Oxford comma in English). */
const listLocale = (t: Translator) => (t.lang === 'en' ? 'en-GB' : t.lang);

/** One value in the page's language: a catalogue key or a list is worded, anything else kept. */
export function wordValue(t: Translator, value: Words): string | number | Date {
  if (typeof value !== 'object' || value instanceof Date) return value;
  if ('key' in value) return wordMessage(t, value.key, value.values);
  const items = value.list.map((item) => String(wordValue(t, item)));
  if (value.join === 'comma') return items.join(t.lang === 'ar' ? '، ' : ', ');
  const type = value.join === 'or' ? 'disjunction' : 'conjunction';
  return new Intl.ListFormat(listLocale(t), { type }).format(items);
}

/** A message's values in the page's language (see domain/i18n/words.ts). */
export function wordValues(t: Translator, values: WordValues | undefined): MessageValues | undefined {
  if (!values) return undefined;
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, wordValue(t, value)]));
}

/** The message `key` in the page's language, its values worded first. */
export function wordMessage(t: Translator, key: string, values?: WordValues): string {
  return t.t(key, wordValues(t, values));
}
