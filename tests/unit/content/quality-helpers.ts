import { ContentError, type ContentIssue } from '../../../src/content/index.js';
import { readCourse } from '../../../src/content/load-course.js';
import type { LoadedCourse } from '../../../src/content/loaded-course.js';
import type { TempCourse } from './temp-course.js';

/** A course's parsed files, for the quality checks (fails the test on a schema error). */
export function loaded(course: TempCourse): Promise<LoadedCourse> {
  return readCourse(course.dir);
}

/** Issues as a ContentError, so `expectIssue` checks them exactly as an author would read them. */
export function asError(issues: readonly ContentIssue[]): ContentError {
  return new ContentError(issues);
}

/**
 * Tests that run the full check (20,000 simulated attempts per strategy, about 1–2 s on an idle
 * machine) get room for a machine shared with other test runs.
 */
export const FULL_CHECK = { timeout: 60_000 };
