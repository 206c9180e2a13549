import { formatGuessingTable } from './guessing-check.js';
import { ContentError, formatIssue, sortIssues } from './issues.js';
import { readCourses } from './load-course.js';
import type { LoadedCourse } from './loaded-course.js';
import { checkQuality, QUALITY_CHECKS_DEFAULT } from './quality.js';

export interface CheckOptions {
  /**
   * Fail on the quality checks (bank linter, guessing check, coverage) as well as on schema
   * errors. Defaults to what the loader does: while the loader only reports them, so does this.
   */
  strict?: boolean;
}

/**
 * Validates every course under `rootDir` and prints a summary per course, the blind-guesser table
 * and every problem found. Returns true when all content is valid. The CLI (`npm run content:check`)
 * and the server's start use the same loader and checks, so a passing check means the server will
 * accept the content.
 */
export async function checkContent(
  rootDir: string,
  out: (line: string) => void,
  options: CheckOptions = {},
): Promise<boolean> {
  const strict = options.strict ?? QUALITY_CHECKS_DEFAULT === 'enforce';
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
    if (!checkCourseQuality(loaded, out, strict)) ok = false;
  }
  return ok;
}

function summaryOf({ course }: LoadedCourse): string {
  const treeQuestions = Object.values(course.decisionTree.nodes).filter((n) => n.kind === 'question').length;
  return (
    `✓ ${course.id}: ${course.lessons.length} lessons, ${course.examples.length} examples, ` +
    `${course.questions.length} questions, ${course.clauses.length} clauses, ` +
    `${treeQuestions} decision-tree questions, version ${course.version.slice(0, 16)}`
  );
}

/** Prints the guessing table and the quality findings; false when they fail a strict check. */
function checkCourseQuality(loaded: LoadedCourse, out: (line: string) => void, strict: boolean): boolean {
  const { id } = loaded.course;
  const report = checkQuality(loaded);
  for (const line of formatGuessingTable(report.guessing)) out(`  ${line}`);
  if (report.issues.length === 0) {
    out(`✓ ${id}: bank linter, coverage checks and guessing check pass`);
    return true;
  }
  for (const issue of sortIssues(report.issues)) out(formatIssue(issue));
  const count = `${report.issues.length} quality problem${plural(report.issues.length)}`;
  if (strict) {
    out(`✗ ${id}: ${count} (bank linter, coverage, guessing check)`);
    return false;
  }
  out(
    `⚠ ${id}: ${count} (bank linter, coverage, guessing check); not yet enforced: ` +
      'run with --strict to fail on them',
  );
  return true;
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
