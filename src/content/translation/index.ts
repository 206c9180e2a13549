import path from 'node:path';
import type { BrokenTranslation, CourseTranslation } from '../../domain/course-translation.js';
import { ContentError, type ContentIssue, formatIssue, sortIssues } from '../issues.js';
import { readTranslations } from './load-translations.js';

export { readTranslations, TRANSLATION_FILE, type TranslationsRead } from './load-translations.js';

/**
 * The translations of the given courses (id → folder): course id → its translations. Throws a
 * ContentError listing every problem, as loadCourses does: the app does not start on a broken one.
 */
export async function loadTranslations(
  rootDir: string,
  courseIds: Iterable<string>,
): Promise<Map<string, CourseTranslation[]>> {
  const out = new Map<string, CourseTranslation[]>();
  const issues: ContentIssue[] = [];
  for (const id of courseIds) {
    const read = await readTranslations(path.join(rootDir, id));
    issues.push(...read.issues);
    if (read.translations.length > 0) out.set(id, read.translations);
  }
  if (issues.length > 0) throw new ContentError(issues);
  return out;
}

/** Course id → its translations that pass the structural check, and → those that fail it. */
export interface ShippedTranslations {
  translations: Map<string, CourseTranslation[]>;
  broken: Map<string, BrokenTranslation[]>;
}

/**
 * The translations the app and the CLI serve: those that pass the structural check. One with problems
 * is left out of `translations` (`warn` gets its problems) and kept in `broken` for HR, not a reason
 * to refuse the start: learners get the source course with a notice, and content:check names each
 * problem with file and line, so a translator's work in progress never stops the app.
 */
export async function servableTranslations(
  rootDir: string,
  courseIds: Iterable<string>,
  warn: (problems: string[]) => void,
): Promise<ShippedTranslations> {
  const out: ShippedTranslations = { translations: new Map(), broken: new Map() };
  for (const id of courseIds) {
    const { translations, broken, issues } = await readTranslations(path.join(rootDir, id));
    if (issues.length > 0) warn(sortIssues(issues).map(formatIssue));
    if (translations.length > 0) out.translations.set(id, translations);
    if (broken.length > 0) out.broken.set(id, broken);
  }
  return out;
}
