import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { defaultCoursesDir, loadCourses } from '../content/index.js';
import { servableTranslations } from '../content/translation/index.js';
import type { Course } from '../domain/course.js';
import type { BrokenTranslation, CourseTranslation, LanguageFallback } from '../domain/course-translation.js';
import { SOURCE_LANGUAGE } from '../domain/i18n/languages.js';
import { type CourseLanguageScope, runInCourseLanguage } from '../services/courses/course-language.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The courses as served, parsed once at start-up (invalid content stops the start) and resolved in
     * place by `app.catalogue` (services/courses/): placeholders filled from the organisation profile,
     * the published policy overlay applied. Always this one Map object. Inside a learner page
     * (`/learn/…`) its `get` answers in the page language (services/courses/course-language.ts).
     */
    courses: Map<string, Course>;
    /** Course id → its translations that passed the structural check (content/translation/). */
    courseTranslations: Map<string, CourseTranslation[]>;
    /** Course id → its translations that fail the check: never served, listed to HR as broken. */
    brokenTranslations: Map<string, BrokenTranslation[]>;
  }
  interface FastifyRequest {
    /** Set on learner pages: the page language for course lookups and the fallbacks made. */
    courseLanguage?: CourseLanguageScope;
  }
}

/**
 * Learner pages: every course they show comes in the page language when a current translation exists.
 * Everything under `/learn/`, and any other route marked `config: { courseLanguage: true }`.
 */
const LEARNER_PAGES = '/learn/';

function isLearnerPage(request: FastifyRequest): boolean {
  return request.url.startsWith(LEARNER_PAGES) || request.routeOptions.config?.courseLanguage === true;
}

export default fp(
  async function courses(
    app: FastifyInstance,
    opts: {
      courses?: Map<string, Course>;
      translations?: Map<string, CourseTranslation[]>;
      brokenTranslations?: Map<string, BrokenTranslation[]>;
    },
  ) {
    const courses = opts.courses ?? (await loadCourses(defaultCoursesDir));
    app.decorate('courses', courses);
    const shipped = opts.courses
      ? { translations: new Map(), broken: new Map() }
      : await shippedTranslations(app, courses);
    app.decorate('courseTranslations', opts.translations ?? shipped.translations);
    app.decorate('brokenTranslations', opts.brokenTranslations ?? shipped.broken);

    app.addHook('onRequest', (request, _reply, done) => {
      if (!isLearnerPage(request)) return done();
      const scope: CourseLanguageScope = { language: () => request.i18n?.lang, fallbacks: new Map() };
      request.courseLanguage = scope;
      runInCourseLanguage(scope, done);
    });
    // Re-entered before the handler: body parsing may have left the request's async context.
    app.addHook('preHandler', (request, _reply, done) => {
      if (!request.courseLanguage) return done();
      runInCourseLanguage(request.courseLanguage, done);
    });
  },
  { name: 'courses' },
);

/** The translations under courses/: those that pass the structural check, and those that fail it (logged too). */
function shippedTranslations(app: FastifyInstance, courses: Map<string, Course>) {
  return servableTranslations(defaultCoursesDir, courses.keys(), (problems) =>
    app.log.warn({ problems: problems.slice(0, 20) }, 'course translations left out'),
  );
}

export interface CourseNotice {
  fallback: LanguageFallback;
  /** The page language and the source language, named in the page language ("inglés"). */
  language: string;
  source: string;
}

/** Why the course on this learner page is in the source language, if it is (views/partials/course-language-notice.eta). */
export function courseNoticeOf(request: FastifyRequest): CourseNotice | undefined {
  const fallback = request.courseLanguage?.fallbacks.values().next().value;
  const lang = request.i18n?.lang;
  if (!fallback || !lang) return undefined;
  const names = new Intl.DisplayNames([lang], { type: 'language' });
  return { fallback, language: names.of(lang) ?? lang, source: names.of(SOURCE_LANGUAGE) ?? SOURCE_LANGUAGE };
}
