import type { FastifyInstance } from 'fastify';
import { type Language, SOURCE_LANGUAGE } from '../../../domain/i18n/languages.js';
import type { TranslationState } from '../../../services/courses/index.js';

/** The problems a broken translation's row lists; the preview lists them all. */
export const ROW_PROBLEMS = 10;

export interface TranslationStatusRow {
  /**
   * current: learners in that language get it; partial / outdated: they get the source course (the
   * row words both flags: a partial translation can be out of date too). clauses: out of date only
   * because a published policy version changed clauses HR can translate in the app. broken: fails the
   * structure check, never served. missing: the course itself is not served.
   */
  state: 'current' | 'partial' | 'outdated' | 'clauses' | 'broken' | 'missing';
  language: Language;
  /** The row's message values; `complete`, `current` and `served` are ICU select values ('yes' / 'no'). */
  values: {
    language: string;
    source: string;
    count: number;
    n: number;
    complete: 'yes' | 'no';
    current: 'yes' | 'no';
    served: 'yes' | 'no';
  };
  /** A broken translation's first ROW_PROBLEMS problems (file:line each); `moreProblems` how many are left. */
  problems: readonly string[];
  moreProblems: number;
  /** HR's form for the changed clauses (routes/hr/policy/translations.ts), when state is 'clauses'. */
  clausesHref: string | null;
  /** HR's read-only preview of the translation's lessons (routes/hr/courses/translations/); none when missing. */
  previewHref: string | null;
}

const yesNo = (flag: boolean) => (flag ? 'yes' : 'no');

function stateOf(t: TranslationState): TranslationStatusRow['state'] {
  if (t.broken) return 'broken';
  if (t.clausesToTranslate) return 'clauses';
  return t.fallback ?? 'current';
}

/** A course's translations as HR's course pages list them (views/partials/translation-status.eta), named in the page language. */
export function translationStatus(
  app: FastifyInstance,
  courseId: string,
  pageLang: Language,
): TranslationStatusRow[] {
  const names = new Intl.DisplayNames([pageLang], { type: 'language' });
  const source = names.of(SOURCE_LANGUAGE) ?? SOURCE_LANGUAGE;
  return app.catalogue.translationsOf(courseId).map((t) => {
    const state = stateOf(t);
    const problems = t.broken ? t.problems : [];
    return {
      state,
      language: t.language,
      values: {
        language: names.of(t.language) ?? t.language,
        source,
        count: t.broken ? problems.length : t.lessons,
        n: (!t.broken && t.clausesToTranslate) || 0,
        complete: yesNo(!t.broken && t.complete),
        current: yesNo(!t.broken && t.current),
        served: yesNo(t.fallback === undefined),
      },
      problems: problems.slice(0, ROW_PROBLEMS),
      moreProblems: Math.max(0, problems.length - ROW_PROBLEMS),
      clausesHref: state === 'clauses' ? `/hr/courses/${courseId}/policy/translations/${t.language}` : null,
      previewHref: state === 'missing' ? null : `/hr/courses/${courseId}/translations/${t.language}`,
    };
  });
}
