import { courseForEveryone } from '../domain/jurisdictions.js';
import { lintBank } from './bank-lint.js';
import { checkCoverage } from './coverage-check.js';
import {
  type GuessingOptions,
  type GuessingReport,
  guessingFailures,
  simulateGuessers,
} from './guessing-check.js';
import type { ContentIssue } from './issues.js';
import type { LoadedCourse } from './loaded-course.js';
import { checkRefresherMaterial } from './refresher-check.js';

/**
 * The quality checks of issues #19, #20 and #23, run on a course that already passed the schema and
 * reference checks: the bank linter, the blind-guesser simulation, the coverage checks and the
 * refresher material (pre-assessment and study path per clause, refresher-check.ts).
 *
 * `enforce`: the loader refuses a course that fails them (server start, every CLI command), as it
 * refuses schema errors. `report`: the loader skips them and only `content:check` prints them.
 */
export type QualityMode = 'enforce' | 'report';

/**
 * The guessing check as the loader runs it at every start and CLI command: the first 4,000 of the
 * same seeded attempts `content:check` plays (20,000), so a start costs about 0.4 s instead of 2 s.
 * `content:check` stays the authority; only a bank within a hair of a limit could pass one and not
 * the other, and its table shows how close each strategy is.
 */
export const START_GUESSING_OPTIONS: GuessingOptions = { attempts: 4_000, pilotAttempts: 1_000 };

export interface QualityReport {
  /** Linter and coverage findings, then one issue per guessing strategy over a limit. */
  issues: ContentIssue[];
  guessing: GuessingReport;
}

export function checkQuality(loaded: LoadedCourse, guessing: GuessingOptions = {}): QualityReport {
  const { course, sources } = loaded;
  // A learner anywhere may be drawn only the questions marked for no jurisdiction: the check plays those.
  const report = simulateGuessers(courseForEveryone(course), guessing);
  const guessingIssues = guessingFailures(report).map((failure) =>
    sources.quiz.issue(['questions'], `guessing check: ${failure}`),
  );
  return {
    issues: [
      ...lintBank(course.questions, sources.quiz),
      ...checkCoverage({ course, ...sources }),
      ...checkRefresherMaterial({ course, ...sources }),
      ...guessingIssues,
    ],
    guessing: report,
  };
}
