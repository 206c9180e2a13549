import type { Course } from '../../domain/course.js';
import { fillPlainText, type StandIns } from '../../domain/course-resolve.js';
import { courseTextLanguage } from '../../domain/course-text-language.js';
import { type Language, SOURCE_LANGUAGE } from '../../domain/i18n/languages.js';
import type { ClauseWording } from '../../domain/policy-version.js';
import { filledChanges, type RequiredChange, type WhatChanged } from '../../domain/reattestation.js';
import type { Catalogue } from '../courses/catalogue.js';

/** A clause to read again, with the wording attested before in the language it is worded in. */
export interface RequiredChangeInLanguage extends RequiredChange {
  /** The language of `before`: the course's, or English where only the recorded English exists. */
  beforeLanguage: Language;
}

export interface WhatChangedInLanguage extends WhatChanged {
  required: RequiredChangeInLanguage[];
}

const sameWording = (a: ClauseWording, b: ClauseWording) =>
  a.title === b.title && a.summary === b.summary && a.text === b.text;

function filledWording(
  w: ClauseWording,
  values: ReadonlyMap<string, string>,
  standIns?: StandIns,
): ClauseWording {
  const fill = (text: string) => fillPlainText(text, values, standIns);
  return { title: fill(w.title), summary: fill(w.summary), text: fill(w.text) };
}

/**
 * What changed as a learner reads it, in the language of the course text they are shown (issue #26):
 * the published versions record English wordings with their placeholders, so for a translated course
 * the wording attested before is the translation's own clause when what they attested was the course
 * files' wording (its translation), filled with the values and stand-ins of that language; a minor
 * change is named by the clause's title as the course shows it. Where only the recorded English exists
 * (an earlier in-app version) it stays English, filled with English values, and says so (`beforeLanguage`).
 */
export function changesInCourseLanguage(
  catalogue: Pick<Catalogue, 'templates' | 'values' | 'fillFor' | 'translationOf'>,
  course: Course,
  changes: WhatChanged,
): WhatChangedInLanguage {
  const { lang } = courseTextLanguage(course);
  const english = catalogue.values();
  const inEnglish = filledChanges(changes, english);
  if (lang === SOURCE_LANGUAGE)
    return { ...inEnglish, required: inEnglish.required.map((r) => ({ ...r, beforeLanguage: lang })) };
  const source = catalogue.templates.get(course.id);
  const translated = catalogue.translationOf(course.id, lang)?.course;
  const { values, standIns } = catalogue.fillFor(course.id, lang);
  const required = changes.required.map((r, i): RequiredChangeInLanguage => {
    const files = source?.clauses.find((c) => c.id === r.clauseId);
    const theirs = translated?.clauses.find((c) => c.id === r.clauseId);
    if (files && theirs && sameWording(files, r.before))
      return { ...r, before: filledWording(theirs, values, standIns), beforeLanguage: lang };
    return { ...inEnglish.required[i]!, beforeLanguage: SOURCE_LANGUAGE };
  });
  const minor = inEnglish.minor.map((m) => ({
    ...m,
    title: course.clauses.find((c) => c.id === m.clauseId)?.title ?? m.title,
  }));
  return { ...changes, required, minor };
}
