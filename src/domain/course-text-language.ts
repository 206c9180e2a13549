import type { Course } from './course.js';
import { type Language, SOURCE_LANGUAGE, textDirection } from './i18n/languages.js';

/** The language and direction a course's text is written in, for `lang`/`dir` on the elements showing it. */
export interface CourseTextLanguage {
  lang: Language;
  dir: 'ltr' | 'rtl';
}

/**
 * A course served in a language other than the page's (the source language as a fallback, issue #26)
 * keeps its own direction: English paragraphs inside an Arabic page must run left to right.
 * Absent language = the source language.
 */
export function courseTextLanguage(course?: Pick<Course, 'language'> | null): CourseTextLanguage {
  const lang = course?.language ?? SOURCE_LANGUAGE;
  return { lang, dir: textDirection(lang) };
}
