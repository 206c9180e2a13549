/**
 * The exported cmi5 AU launched by an LMS (the stand-in) in Chromium (#27): pass, fail, resume across
 * launches and Browse mode. Every test reads the learner's statements back from Ralph and checks every
 * cmi5 rule on them (tests/helpers/cmi5-rules.ts); the stand-in refuses and lists anything the AU
 * does that an LMS would not allow.
 */
import { describe, expect, it } from 'vitest';
import { CMI5_IRI, CMI5_VERB, verbName } from '../helpers/cmi5-rules.js';
import {
  finishToLms,
  openAu,
  sessionVerbs,
  statementsKeepingTheRules,
  takeQuiz,
  useCmi5Lms,
} from './cmi5-run.js';
import { answerQuiz, servedQuestions } from './scorm-harness.js';
import { allButOneRight } from './scorm-run.js';

const run = useCmi5Lms('cmi5-au');

/** The same verbs in any order (the spec orders only Initialized first and Terminated last). */
const sameVerbs = (verbs: string[]) => expect.arrayContaining(verbs);

describe('cmi5 AU', () => {
  it('passes: one fetch, the launch data read, Initialized → Completed, Passed → Terminated, back to the LMS', async () => {
    const { page, launch } = await openAu(run);
    const grade = await takeQuiz(page, run.course, allButOneRight());
    expect(grade.passed).toBe(true);
    await finishToLms(page, launch);

    expect(run.lms.fetchCalls(launch)).toBe(1);
    const reads = run.lms.log.filter((r) => r.session === launch.sessionId && r.method === 'GET');
    expect(
      reads.some((r) => r.path === '/xapi/activities/state' && r.query.stateId === 'LMS.LaunchData'),
    ).toBe(true);
    expect(
      reads.some((r) => r.path === '/xapi/agents/profile' && r.query.profileId === 'cmi5LearnerPreferences'),
    ).toBe(true);
    const statements = await statementsKeepingTheRules(run, launch);
    const verbs = sessionVerbs(statements, launch);
    expect(verbs).toHaveLength(5);
    expect(verbs).toEqual(sameVerbs(['launched', 'initialized', 'completed', 'passed', 'terminated']));
    const passed = statements.find((s) => s.verb?.id === CMI5_VERB.passed)!;
    expect(passed.result?.success).toBe(true);
    expect(passed.result?.score?.scaled).toBeCloseTo(grade.score / 100, 2);
    expect(passed.context?.extensions?.[CMI5_IRI.masteryScore]).toBe(run.course.quiz.passingScore / 100);

    // The learner opens the used launch link again: no second token, nothing after Terminated, and told so.
    const requestsBefore = run.lms.log.length;
    await page.goto(launch.url);
    await page.waitForSelector('#lms-notice:not([hidden])');
    expect(run.lms.fetchCalls(launch)).toBe(1);
    expect(run.lms.log.slice(requestsBefore).filter((r) => r.path === '/xapi/statements')).toEqual([]);
    expect(await run.lms.statementsOf(launch)).toHaveLength(statements.length);
    await page.close();
  });

  it('fails against the LMS’s own masteryScore: Failed with it, no Completed, no Passed', async () => {
    // The LMS may set a stricter mastery score than the course structure's (cmi5 10.2.4): the AU must judge by it.
    const { page, launch } = await openAu(run, { masteryScore: 1 });
    const grade = await takeQuiz(page, run.course, allButOneRight());
    expect(grade.passed).toBe(true); // by the course's own pass mark; not by the LMS's
    expect(await page.isVisible('#quiz-retake')).toBe(true);
    await finishToLms(page, launch);

    const statements = await statementsKeepingTheRules(run, launch);
    expect(sessionVerbs(statements, launch)).toEqual(
      sameVerbs(['launched', 'initialized', 'failed', 'terminated']),
    );
    expect(sessionVerbs(statements, launch)).toHaveLength(4);
    const failed = statements.find((s) => s.verb?.id === CMI5_VERB.failed)!;
    expect(failed.result?.success).toBe(false);
    expect(failed.context?.extensions?.[CMI5_IRI.masteryScore]).toBe(1);
    await page.close();
  });

  it('resumes across launches from the State API, passes once, and never sends a second Passed', async () => {
    // First launch: read a lesson, answer part of the quiz, "Save and exit".
    const first = await openAu(run);
    await first.page.click('a[data-goto="l2"]');
    await first.page.click('a[data-goto="quiz"]');
    const firstPart = await answerQuiz(first.page.mainFrame(), run.course, () => true, 3);
    await finishToLms(first.page, first.launch, '#save-exit');
    await first.page.close();
    const same = { registration: first.launch.registration, learner: first.launch.actor.account.name };

    // Second launch: back in the quiz with the same questions and answers; finish and pass.
    const second = await openAu(run, same);
    await second.page.click('a[data-goto="quiz"]');
    expect(await servedQuestions(second.page.mainFrame())).toEqual(firstPart.served);
    expect(
      await second.page.$$eval('#quiz-form input:checked', (inputs) => inputs.length),
    ).toBeGreaterThanOrEqual(3);
    expect(await second.page.getAttribute('a[data-goto="l2"]', 'class')).toContain('seen');
    await answerQuiz(second.page.mainFrame(), run.course, () => true);
    await second.page.click('#quiz-submit');
    await second.page.waitForSelector('#result-summary');
    await finishToLms(second.page, second.launch);
    await second.page.close();

    // Third launch: already passed; no new attempt, nothing judged again.
    const third = await openAu(run, same);
    await third.page.click('a[data-goto="quiz"]');
    expect(await third.page.isVisible('#quiz-retake')).toBe(false);
    expect(await third.page.isVisible('#quiz-start')).toBe(false);
    await finishToLms(third.page, third.launch, '#save-exit');
    await third.page.close();

    const statements = await statementsKeepingTheRules(run, third.launch);
    expect(sessionVerbs(statements, first.launch)).toEqual(['launched', 'initialized', 'terminated']);
    expect(sessionVerbs(statements, second.launch)).toEqual(
      sameVerbs(['launched', 'initialized', 'completed', 'passed', 'terminated']),
    );
    expect(sessionVerbs(statements, third.launch)).toEqual(['launched', 'initialized', 'terminated']);
    expect(statements.map(verbName).filter((v) => v === 'passed')).toHaveLength(1);
    for (const launch of [first.launch, second.launch, third.launch])
      expect(run.lms.fetchCalls(launch)).toBe(1);
  });

  it('closing the window midway: Terminated and the bookmark still reach the LMS, and the next launch resumes', async () => {
    const first = await openAu(run);
    await first.page.click('a[data-goto="quiz"]');
    const firstPart = await answerQuiz(first.page.mainFrame(), run.course, () => true, 2);
    await first.page.close({ runBeforeUnload: true });
    const terminated = () =>
      run.lms.log.some(
        (r) => r.session === first.launch.sessionId && r.verbs?.includes('terminated') && r.status === 200,
      );
    await expect.poll(terminated, { timeout: 30_000 }).toBe(true);

    const second = await openAu(run, {
      registration: first.launch.registration,
      learner: first.launch.actor.account.name,
    });
    await second.page.click('a[data-goto="quiz"]');
    expect(await servedQuestions(second.page.mainFrame())).toEqual(firstPart.served);
    expect(
      await second.page.$$eval('#quiz-form input:checked', (inputs) => inputs.length),
    ).toBeGreaterThanOrEqual(2);
    await finishToLms(second.page, second.launch, '#save-exit');
    await second.page.close();
    const statements = await statementsKeepingTheRules(run, second.launch);
    expect(sessionVerbs(statements, first.launch)).toEqual(['launched', 'initialized', 'terminated']);
    expect(sessionVerbs(statements, second.launch)).toEqual(['launched', 'initialized', 'terminated']);
  });

  it('Browse mode: the learner looks around and takes the quiz, and nothing is judged', async () => {
    const { page, launch } = await openAu(run, { launchMode: 'Browse' });
    await page.click('a[data-goto="l1"]');
    await takeQuiz(page, run.course, () => true);
    await finishToLms(page, launch);
    const statements = await statementsKeepingTheRules(run, launch);
    expect(sessionVerbs(statements, launch)).toEqual(['launched', 'initialized', 'terminated']);
    await page.close();
  });

  it('Review mode without a returnURL: no attempt starts, nothing is judged, the AU says it has ended and stays', async () => {
    const { page, launch } = await openAu(run, { launchMode: 'Review', returnURL: null });
    await page.click('a[data-goto="quiz"]');
    expect(await page.isVisible('#quiz-start')).toBe(false);
    await page.click('#save-exit');
    await page.waitForSelector('#sco-ended:not([hidden])');
    await expect
      .poll(() =>
        run.lms.log.some(
          (r) => r.session === launch.sessionId && r.verbs?.includes('terminated') && r.status === 200,
        ),
      )
      .toBe(true);
    expect(page.url()).toBe(launch.url);
    const statements = await statementsKeepingTheRules(run, launch);
    expect(sessionVerbs(statements, launch)).toEqual(['launched', 'initialized', 'terminated']);
    await page.close();
  });
});
