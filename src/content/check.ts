import path from 'node:path';
import { type CourseTranslation, translationState } from '../domain/course-translation.js';
import { DEMO_PROFILE } from '../domain/demo-organisation.js';
import { placeholderValues } from '../domain/org-profile.js';
import { BASELINE_POLICY_VERSION } from '../domain/policy-version.js';
import { formatGuessingTable } from './guessing-check.js';
import { ContentError, formatIssue, sortIssues } from './issues.js';
import { readCourses } from './load-course.js';
import type { LoadedCourse } from './loaded-course.js';
import { demoValueIssues } from './placeholder-check.js';
import { checkQuality } from './quality.js';
import { readTranslations } from './translation/index.js';

/**
 * Validates every course under `rootDir` and prints a summary per course, the blind-guesser table
 * and every problem found. Returns true when all content is valid. The CLI (`npm run content:check`)
 * and the server's start use the same loader and checks, so a passing check means the server will
 * accept the content.
 */
export interface CheckOptions {
  /** The values every used placeholder must have: the demo organisation's unless a test says otherwise. */
  demoValues?: ReadonlyMap<string, string>;
}

export async function checkContent(
  rootDir: string,
  out: (line: string) => void,
  options: CheckOptions = {},
): Promise<boolean> {
  const demoValues = options.demoValues ?? placeholderValues(DEMO_PROFILE);
  let courses: Map<string, LoadedCourse>;
  try {
    courses = await readCourses(rootDir);
  } catch (error) {
    if (!(error instanceof ContentError)) throw error;
    for (const issue of error.issues) out(formatIssue(issue));
    out(`✗ ${error.issues.length} problem${plural(error.issues.length)} found`);
    return false;
  }
  if (courses.size === 0) {
    out(`No courses found in ${rootDir}`);
    return false;
  }
  let ok = true;
  for (const loaded of courses.values()) {
    out(summaryOf(loaded));
    if (!checkDemoValues(loaded, demoValues, out)) ok = false;
    if (!checkCourseQuality(loaded, out)) ok = false;
    if (!(await checkTranslations(path.join(rootDir, loaded.course.id), loaded, out))) ok = false;
  }
  return ok;
}

/**
 * Each translation's structure against the source (file:line per difference; fails the check), then
 * its state: current, partial, out of date, or both (printed, not a failure: learners get the source
 * course with a notice until a translator updates it and its translatedFrom).
 */
async function checkTranslations(dir: string, loaded: LoadedCourse, out: (line: string) => void) {
  const { translations, issues } = await readTranslations(dir);
  for (const issue of sortIssues(issues)) out(formatIssue(issue));
  const { id, version } = loaded.course;
  for (const t of translations) out(translationLine(id, version, t));
  if (issues.length > 0) out(`✗ ${id}: ${issues.length} translation problem${plural(issues.length)}`);
  return issues.length === 0;
}

/** content:check's line for one translation of course `id` (files `version`): both flags, a partial one can be out of date too. */
export function translationLine(id: string, version: string, t: CourseTranslation): string {
  const { complete, current } = translationState(t, {
    filesVersion: version,
    policyVersion: BASELINE_POLICY_VERSION,
  });
  if (complete && current) return `✓ ${id} [${t.language}]: complete and current`;
  const partial = complete ? [] : [`partial (lessons ${t.lessons.join(', ')})`];
  const outdated = current
    ? []
    : [`out of date (translated from ${t.translatedFrom.slice(0, 16)}…, the source is now ${version})`];
  return `${current ? ' ' : '!'} ${id} [${t.language}]: ${[...partial, ...outdated].join(', ')}; learners get the source`;
}

function summaryOf({ course }: LoadedCourse): string {
  const treeQuestions = Object.values(course.decisionTree.nodes).filter((n) => n.kind === 'question').length;
  return (
    `✓ ${course.id}: ${course.lessons.length} lessons, ${course.examples.length} examples, ` +
    `${course.questions.length} questions, ${course.clauses.length} clauses, ` +
    `${treeQuestions} decision-tree questions, version ${course.version.slice(0, 16)}`
  );
}

/** Prints every placeholder the course uses that the demo profile cannot fill; false when there is one. */
function checkDemoValues(
  loaded: LoadedCourse,
  values: ReadonlyMap<string, string>,
  out: (line: string) => void,
) {
  const issues = demoValueIssues(loaded.placeholders, values);
  for (const issue of issues) out(formatIssue(issue));
  if (issues.length > 0)
    out(`✗ ${loaded.course.id}: ${issues.length} placeholder${plural(issues.length)} without a demo value`);
  return issues.length === 0;
}

/** Prints the guessing table and the quality findings; false when there are findings. */
function checkCourseQuality(loaded: LoadedCourse, out: (line: string) => void): boolean {
  const { id } = loaded.course;
  const report = checkQuality(loaded);
  for (const line of formatGuessingTable(report.guessing)) out(`  ${line}`);
  if (report.issues.length === 0) {
    out(`✓ ${id}: bank linter, coverage checks, refresher material and guessing check pass`);
    return true;
  }
  for (const issue of sortIssues(report.issues)) out(formatIssue(issue));
  const count = `${report.issues.length} quality problem${plural(report.issues.length)}`;
  out(`✗ ${id}: ${count} (bank linter, coverage, refresher material, guessing check)`);
  return false;
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
