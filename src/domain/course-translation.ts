import type { Course } from './course.js';
import type { Language } from './i18n/languages.js';
import { BASELINE_POLICY_VERSION } from './policy-version.js';

/**
 * A course's translation (`courses/<id>/i18n/<lang>/`, content/translation/). Learners get it only
 * when it is complete and current; otherwise the source course with a notice, never a mix.
 */
export const TRANSLATION_STATUSES = ['complete', 'partial'] as const;
export type TranslationStatus = (typeof TRANSLATION_STATUSES)[number];

export interface CourseTranslation {
  language: Language;
  status: TranslationStatus;
  /** The source course files' version (sha256) the translator worked from (translation.yaml). */
  translatedFrom: string;
  /** The lessons translated: every lesson when complete. */
  lessons: string[];
  /** A complete translation as a course template (placeholders unfilled, no overlay); absent when partial. */
  course?: Course;
}

/** Why a learner gets the source course instead of their language's. */
export type LanguageFallback = 'missing' | 'partial' | 'outdated';

/**
 * Whether a translation can be served for a source course as it is served now. Out of date when the
 * source files changed since it was translated, or when an in-app policy version was published and
 * HR has not yet saved the translation of every clause it changed (services/policy/translation.ts).
 */
export function translationFallback(
  translation: CourseTranslation | undefined,
  source: {
    filesVersion: string;
    policyVersion: number;
    /** Every clause the published versions changed has HR's translation for its current English (domain/policy-translation.ts). */
    overlayTranslated?: boolean;
  },
): LanguageFallback | undefined {
  if (!translation) return 'missing';
  if (translation.status !== 'complete' || !translation.course) return 'partial';
  if (translation.translatedFrom !== source.filesVersion) return 'outdated';
  if (source.policyVersion !== BASELINE_POLICY_VERSION && !source.overlayTranslated) return 'outdated';
  return undefined;
}
