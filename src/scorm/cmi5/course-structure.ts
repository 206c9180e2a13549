import { create } from 'xmlbuilder2';
import type { Course } from '../../domain/course.js';
import { SOURCE_LANGUAGE } from '../../domain/i18n/languages.js';
import { LAUNCH_FILE, packageTitle } from '../manifest.js';
import type { ScormBranding } from '../types.js';

/** The cmi5 course structure namespace (the schema's targetNamespace, src/scorm/xsd/cmi5/). */
export const CMI5_NAMESPACE = 'https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd';
export const COURSE_STRUCTURE_FILE = 'cmi5.xml';

/**
 * The AU is satisfied when it is both completed and passed: the same bar as the web app, where a
 * course is done once the learner has worked through it and passed the quiz.
 */
export const MOVE_ON = 'CompletedAndPassed';

export interface Cmi5BuildOptions {
  branding?: ScormBranding;
  /**
   * Where the package's IRIs live: `<BASE_URL>/xapi/activities` (the web app's own xAPI activity ids
   * start there too, so the same course reads the same in an LRS that gets both).
   */
  activityBase: string;
}

/** The activity ids' base, under the app's BASE_URL (the CLI and the HR download both use it). */
export function cmi5ActivityBase(baseUrl: string): string {
  return `${baseUrl.replace(/\/$/, '')}/xapi/activities`;
}

/** The course and AU ids: stable per course and language, so a new policy version updates the LMS's course. */
export function cmi5Ids(course: Course, activityBase: string): { course: string; au: string } {
  const lang = course.language && course.language !== SOURCE_LANGUAGE ? `/${course.language}` : '';
  const base = `${activityBase.replace(/\/$/, '')}/cmi5/course/${encodeURIComponent(course.id)}${lang}`;
  return { course: base, au: `${base}/au/main` };
}

/** The course passing score (percent) as cmi5's masteryScore (a decimal 0–1). */
export function masteryScore(course: Course): string {
  return String(course.quiz.passingScore / 100);
}

function description(course: Course): string {
  return course.summary || course.title;
}

/**
 * `cmi5.xml`: one course with one AU launching the packaged page by a relative URL (the LMS
 * resolves it against where it unpacked the zip), moveOn CompletedAndPassed, masteryScore from the
 * course file. Titles and descriptions carry the package's language.
 */
export function buildCourseStructure(course: Course, options: Cmi5BuildOptions): string {
  const lang = course.language ?? SOURCE_LANGUAGE;
  const ids = cmi5Ids(course, options.activityBase);
  const doc = create({ version: '1.0', encoding: 'UTF-8' }).ele(CMI5_NAMESPACE, 'courseStructure');
  const text = (parent: ReturnType<typeof doc.ele>, name: string, value: string) =>
    parent.ele(name).ele('langstring', { lang }).txt(value);
  const courseEl = doc.ele('course', { id: ids.course });
  text(courseEl, 'title', packageTitle(course, options));
  text(courseEl, 'description', description(course));
  const au = doc.ele('au', {
    id: ids.au,
    moveOn: MOVE_ON,
    masteryScore: masteryScore(course),
    launchMethod: 'AnyWindow',
  });
  text(au, 'title', course.title);
  text(au, 'description', description(course));
  au.ele('url').txt(LAUNCH_FILE);
  return doc.end({ prettyPrint: true });
}
