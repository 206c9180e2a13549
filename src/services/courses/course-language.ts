import { AsyncLocalStorage } from 'node:async_hooks';
import type { Course } from '../../domain/course.js';
import type { LanguageFallback } from '../../domain/course-translation.js';
import { type Language, SOURCE_LANGUAGE } from '../../domain/i18n/languages.js';

/**
 * The course language of one learner request. The served courses Map (`app.courses` / `ctx.courses`,
 * held by 60+ readers: routes, the quiz, records and learning services) answers `get(id)` in the
 * learner's language while a learner page is handled, so lessons, examples, the guide, the quiz and
 * the attestation all come from ONE course object in one language, without each reader choosing.
 * Outside a scope (HR pages, jobs, the CLI) it answers the source course: HR edits and reports work on
 * the source text, never on a translation.
 */
export interface CourseLanguageScope {
  /** Read when a course is looked up (the page language is chosen after the scope starts). */
  language: () => Language | undefined;
  /** Course id → why the learner got the source course (the page shows a notice). */
  fallbacks: Map<string, LanguageFallback>;
}

const storage = new AsyncLocalStorage<CourseLanguageScope>();

/** Runs `fn` (and everything it starts) with course lookups in the scope's language. */
export function runInCourseLanguage<T>(scope: CourseLanguageScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentCourseLanguageScope(): CourseLanguageScope | undefined {
  return storage.getStore();
}

/** What the catalogue answers for a course in a language: the translated course, or why not. */
export type PickCourse = (
  courseId: string,
  lang: Language,
) => { course?: Course; fallback?: LanguageFallback };

/**
 * Makes the served Map's `get` answer in the current scope's language. The Map object stays the
 * same (every reader holds it; tests check its identity), only its own `get` is replaced.
 */
export function answerInScopeLanguage(served: Map<string, Course>, pick: PickCourse): void {
  const sourceGet = Map.prototype.get;
  Object.defineProperty(served, 'get', {
    configurable: true,
    value(courseId: string): Course | undefined {
      const source = sourceGet.call(served, courseId) as Course | undefined;
      const scope = storage.getStore();
      const lang = scope?.language();
      if (!source || !scope || !lang || lang === SOURCE_LANGUAGE) return source;
      const choice = pick(courseId, lang);
      if (choice.course) return choice.course;
      if (choice.fallback) scope.fallbacks.set(courseId, choice.fallback);
      return source;
    },
  });
}
