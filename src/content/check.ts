import { ContentError, formatIssue } from './issues.js';
import { loadCourses } from './load-course.js';

/**
 * Validates every course under `rootDir` and prints a summary per course, or every problem found.
 * Returns true when all content is valid. The CLI (`npm run content:check`) and the server's start
 * use the same loader, so a passing check means the server will accept the content.
 */
export async function checkContent(rootDir: string, out: (line: string) => void): Promise<boolean> {
  try {
    const courses = await loadCourses(rootDir);
    if (courses.size === 0) {
      out(`No courses found in ${rootDir}`);
      return false;
    }
    for (const course of courses.values()) {
      const treeQuestions = Object.values(course.decisionTree.nodes).filter(
        (n) => n.kind === 'question',
      ).length;
      out(
        `✓ ${course.id}: ${course.lessons.length} lessons, ${course.examples.length} examples, ` +
          `${course.questions.length} questions, ${course.clauses.length} clauses, ` +
          `${treeQuestions} decision-tree questions, version ${course.version.slice(0, 16)}`,
      );
    }
    return true;
  } catch (error) {
    if (!(error instanceof ContentError)) throw error;
    for (const issue of error.issues) out(formatIssue(issue));
    out(`✗ ${error.issues.length} problem${error.issues.length === 1 ? '' : 's'} found`);
    return false;
  }
}
