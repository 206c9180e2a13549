/**
 * The record a SCO leaves in the LMS can be trusted: a pass is never overwritten by a later
 * attempt, the attempt limit holds even when the retake button is pressed by a script, and once
 * the learner saved and exited the course stops (no more results the LMS would never receive).
 * Chromium with scorm-again as the LMS API, both formats, frame depth 1 (the pass also at depth 7 and
 * in a popup).
 */
import type { Browser, Frame } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Course, Question } from '../../src/domain/course.js';
import type { ScormFormat } from '../../src/scorm/index.js';
import {
  answerQuiz,
  apiLog,
  type Cmi,
  cmiData,
  launch,
  OTHER_PLACEMENTS,
  type Placement,
  setCalls,
} from './scorm-harness.js';
import { lmsData, openPlayer, takeQuiz, useScoBrowser } from './scorm-run.js';

let course: Course;
let browser: Browser;
const runs = useScoBrowser((c, b) => {
  course = c;
  browser = b;
});

async function player(format: ScormFormat) {
  const run = await openPlayer(browser, course, format, 'failed');
  runs.push(run);
  return run;
}

/** Answers the attempt on screen (starting the quiz if needed), submits and waits for its result. */
async function attempt(sco: Frame, right: (pos: number, q: Question) => boolean) {
  await answerQuiz(sco, course, right);
  await sco.click('#quiz-submit');
  await sco.waitForSelector('#view-result:not([hidden]) #result-summary');
}

/**
 * Presses "Try the quiz again" the way a script (or a stylesheet that shows the hidden button)
 * would; then, if a quiz appeared anyway, answers it with `right` and submits it.
 */
async function forceRetake(sco: Frame, right: (pos: number, q: Question) => boolean) {
  await sco.evaluate(() => document.getElementById('quiz-retake')!.click());
  if (await sco.isVisible('#quiz-form')) await attempt(sco, right);
}

const statusOf = (format: ScormFormat, cmi: Cmi) =>
  format === 'scorm12'
    ? { status: cmi.core.lesson_status, raw: cmi.core.score.raw }
    : { status: cmi.success_status, raw: cmi.score.raw };

/** A pass, then the hidden retake pressed anyway and failed: the LMS keeps the pass. */
async function keepsPass(format: ScormFormat, where: Placement = {}) {
  const run = await player(format);
  const sco = await launch(run.page, run.base, { preload: lmsData(format, course), ...where });
  await sco.click('a[data-goto="quiz"]');
  await attempt(sco, () => true);
  expect(statusOf(format, (await cmiData(run.page)).cmi)).toEqual({ status: 'passed', raw: '100' });
  expect(await sco.$eval('#quiz-retake', (b) => getComputedStyle(b).display)).toBe('none');
  expect(await sco.isVisible('#quiz-retake')).toBe(false);

  await forceRetake(sco, () => false);
  await sco.click('#sco-finish');
  await sco.waitForSelector('#sco-ended:not([hidden])');

  expect(statusOf(format, (await cmiData(run.page)).cmi)).toEqual({ status: 'passed', raw: '100' });
  const calls = await setCalls(run.page);
  expect(calls.filter(([, value]) => value === 'failed')).toEqual([]);
  expect(calls.filter(([el]) => el.endsWith('score.raw')).map(([, v]) => v)).toEqual(['100']);
}

describe.each(['scorm12', 'scorm2004'] as const)('%s: the LMS record stays trustworthy', (format) => {
  it('keeps a pass: the retake is hidden, and pressing it anyway sends no lower result', () =>
    keepsPass(format));

  it('respects a pass stored in the LMS even when the bookmark is lost: no attempt, nothing lower sent', async () => {
    const run = await player(format);
    const stored =
      format === 'scorm12'
        ? { core: { lesson_status: 'passed', score: { raw: '90' } }, suspend_data: '' }
        : {
            completion_status: 'completed',
            success_status: 'passed',
            score: { scaled: '0.9', raw: '90' },
            suspend_data: '',
          };
    const sco = await launch(run.page, run.base, { preload: lmsData(format, course, stored) });
    await sco.click('a[data-goto="quiz"]');
    await sco.evaluate(() => document.getElementById('quiz-start')!.click());
    expect(await sco.isVisible('#quiz-form')).toBe(false);
    expect(await sco.isVisible('#quiz-passed')).toBe(true);
    await forceRetake(sco, () => false);
    await sco.click('#save-exit');
    await sco.waitForSelector('#sco-ended:not([hidden])');

    expect(statusOf(format, (await cmiData(run.page)).cmi)).toEqual({ status: 'passed', raw: '90' });
    const calls = await setCalls(run.page);
    expect(
      calls.filter(([el]) => /(lesson_status|success_status|completion_status|score\.)/.test(el)),
    ).toEqual([]);
    expect(calls.filter(([el]) => el.startsWith('cmi.interactions'))).toEqual([]);
  });

  it('refuses a fourth attempt after three fails', async () => {
    const run = await player(format);
    const sco = await launch(run.page, run.base, { preload: lmsData(format, course) });
    await sco.click('a[data-goto="quiz"]');
    for (let i = 0; i < course.quiz.maxAttempts; i++) {
      if (i > 0) await sco.click('#quiz-retake');
      await attempt(sco, () => false);
    }
    expect(await sco.isVisible('#quiz-retake')).toBe(false);

    await forceRetake(sco, () => true);
    expect(await sco.isVisible('#view-result')).toBe(true);
    await sco.click('#sco-finish');
    await sco.waitForSelector('#sco-ended:not([hidden])');

    expect(statusOf(format, (await cmiData(run.page)).cmi)).toEqual({ status: 'failed', raw: '0' });
    const calls = await setCalls(run.page);
    expect(calls.filter(([, value]) => value === 'passed')).toEqual([]);
    expect(calls.filter(([el]) => /score\.raw$/.test(el))).toHaveLength(course.quiz.maxAttempts);
  });

  it('is inert after "Save and exit": a clear message, nothing left to press, no further calls', async () => {
    const run = await player(format);
    const sco = await launch(run.page, run.base, { preload: lmsData(format, course) });
    await sco.click('a[data-goto="l1"]');
    await sco.click('#save-exit');
    await sco.waitForSelector('#sco-ended:not([hidden])');
    expect(await sco.textContent('#sco-ended')).toContain('You can close this window');
    const callsAtExit = (await apiLog(run.page)).length;

    // Nothing of the course is left to see or press.
    const visibleControls = await sco.$$eval('a, button, input, summary', (nodes) =>
      nodes.filter((n) => (n as HTMLElement).offsetParent !== null).map((n) => n.outerHTML.slice(0, 80)),
    );
    expect(visibleControls).toEqual([]);
    expect(await sco.isVisible('main')).toBe(false);

    // A script (or a keyboard user's stale focus) pressing controls changes nothing.
    await sco.evaluate(() => {
      document.querySelector<HTMLElement>('a[data-goto="quiz"]')!.click();
      document.getElementById('quiz-start')!.click();
      document.querySelector<HTMLElement>('[data-example="0"] [data-verdict]')!.click();
      document.getElementById('save-exit')!.click();
    });
    expect(await sco.isVisible('#view-quiz')).toBe(false);
    expect(await sco.isVisible('#quiz-form')).toBe(false);
    expect((await apiLog(run.page)).length).toBe(callsAtExit);
  });

  it('is inert after "Finish and close" too: the result is not shown again past the exit', async () => {
    const run = await player(format);
    await takeQuiz(run, course, () => false);
    const sco = run.page.frames().find((f) => f.url().endsWith('/sco/index.html'))!;
    const callsAtExit = (await apiLog(run.page)).length;
    expect(await sco.isVisible('#view-result')).toBe(false);
    await sco.evaluate(() => document.getElementById('quiz-retake')!.click());
    expect(await sco.isVisible('#quiz-form')).toBe(false);
    expect((await apiLog(run.page)).length).toBe(callsAtExit);
  });
});

describe.each(['scorm12', 'scorm2004'] as const)('%s at another placement', (format) => {
  it.each(OTHER_PLACEMENTS)('keeps a pass in %s', (_name, where) => keepsPass(format, where));
});
