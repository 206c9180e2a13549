import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Course } from '../../src/domain/course.js';
import { answerQuiz, apiLog, cmiData, launch, servedQuestions } from './scorm-harness.js';
import {
  allButOneRight,
  expectedGrade,
  lmsData,
  openPlayer,
  outsideRequests,
  takeQuiz,
  useScoBrowser,
} from './scorm-run.js';

let course: Course;
let browser: Browser;
const runs = useScoBrowser((c, b) => {
  course = c;
  browser = b;
});

async function player(format: 'scorm12' | 'scorm2004') {
  const run = await openPlayer(browser, course, format, 'failed');
  runs.push(run);
  return run;
}

describe.each(['scorm12', 'scorm2004'] as const)('%s', (format) => {
  const is12 = format === 'scorm12';

  it('suspends when the learner leaves midway and resumes from suspend_data on relaunch', async () => {
    const run = await player(format);
    let sco = await launch(run.page, run.base, { preload: lmsData(format, course) });
    await sco.click('a[data-goto="l2"]');
    await sco.click('a[data-goto="examples"]');
    await sco.click('[data-example="0"] [data-verdict="unacceptable"]');
    await sco.click('a[data-goto="quiz"]');
    const firstPart = await answerQuiz(sco, course, () => true, 3);

    // Leaving: the frame unloads (pagehide), which must Terminate without a Commit.
    const before = (await apiLog(run.page)).length;
    await run.page.evaluate(() => {
      (document.getElementById('launch-frame') as HTMLIFrameElement).src = 'about:blank';
    });
    await run.page.waitForFunction(
      (finish) => (window as unknown as { scormLog: string[][] }).scormLog.some((e) => e[0] === finish),
      is12 ? 'LMSFinish' : 'Terminate',
    );
    const duringUnload = (await apiLog(run.page)).slice(before).map((e) => e[0]);
    expect(duringUnload).not.toContain(is12 ? 'LMSCommit' : 'Commit');

    const { cmi } = await cmiData(run.page);
    const suspendData: string = cmi.suspend_data;
    const location: string = is12 ? cmi.core.lesson_location : cmi.location;
    expect(is12 ? cmi.core.exit : cmi.exit).toBe('suspend');
    expect(location).toBe('quiz');
    expect(suspendData.length).toBeGreaterThan(0);

    // Relaunch with what the LMS stored, as an LMS would.
    const resume = is12
      ? { core: { lesson_location: location, entry: 'resume' }, suspend_data: suspendData }
      : { location, suspend_data: suspendData, entry: 'resume' };
    await run.page.close();
    run.page = await browser.newPage();
    sco = await launch(run.page, run.base, { preload: lmsData(format, course, resume) });
    expect(await sco.isVisible('#quiz-form')).toBe(true);
    expect(await servedQuestions(sco)).toEqual(firstPart.served);
    const checked = await sco.$$eval('#quiz-form input:checked', (inputs) => inputs.length);
    expect(checked).toBeGreaterThanOrEqual(3);
    expect(await sco.getAttribute('a[data-goto="l2"]', 'class')).toContain('seen');
    await sco.click('a[data-goto="examples"]');
    expect(await sco.isVisible('[data-example="0"] .example-reveal')).toBe(true);
    expect(await sco.getAttribute('[data-example="0"] [data-verdict="unacceptable"]', 'aria-pressed')).toBe(
      'true',
    );

    // Finish the same attempt: the earlier answers still count.
    await sco.click('a[data-goto="quiz"]');
    const rest = await answerQuiz(sco, course, () => true);
    await sco.click('#quiz-submit');
    await sco.waitForSelector('#result-summary');
    const expected = expectedGrade(course, rest.served, rest.answers);
    expect(expected.score).toBe(100);
    const after = (await cmiData(run.page)).cmi;
    expect(is12 ? after.core.score.raw : after.score.raw).toBe('100');
  });

  it('finds the API two frames up', async () => {
    const run = await player(format);
    const { expected } = await takeQuiz(run, course, allButOneRight(), { nested: true });
    const { cmi } = await cmiData(run.page);
    expect(is12 ? cmi.core.lesson_status : cmi.success_status).toBe('passed');
    expect(is12 ? cmi.core.score.raw : cmi.score.raw).toBe(String(expected.score));
    expect(outsideRequests(run)).toEqual([]);
  });
});

it('works without an LMS and says that progress is not recorded', async () => {
  const run = await player('scorm12');
  await run.page.goto(`${run.base}/sco/index.html`);
  await run.page.waitForSelector('#lms-notice:not([hidden])');
  expect(await run.page.textContent('#lms-notice')).toContain('Your LMS is not recording this session');
  await run.page.click('a[data-goto="quiz"]');
  await run.page.click('#quiz-start');
  expect(await run.page.locator('[data-question]').count()).toBe(course.quiz.questionsPerAttempt);
  expect(outsideRequests(run)).toEqual([]);
});
