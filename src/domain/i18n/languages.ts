/**
 * The languages the product ships (interface catalogues in src/i18n/messages/, course translations
 * in courses/<id>/i18n/<lang>/). English is the source language: every message and every course
 * exists in it, and it is what anything else falls back to.
 */
export const LANGUAGES = ['en', 'es', 'de', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];
export const SOURCE_LANGUAGE: Language = 'en';

/** Each language's own name for itself: the switcher lists them so, whatever the page's language. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  es: 'Español',
  de: 'Deutsch',
  ar: 'العربية',
};

const RIGHT_TO_LEFT = new Set<Language>(['ar']);

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function textDirection(lang: Language): 'ltr' | 'rtl' {
  return RIGHT_TO_LEFT.has(lang) ? 'rtl' : 'ltr';
}

/** "es-MX" → "es" when Spanish ships; undefined for a language we do not ship. */
export function shippedLanguage(code: string | null | undefined): Language | undefined {
  if (!code) return undefined;
  const base = code.trim().toLowerCase().split(/[-_]/)[0];
  return isLanguage(base) ? base : undefined;
}

export interface LanguageSources {
  /** The person's own choice (their profile, set by them or by HR); empty when never chosen. */
  chosen?: string | null;
  /** The language picked with the switcher before signing in (a cookie). */
  cookie?: string | null;
  /** The browser's Accept-Language preferences, best first, already narrowed to what we ship. */
  browser?: readonly string[];
  /** The organisation's default language (admin setting). */
  organisation?: string | null;
}

/**
 * Which language a page is in: the person's choice, then the switcher's cookie, then the browser's
 * Accept-Language, then the organisation's default, then English.
 */
export function chooseLanguage(sources: LanguageSources): Language {
  const candidates = [sources.chosen, sources.cookie, ...(sources.browser ?? []), sources.organisation];
  for (const candidate of candidates) {
    const lang = shippedLanguage(candidate);
    if (lang) return lang;
  }
  return SOURCE_LANGUAGE;
}
