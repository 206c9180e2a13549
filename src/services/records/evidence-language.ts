import { type Language, SOURCE_LANGUAGE, textDirection } from '../../domain/i18n/languages.js';
import { REGIONS } from '../../domain/org-profile.js';
import type { Translator } from '../../i18n/translator.js';

/**
 * The language of a piece of evidence (attestation, kept policy text, certificate). Records stored
 * before languages were recorded carry none: they were English, the only language there was.
 */
export function recordLanguage(record: { language?: Language | null } | null | undefined): Language {
  return record?.language ?? SOURCE_LANGUAGE;
}

/** "the United States and the United Kingdom", "Estados Unidos y el Reino Unido": regions in words. */
export function regionNames(t: Translator, codes: readonly string[]): string {
  const names = REGIONS.filter((r) => codes.includes(r)).map((r) => t.t(`certificate.region.${r}`));
  return new Intl.ListFormat(t.lang === 'en' ? 'en-GB' : t.lang, { type: 'conjunction' }).format(names);
}

/**
 * The text options a PDF of this language needs. PDFKit shapes Arabic (fontkit) but lays a whole
 * line out as one run: with a word spacing, however small, it places the words one by one, which
 * keeps the spaces and gives a right-to-left line its words in reading order.
 */
export function pdfLanguageOptions(lang: Language): { wordSpacing?: number; align?: 'right' } {
  return textDirection(lang) === 'rtl' ? { wordSpacing: 0.001, align: 'right' } : {};
}
