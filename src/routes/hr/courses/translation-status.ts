import type { FastifyInstance } from 'fastify';
import type { LanguageFallback } from '../../../domain/course-translation.js';
import { type Language, SOURCE_LANGUAGE } from '../../../domain/i18n/languages.js';

export interface TranslationStatusRow {
  /** current: learners in that language get it; otherwise they get the source course. */
  state: LanguageFallback | 'current';
  language: Language;
  values: { language: string; source: string; count: number };
  /** HR's read-only preview of the translation's lessons (routes/hr/courses/translations/); none when missing. */
  previewHref: string | null;
}

/** A course's translations as HR's course pages list them (views/partials/translation-status.eta), named in the page language. */
export function translationStatus(
  app: FastifyInstance,
  courseId: string,
  pageLang: Language,
): TranslationStatusRow[] {
  const names = new Intl.DisplayNames([pageLang], { type: 'language' });
  const source = names.of(SOURCE_LANGUAGE) ?? SOURCE_LANGUAGE;
  return app.catalogue.translationsOf(courseId).map((t) => ({
    state: t.fallback ?? 'current',
    language: t.language,
    values: { language: names.of(t.language) ?? t.language, source, count: t.lessons },
    previewHref: t.fallback === 'missing' ? null : `/hr/courses/${courseId}/translations/${t.language}`,
  }));
}
