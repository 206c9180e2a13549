/**
 * The learner passes while the LMS's LRS refuses statements, then closes the window (#27 review,
 * finding 1). The pass must not be lost: the AU records in its state document which Passed statement
 * it owes and whether the LRS confirmed it, sends the state write and then ONE array of statements
 * as the page goes (so Terminated cannot overtake Passed). At the next launch the LMS abandons
 * session 1 (9.3.6) and refuses its statements, so the AU sends none of them again: it sends the
 * owed Completed and Passed in the new session under their ORIGINAL ids (the LRS stores them once
 * even if another copy arrives), from the same browser or another one.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Cmi5Launch } from '../helpers/cmi5-lms.js';
import { cmi5Violations, verbName } from '../helpers/cmi5-rules.js';
import { openAu, sessionVerbs, takeQuiz, useCmi5Lms } from './cmi5-run.js';
import { allButOneRight } from './scorm-run.js';

const run = useCmi5Lms('cmi5-close-while-refused');

const statementPosts = (launch: Cmi5Launch, status: number) =>
  run.lms.log.filter(
    (r) =>
      r.session === launch.sessionId &&
      r.path === '/xapi/statements' &&
      r.method === 'POST' &&
      r.status === status,
  );

/** Session 1: Initialized through, then the LRS refuses, the learner passes and closes the window. */
async function passThenCloseWhileRefused(): Promise<{ page: Page; launch: Cmi5Launch }> {
  const first = await openAu(run);
  await expect
    .poll(() => statementPosts(first.launch, 200).some((r) => r.verbs?.includes('initialized')), {
      timeout: 30_000,
    })
    .toBe(true);
  run.lms.refuseStatements(503);
  const grade = await takeQuiz(first.page, run.course, allButOneRight());
  expect(grade.passed).toBe(true);
  await expect.poll(() => statementPosts(first.launch, 503).length, { timeout: 30_000 }).toBeGreaterThan(0);
  await first.page.close({ runBeforeUnload: true });
  // The page's last word: one POST carrying everything still owed, Terminated last.
  await expect
    .poll(() => statementPosts(first.launch, 503).some((r) => r.verbs?.at(-1) === 'terminated'), {
      timeout: 30_000,
    })
    .toBe(true);
  const last = statementPosts(first.launch, 503).find((r) => r.verbs?.at(-1) === 'terminated')!;
  expect(last.verbs).toEqual(['completed', 'passed', 'terminated']);
  run.lms.refuseStatements(null);
  return first;
}

/** Session 2 of the same registration: already passed, no retake; finish and wait for Terminated. */
async function relaunchAndFinish(first: Cmi5Launch, sameBrowserAs?: Page): Promise<Cmi5Launch> {
  const same = { registration: first.registration, learner: first.actor.account.name };
  const second = await openAu(run, same, sameBrowserAs);
  await second.page.click('a[data-goto="quiz"]');
  expect(await second.page.isVisible('#quiz-start')).toBe(false);
  expect(await second.page.isVisible('#quiz-retake')).toBe(false);
  await second.page.click('#sco-finish');
  await second.page.waitForURL(second.launch.returnURL!, { timeout: 60_000 });
  await second.page.close();
  return second.launch;
}

describe('cmi5 AU: the window closes while the LRS refuses statements', () => {
  for (const where of ['the same browser', 'another browser'] as const) {
    it(`from ${where}: session 1 is abandoned, session 2 sends the owed Completed and Passed`, async () => {
      const first = await passThenCloseWhileRefused();
      const second = await relaunchAndFinish(
        first.launch,
        where === 'the same browser' ? first.page : undefined,
      );

      const statements = await run.lms.statementsOf(second);
      expect(cmi5Violations(statements, second)).toEqual([]);
      expect(run.lms.problems).toEqual([]);
      expect(sessionVerbs(statements, first.launch)).toEqual(['launched', 'initialized', 'abandoned']);
      expect(sessionVerbs(statements, second)).toEqual([
        'launched',
        'initialized',
        'completed',
        'passed',
        'terminated',
      ]);
      expect(statements.map(verbName).filter((v) => v === 'passed')).toHaveLength(1);
      // Nothing of session 1 was posted with session 2's token.
      expect(statementPosts(second, 200).flatMap((r) => r.verbs ?? [])).toEqual([
        'initialized',
        'completed',
        'passed',
        'terminated',
      ]);
    });
  }
});
