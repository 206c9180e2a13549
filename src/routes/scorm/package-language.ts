import type { FastifyInstance } from 'fastify';
import type { Course } from '../../domain/course.js';
import { Invalid } from '../../domain/errors.js';
import { LANGUAGE_NAMES, type Language, SOURCE_LANGUAGE } from '../../domain/i18n/languages.js';

export interface PackageLanguage {
  code: Language;
  /** The language's own name (Español), so HR recognises it whatever the page language. */
  name: string;
}

/**
 * The languages a package can be built in (issue #26): the source language and every translation
 * that is complete and current. A partial or out-of-date one would give a package in two languages.
 */
export function packageLanguages(app: FastifyInstance, courseId: string): PackageLanguage[] {
  const served = app.catalogue
    .translationsOf(courseId)
    .filter((t) => t.fallback === undefined)
    .map((t) => t.language);
  return [SOURCE_LANGUAGE, ...served].map((code) => ({ code, name: LANGUAGE_NAMES[code] }));
}

/** The course as packaged in `lang`, or a 400 saying why that language cannot be packaged. */
export function courseForPackage(app: FastifyInstance, source: Course, lang: Language | undefined): Course {
  if (!lang || lang === SOURCE_LANGUAGE) return source;
  const { course, fallback } = app.catalogue.inLanguage(source.id, lang);
  if (course) return course;
  throw new Invalid('scormPage.export.languageRefused', {
    language: LANGUAGE_NAMES[lang],
    reason: fallback ?? 'missing',
  });
}
