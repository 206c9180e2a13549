import type { FastifyInstance } from 'fastify';
import type { LanguageFallback } from '../../../domain/course-translation.js';
import { type Language, SOURCE_LANGUAGE } from '../../../domain/i18n/languages.js';

export interface TranslationStatusRow {
  /**
   * current: learners in that language get it; otherwise they get the source course. clauses: out of
   * date only because a published policy version changed clauses HR can translate in the app.
   */
  state: LanguageFallback | 'current' | 'clauses';
  language: Language;
  values: { language: string; source: string; count: number; n: number };
  /** HR's form for the changed clauses (routes/hr/policy/translations.ts), when state is 'clauses'. */
  clausesHref: string | null;
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
    state: t.clausesToTranslate ? 'clauses' : (t.fallback ?? 'current'),
    language: t.language,
    values: {
      language: names.of(t.language) ?? t.language,
      source,
      count: t.lessons,
      n: t.clausesToTranslate ?? 0,
    },
    clausesHref: t.clausesToTranslate ? `/hr/courses/${courseId}/policy/translations/${t.language}` : null,
    previewHref: t.fallback === 'missing' ? null : `/hr/courses/${courseId}/translations/${t.language}`,
  }));
}
