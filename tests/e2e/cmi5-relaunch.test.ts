/**
 * A new launch of a registration whose earlier session left something unsent (#27 review 27b): the
 * verdict owed goes out again in the new session with its ORIGINAL statement ids (so the LRS stores
 * it once, whichever copy arrives first), nothing else of the earlier session is sent again, a
 * Failed owed never stands in the way of a retake's pass, and a statement the LMS refuses for good
 * (403 for an abandoned session) is dropped instead of blocking the queue.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Cmi5Launch } from '../helpers/cmi5-lms.js';
import { cmi5Violations, verbName } from '../helpers/cmi5-rules.js';
import { finishToLms, openAu, sessionVerbs, takeQuiz, useCmi5Lms } from './cmi5-run.js';
import { answerQuiz } from './scorm-harness.js';
import { allButOneRight } from './scorm-run.js';

const run = useCmi5Lms('cmi5-relaunch');
afterEach(() => run.lms.refuseStatements(null));

const posts = (launch: Cmi5Launch, status?: number) =>
  run.lms.log.filter(
    (r) =>
      r.session === launch.sessionId &&
      r.path === '/xapi/statements' &&
      r.method === 'POST' &&
      (status === undefined || r.status === status),
  );

const sent = (launch: Cmi5Launch, verb: string, status?: number) =>
  posts(launch, status).some((r) => r.verbs?.includes(verb));

/** A first launch whose Initialized is through; then the LRS refuses statements. */
async function launchThenRefuse() {
  const first = await openAu(run);
  await expect.poll(() => sent(first.launch, 'initialized', 200), { timeout: 30_000 }).toBe(true);
  run.lms.refuseStatements(503);
  return first;
}

const count = (statements: { verb?: { id: string } }[], verb: string) =>
  statements.map((s) => verbName(s as never)).filter((v) => v === verb).length;

describe('cmi5 AU: a new launch while an earlier session owes its verdict', () => {
  it('tab 1 still retrying its Passed, an LMS that keeps it open: one Passed, one Completed', async () => {
    const first = await launchThenRefuse();
    expect((await takeQuiz(first.page, run.course, allButOneRight())).passed).toBe(true);
    await expect.poll(() => sent(first.launch, 'completed', 503), { timeout: 30_000 }).toBe(true);
    const same = { registration: first.launch.registration, learner: first.launch.actor.account.name };
    const second = await openAu(run, { ...same, keepEarlierSessionsOpen: true });
    await expect.poll(() => sent(second.launch, 'initialized', 503), { timeout: 30_000 }).toBe(true);
    run.lms.refuseStatements(null);
    // Tab 1's own copy goes through too (200), or finds the id stored already (409).
    const tabOneDone = () =>
      posts(first.launch).some((r) => r.verbs?.includes('passed') && (r.status === 200 || r.status === 409));
    await expect.poll(tabOneDone, { timeout: 30_000 }).toBe(true);
    await finishToLms(second.page, second.launch);

    const statements = await run.lms.statementsOf(second.launch);
    expect(count(statements, 'passed')).toBe(1);
    expect(count(statements, 'completed')).toBe(1);
    expect(run.lms.problems).toEqual([]);
  });

  it('tab 1 still retrying, a conforming LMS abandons it: tab 1’s statements dropped, session 2 sends the verdict', async () => {
    const first = await launchThenRefuse();
    expect((await takeQuiz(first.page, run.course, allButOneRight())).passed).toBe(true);
    await expect.poll(() => sent(first.launch, 'completed', 503), { timeout: 30_000 }).toBe(true);
    const owed = (run.lms.stateDocument(first.launch, 'bookmark') as { verdict: { id: string } }).verdict;
    const same = { registration: first.launch.registration, learner: first.launch.actor.account.name };
    const second = await openAu(run, same);
    run.lms.refuseStatements(null);
    // Session 1 is abandoned: the LMS answers 403, and tab 1 stops retrying instead of blocking.
    await expect.poll(() => sent(first.launch, 'completed', 403), { timeout: 30_000 }).toBe(true);
    await finishToLms(second.page, second.launch);

    const statements = await run.lms.statementsOf(second.launch);
    expect(cmi5Violations(statements, second.launch)).toEqual([]);
    expect(sessionVerbs(statements, first.launch)).toEqual(['launched', 'initialized', 'abandoned']);
    expect(sessionVerbs(statements, second.launch)).toEqual([
      'launched',
      'initialized',
      'completed',
      'passed',
      'terminated',
    ]);
    // The Passed tab 1 owed, under its own id: had tab 1's copy gone through, the LRS keeps one.
    expect(statements.find((s) => verbName(s) === 'passed')?.id).toBe(owed.id);
    await expect.poll(() => first.page.isVisible('#lms-saving')).toBe(true);
  });

  it('after a window closed normally (Terminated stored), the next launch sends only its own statements', async () => {
    const first = await openAu(run);
    await first.page.click('a[data-goto="l1"]');
    // The window closes: Terminated goes as the page unloads, and its answer is never seen.
    await first.page.close({ runBeforeUnload: true });
    await expect.poll(() => sent(first.launch, 'terminated', 200), { timeout: 30_000 }).toBe(true);
    const same = { registration: first.launch.registration, learner: first.launch.actor.account.name };
    const second = await openAu(run, same, first.page);
    await finishToLms(second.page, second.launch, '#save-exit');

    expect(posts(second.launch).flatMap((r) => r.verbs ?? [])).toEqual(['initialized', 'terminated']);
    const statements = await run.lms.statementsOf(second.launch);
    expect(cmi5Violations(statements, second.launch)).toEqual([]);
    expect(run.lms.problems).toEqual([]);
  });

  it('a Failed owed from a closed window does not stop a retake’s pass in the next session', async () => {
    const first = await launchThenRefuse();
    expect((await takeQuiz(first.page, run.course, () => false)).passed).toBe(false);
    await first.page.close({ runBeforeUnload: true });
    await expect.poll(() => sent(first.launch, 'terminated', 503), { timeout: 30_000 }).toBe(true);
    run.lms.refuseStatements(null);
    const same = { registration: first.launch.registration, learner: first.launch.actor.account.name };
    const second = await openAu(run, same);
    await second.page.click('a[data-goto="quiz"]');
    if (await second.page.isVisible('#quiz-retake')) await second.page.click('#quiz-retake');
    await answerQuiz(second.page.mainFrame(), run.course, () => true);
    await second.page.click('#quiz-submit');
    await second.page.waitForSelector('#result-summary');
    await finishToLms(second.page, second.launch);

    const statements = await run.lms.statementsOf(second.launch);
    expect(cmi5Violations(statements, second.launch)).toEqual([]);
    expect(sessionVerbs(statements, second.launch)).toEqual(
      expect.arrayContaining(['initialized', 'passed', 'terminated']),
    );
    expect(count(statements, 'passed')).toBe(1);
  });
});
