import type { Language } from '../domain/i18n/languages.js';
import { REGIONS } from '../domain/org-profile.js';
import { translator } from '../i18n/translator.js';
import type { ScenarioChoice } from './scenario.js';

/**
 * The words the content layer itself adds to a lesson's HTML (scenario step headings, outcomes and
 * links; "For staff in …" on notice blocks), in the course's language. Lesson HTML is rendered once
 * at load, so these come from the `course` catalogue of the language the files are written in, not
 * the page language (a course is all one language, chrome included).
 */
export interface LessonLabels {
  /** "Step 2" or "Step 2: The reply" (plain text). */
  step(n: number, title: string | undefined): string;
  outcome(outcome: NonNullable<ScenarioChoice['outcome']>): string;
  /** "Go to Step 2: The reply". */
  goTo(stepHeading: string): string;
  scenarioEnd: string;
  tryAgain: string;
  /** "For staff in the United States and the United Kingdom". */
  noticeFor(codes: readonly string[]): string;
  /** The notice section's accessible name: "Notice: For staff in …". */
  noticeLabel(forWhom: string): string;
}

/** Intl's list style per language ("A, B and C": en-GB has no serial comma, as before). */
const LIST_LOCALE: Record<Language, string> = { en: 'en-GB', es: 'es', de: 'de', ar: 'ar' };

export function lessonLabels(lang: Language): LessonLabels {
  const messages = translator(lang);
  const t = messages.t.bind(messages);
  const list = new Intl.ListFormat(LIST_LOCALE[lang], { type: 'conjunction' });
  return {
    step: (n, title) =>
      title ? t('course.scenario.stepTitled', { n, title }) : t('course.scenario.step', { n }),
    outcome: (outcome) => t(`course.scenario.outcome.${outcome}`),
    goTo: (step) => t('course.scenario.goTo', { step }),
    scenarioEnd: t('course.scenario.end'),
    tryAgain: t('course.scenario.tryAgain'),
    noticeFor: (codes) => {
      const regions = REGIONS.filter((r) => codes.includes(r));
      const places = list.format(regions.map((r) => t(`course.notice.region.${r}`)));
      return t('course.notice.for', { places });
    },
    noticeLabel: (forWhom) => t('course.notice.label', { forWhom }),
  };
}

/** The source course's labels (English), made once. */
export const SOURCE_LESSON_LABELS: LessonLabels = lessonLabels('en');
