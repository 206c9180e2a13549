import type { Course } from '../../domain/course.js';
import { SOURCE_LANGUAGE } from '../../domain/i18n/languages.js';
import { buildScoFiles } from '../build-package.js';
import { zipFiles } from '../zip.js';
import { buildCourseStructure, type Cmi5BuildOptions, COURSE_STRUCTURE_FILE } from './course-structure.js';

/**
 * The AU's files (the same page, stylesheet, quiz code and course bank as the SCORM package, with
 * the cmi5 runtime in `sco.js`) and `cmi5.xml` at the root, by path.
 */
export async function buildCmi5Files(
  course: Course,
  options: Cmi5BuildOptions,
): Promise<Map<string, Buffer>> {
  const files = await buildScoFiles(course, {
    format: 'cmi5',
    // cmi5 has no "incomplete on fail" variant: the LMS judges from the Passed / Failed statements.
    failStatus: 'failed',
    ...(options.branding ? { branding: options.branding } : {}),
  });
  files.set(COURSE_STRUCTURE_FILE, Buffer.from(buildCourseStructure(course, options)));
  return files;
}

/** The zipped cmi5 package, byte-identical for the same course version, branding and activity base. */
export async function buildCmi5Package(course: Course, options: Cmi5BuildOptions): Promise<Buffer> {
  return zipFiles(await buildCmi5Files(course, options));
}

/** A download name such as `social-media-policy-cmi5-es-1a2b3c4d.zip`. */
export function cmi5FileName(course: Course): string {
  const lang = course.language && course.language !== SOURCE_LANGUAGE ? `-${course.language}` : '';
  return `${course.id}-cmi5${lang}-${course.version.slice(0, 8)}.zip`;
}
