import { IntlMessageFormat } from 'intl-messageformat';
import { type Language, SOURCE_LANGUAGE, textDirection } from '../domain/i18n/languages.js';
import { type Catalogue, readCatalogues } from './catalogue.js';

/** The Intl locale each language formats dates and numbers with ("2 March 2026" for English, as before). */
const INTL_LOCALE: Record<Language, string> = { en: 'en-GB', es: 'es', de: 'de', ar: 'ar' };

// Dates are shown in UTC everywhere (domain/display-dates.ts says why); the ICU {d, date, long}
// styles follow the same rule.
const UTC_FORMATS = {
  date: {
    short: { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' },
    medium: { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' },
    long: { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' },
    full: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' },
  },
  time: {
    short: { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' },
    medium: { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'UTC' },
    long: { hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' },
    full: { hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' },
  },
} as const;

export type MessageValues = Record<string, string | number | Date | boolean | null | undefined>;

/** A message key that exists in no catalogue, not even English: a programming error. */
export class MissingMessage extends Error {}

export interface Translator {
  readonly lang: Language;
  readonly dir: 'ltr' | 'rtl';
  /** The message `key` ("learn.lesson.next") in this language, English when not translated. */
  t(key: string, values?: MessageValues): string;
  has(key: string): boolean;
  /** "6 December 2026", "6 de diciembre de 2026", in UTC. */
  day(date: Date | string): string;
  /** The day and time in UTC, marked as UTC. */
  dateTime(date: Date | string): string;
  number(n: number): string;
}

class CatalogueTranslator implements Translator {
  readonly dir: 'ltr' | 'rtl';
  private readonly compiled = new Map<string, IntlMessageFormat>();
  private readonly dayFormat: Intl.DateTimeFormat;
  private readonly dateTimeFormat: Intl.DateTimeFormat;
  private readonly numberFormat: Intl.NumberFormat;

  constructor(
    readonly lang: Language,
    private readonly own: Catalogue,
    private readonly source: Catalogue,
    private readonly strict: boolean,
  ) {
    this.dir = textDirection(lang);
    const locale = INTL_LOCALE[lang];
    this.dayFormat = new Intl.DateTimeFormat(locale, UTC_FORMATS.date.long);
    this.dateTimeFormat = new Intl.DateTimeFormat(locale, {
      ...UTC_FORMATS.date.long,
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    });
    this.numberFormat = new Intl.NumberFormat(locale);
  }

  has(key: string): boolean {
    return this.own.has(key) || this.source.has(key);
  }

  t(key: string, values?: MessageValues): string {
    let format = this.compiled.get(key);
    if (!format) {
      const ownMessage = this.own.get(key);
      const message = ownMessage ?? this.source.get(key);
      if (message === undefined) {
        if (this.strict) throw new MissingMessage(`No message "${key}" in the English catalogue`);
        return key;
      }
      const locale = INTL_LOCALE[ownMessage === undefined ? SOURCE_LANGUAGE : this.lang];
      format = new IntlMessageFormat(message, locale, UTC_FORMATS as never, { ignoreTag: true });
      this.compiled.set(key, format);
    }
    return String(format.format(values as Record<string, never>));
  }

  day(date: Date | string): string {
    return this.dayFormat.format(new Date(date));
  }

  dateTime(date: Date | string): string {
    return this.dateTimeFormat.format(new Date(date));
  }

  number(n: number): string {
    return this.numberFormat.format(n);
  }
}

export interface TranslatorOptions {
  catalogues?: Record<Language, Catalogue>;
  /** Throw on a key no catalogue has (tests and development); production shows the key instead. */
  strict?: boolean;
}

let shared: Record<Language, Catalogue> | undefined;
const cache = new Map<Language, Translator>();

/** The translator for `lang` over the shipped catalogues (read once, kept per language). */
export function translator(lang: Language): Translator {
  let found = cache.get(lang);
  if (!found) {
    found = createTranslator(lang, { strict: process.env.NODE_ENV !== 'production' });
    cache.set(lang, found);
  }
  return found;
}

export function createTranslator(lang: Language, options: TranslatorOptions = {}): Translator {
  if (!options.catalogues) shared ??= readCatalogues();
  const catalogues = options.catalogues ?? shared!;
  return new CatalogueTranslator(lang, catalogues[lang], catalogues[SOURCE_LANGUAGE], options.strict ?? true);
}
