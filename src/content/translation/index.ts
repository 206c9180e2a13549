import path from 'node:path';
import type { CourseTranslation } from '../../domain/course-translation.js';
import { ContentError, type ContentIssue } from '../issues.js';
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
