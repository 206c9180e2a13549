import { defaultCoursesDir } from '../../content/index.js';
import { readTranslationPreview, type TranslationPreview } from '../../content/translation/preview.js';
import type { Course, Lesson } from '../../domain/course.js';
import { resolveCourse } from '../../domain/course-resolve.js';
import { translationFallback } from '../../domain/course-translation.js';
import { NotFound } from '../../domain/errors.js';
import type { Language } from '../../domain/i18n/languages.js';
import { BASELINE_OVERLAY } from '../../domain/policy-version.js';
import type { ServiceContext } from '../context.js';

/** complete: served to learners in that language; partial / outdated: learners get the source course. */
export type PreviewState = 'complete' | 'partial' | 'outdated';

export interface LessonPreview {
  /** The course in the translation's language, placeholders filled as learners' are. */
  course: Course;
  lesson: Lesson;
  /** The translated lessons in course order (a partial translation has only some). */
  lessons: Lesson[];
  /** The lesson's place among `lessons`. */
  index: number;
  state: PreviewState;
}

/** Translations read once per process and language (the files do not change while the app runs). */
const read = new WeakMap<ServiceContext, Map<string, Promise<TranslationPreview | undefined>>>();

function previewOf(ctx: ServiceContext, courseId: string, lang: Language) {
  let cache = read.get(ctx);
  if (!cache) {
    cache = new Map();
    read.set(ctx, cache);
  }
  const key = `${courseId}\n${lang}`;
  let found = cache.get(key);
  if (!found) {
    found = readTranslationPreview(`${defaultCoursesDir}/${courseId}`, lang);
    cache.set(key, found);
  }
  return found;
}

/**
 * One lesson of a course translation for HR to read (issue #26), whether or not learners get it: a
 * partial or out-of-date translation is not served, and this is the only place it can be seen.
 */
export async function translationPreview(
  ctx: ServiceContext,
  /** No lessonId: the first translated lesson. */
  input: { courseId: string; lang: Language; lessonId?: string },
): Promise<LessonPreview> {
  const template = ctx.catalogue.templates.get(input.courseId);
  const found = template ? await previewOf(ctx, input.courseId, input.lang) : undefined;
  if (!template || !found) throw new NotFound('errors.notFound');
  const fill = ctx.catalogue.fillFor(input.courseId, input.lang);
  const course = resolveCourse(found.course, { ...fill, overlay: BASELINE_OVERLAY });
  const translated = new Set(found.translation.lessons);
  const lessons = course.lessons.filter((l) => translated.has(l.id));
  const index = input.lessonId === undefined ? 0 : lessons.findIndex((l) => l.id === input.lessonId);
  if (index < 0 || !lessons[index]) throw new NotFound('errors.notFound');
  const fallback = translationFallback(found.translation, {
    filesVersion: template.version,
    policyVersion: ctx.catalogue.overlayOf(input.courseId).n,
  });
  return {
    course,
    lesson: lessons[index]!,
    lessons,
    index,
    state: fallback === undefined ? 'complete' : fallback === 'partial' ? 'partial' : 'outdated',
  };
}

/** A translation left out because it fails the structure check: what HR's preview shows instead of its lessons. */
export interface BrokenPreview {
  course: { id: string; title: string };
  /** content:check's `file:line …` messages for it. */
  problems: readonly string[];
}

/** The course's translation into `lang` if it is broken (kept by the catalogue for HR); else undefined. */
export function brokenTranslation(
  ctx: ServiceContext,
  input: { courseId: string; lang: Language },
): BrokenPreview | undefined {
  const course = ctx.catalogue.templates.get(input.courseId);
  const state = ctx.catalogue.translationsOf(input.courseId).find((t) => t.language === input.lang);
  if (!course || !state?.broken) return undefined;
  return {
    course: { id: course.id, title: ctx.courses.get(course.id)?.title ?? course.title },
    problems: state.problems,
  };
}
