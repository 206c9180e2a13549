import type { Course } from './course.js';
import type { StandIn } from './course-resolve.js';
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
  /** Placeholder name → what it says in this language while the profile has no value for it (translation.yaml). */
  standIns?: Readonly<Record<string, StandIn>>;
}

/**
 * A translation folder that fails the structural check: never served (learners get the source course
 * as if there were no translation), kept so HR can tell "broken" from "missing".
 */
export interface BrokenTranslation {
  language: Language;
  /** What content:check reports for it, one `file:line …` message each. */
  problems: string[];
}

/** Why a learner gets the source course instead of their language's. */
export type LanguageFallback = 'missing' | 'partial' | 'outdated';

/** The source course as served now, which a translation is compared with. */
export interface TranslationSource {
  filesVersion: string;
  policyVersion: number;
  /** Every clause the published versions changed has HR's translation for its current English (domain/policy-translation.ts). */
  overlayTranslated?: boolean;
}

/**
 * A translation's state as two independent flags: a partial translation can be out of date too.
 * Out of date when the source files changed since it was translated, or when an in-app policy version
 * was published and HR has not yet saved the translation of every clause it changed
 * (services/policy/translation.ts; only a complete translation can have those).
 */
export function translationState(
  translation: CourseTranslation,
  source: TranslationSource,
): { complete: boolean; current: boolean } {
  const complete = translation.status === 'complete' && translation.course !== undefined;
  const filesCurrent = translation.translatedFrom === source.filesVersion;
  const policyCurrent = source.policyVersion === BASELINE_POLICY_VERSION || source.overlayTranslated === true;
  return { complete, current: filesCurrent && policyCurrent };
}

/** Whether a translation can be served to learners: only when complete AND current; else why not. */
export function translationFallback(
  translation: CourseTranslation | undefined,
  source: TranslationSource,
): LanguageFallback | undefined {
  if (!translation) return 'missing';
  const { complete, current } = translationState(translation, source);
  if (!complete) return 'partial';
  if (!current) return 'outdated';
  return undefined;
}
