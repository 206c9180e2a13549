import { describe, expect, it } from 'vitest';
import { chooseLanguage, LANGUAGES, type Language } from '../../../src/domain/i18n/languages.js';
import type { Catalogue } from '../../../src/i18n/catalogue.js';
import { createTranslator, translator } from '../../../src/i18n/translator.js';

// Message formatting in every shipped language (issue #26): plural forms by each language's CLDR
// rules, dates in UTC with the language's month names, numbers with its separators and digits.
const PEOPLE: Record<Language, string> = {
  en: '{count, plural, one {# person} other {# people}}',
  es: '{count, plural, one {# persona} other {# personas}}',
  de: '{count, plural, one {# Person} other {# Personen}}',
  ar: '{count, plural, zero {لا أحد} one {شخص واحد} two {شخصان} few {# أشخاص} many {# شخصًا} other {# شخص}}',
};
const DUE: Record<Language, string> = {
  en: 'Due {due, date, long}',
  es: 'Vence el {due, date, long}',
  de: 'Fällig am {due, date, long}',
  ar: 'الموعد النهائي {due, date, long}',
};
const catalogues = Object.fromEntries(
  LANGUAGES.map((l) => [
    l,
    new Map([
      ['t.people', PEOPLE[l]],
      ['t.due', DUE[l]],
    ]),
  ]),
) as unknown as Record<Language, Catalogue>;
const tr = (lang: Language) => createTranslator(lang, { catalogues });
// 23:30 UTC: the day in UTC, whatever the server's time zone.
const due = new Date('2026-03-02T23:30:00Z');

describe('plurals', () => {
  it.each([
    ['en', [1, 2, 0], ['1 person', '2 people', '0 people']],
    ['es', [1, 2, 0], ['1 persona', '2 personas', '0 personas']],
    ['de', [1, 2, 0], ['1 Person', '2 Personen', '0 Personen']],
  ] as const)('%s', (lang, counts, expected) => {
    expect(counts.map((count) => tr(lang).t('t.people', { count }))).toEqual(expected);
  });

  it('ar: all six CLDR forms (the ar locale writes Western digits in current CLDR)', () => {
    const t = tr('ar');
    expect([0, 1, 2, 3, 11, 100].map((count) => t.t('t.people', { count }))).toEqual([
      'لا أحد',
      'شخص واحد',
      'شخصان',
      '3 أشخاص',
      '11 شخصًا',
      '100 شخص',
    ]);
  });
});

describe('dates and numbers', () => {
  it('dates inside messages, in UTC, with each language’s month names', () => {
    expect(tr('en').t('t.due', { due })).toBe('Due 2 March 2026');
    expect(tr('es').t('t.due', { due })).toBe('Vence el 2 de marzo de 2026');
    expect(tr('de').t('t.due', { due })).toBe('Fällig am 2. März 2026');
    expect(tr('ar').t('t.due', { due })).toBe('الموعد النهائي 2 مارس 2026');
  });

  it('day() and number() follow the language', () => {
    expect(LANGUAGES.map((l) => tr(l).day(due))).toEqual([
      '2 March 2026',
      '2 de marzo de 2026',
      '2. März 2026',
      '2 مارس 2026',
    ]);
    expect(LANGUAGES.map((l) => tr(l).number(1234.5))).toEqual(['1,234.5', '1234,5', '1.234,5', '1,234.5']);
  });

  it('a message not yet translated falls back to English; a key English lacks throws', () => {
    const partial = { ...catalogues, es: new Map<string, string>() };
    expect(createTranslator('es', { catalogues: partial }).t('t.people', { count: 2 })).toBe('2 people');
    expect(() => tr('de').t('t.nowhere')).toThrow(/No message "t.nowhere"/);
  });

  it('the shipped catalogues format the switcher’s words in every language', () => {
    expect(LANGUAGES.map((l) => translator(l).t('common.language.change'))).toEqual([
      'Change language',
      'Cambiar idioma',
      'Sprache ändern',
      'تغيير اللغة',
    ]);
    expect(translator('ar').dir).toBe('rtl');
  });
});

describe('chooseLanguage', () => {
  it('takes the person’s choice, then the cookie, then the browser, then the organisation, then English', () => {
    const all = { chosen: 'ar', cookie: 'de', browser: ['es'], organisation: 'de' };
    expect(chooseLanguage(all)).toBe('ar');
    expect(chooseLanguage({ ...all, chosen: '' })).toBe('de');
    expect(chooseLanguage({ ...all, chosen: '', cookie: null })).toBe('es');
    expect(chooseLanguage({ ...all, chosen: '', cookie: null, browser: [] })).toBe('de');
    expect(chooseLanguage({})).toBe('en');
  });

  it('skips what is not shipped and reads regional codes as their language', () => {
    expect(chooseLanguage({ chosen: 'fr', cookie: 'xx', browser: ['pt-BR', 'es-MX'] })).toBe('es');
    expect(chooseLanguage({ browser: ['fr'], organisation: 'fr' })).toBe('en');
  });
});
