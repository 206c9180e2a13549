/**
 * Words a message value holds that the page must still put in its own language. The domain never
 * calls the translator (README "Languages"), so where a message's value is itself text, a region's
 * name say, it gives the catalogue key of that text, or a list of them, and the route or service
 * that words the message words these first (src/i18n/words.ts).
 */
export type Words = string | number | Date | KeyWords | ListWords;

/** A catalogue message, with its own values. */
export interface KeyWords {
  key: string;
  values?: WordValues;
}

/**
 * Several words joined as the page's language joins them: "a, b and c", "a or b"; `comma` lists
 * without a conjunction ("uk (…), eu (…)").
 */
export interface ListWords {
  list: readonly Words[];
  join: 'and' | 'or' | 'comma';
}

export type WordValues = Record<string, Words>;

export const keyWords = (key: string, values?: WordValues): KeyWords => (values ? { key, values } : { key });
