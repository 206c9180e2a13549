/**
 * The SCO against an LMS that misbehaves (issue 18, item 3) and the number of commits it makes
 * (item 5). Every fault is injected into scorm-again through the harness's `apiFaults`; time is
 * Playwright's fake clock, so commit back-off and the 30-second commit interval take no real time.
 */
import type { Browser, Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Course } from '../../src/domain/course.js';
import {
  API_METHODS,
  answerQuiz,
  apiFaults,
  apiLog,
  cmiData,
  launch,
  OTHER_PLACEMENTS,
  type Placement,
} from './scorm-harness.js';
import { allButOneRight, lmsData, openPlayer, useScoBrowser } from './scorm-run.js';

let course: Course;
let browser: Browser;
const runs = useScoBrowser((c, b) => {
  course = c;
  browser = b;
});

const NOT_RECORDING = 'Your LMS is not recording this session';
const NOT_SAVING = 'Your LMS is not saving your progress';

async function player(format: 'scorm12' | 'scorm2004') {
  const run = await openPlayer(browser, course, format, 'failed');
  runs.push(run);
  const console: string[] = [];
  // The context's console: a popup's messages too.
  run.page.context().on('console', (m) => console.push(m.text()));
  await run.page.clock.install();
  return { ...run, console };
}

const visibleText = (sco: Frame, selector: string) =>
  sco.$eval(selector, (el) => ((el as HTMLElement).hidden ? '' : (el.textContent ?? '').trim()));

/** Moves through two lessons: the course stays usable whatever the LMS does. */
async function navigate(sco: Frame) {
  await sco.click('a[data-goto="l1"]');
  await sco.waitForSelector('[data-view="l1"]:not([hidden]) h1');
  await sco.click('a[data-goto="examples"]');
  await sco.waitForSelector('[data-view="examples"]:not([hidden]) h1');
}

async function finish(sco: Frame) {
  await sco.click('#save-exit');
  await sco.waitForSelector('#sco-ended:not([hidden])');
  return visibleText(sco, '#sco-ended');
}

/** Starts and finishes the quiz so "Finish and close" is on screen. */
async function passQuiz(sco: Frame) {
  await sco.click('a[data-goto="quiz"]');
  await answerQuiz(sco, course, allButOneRight());
  await sco.click('#quiz-submit');
  await sco.waitForSelector('#result-summary');
}

const commits = async (page: Page, name: string) =>
  (await apiLog(page)).filter((e) => e[0] === name || (e[0] === 'refused' && e[1] === name)).length;

const methods = (format: 'scorm12' | 'scorm2004') => {
  const is12 = format === 'scorm12';
  return {
    init: is12 ? 'LMSInitialize' : 'Initialize',
    set: is12 ? 'LMSSetValue' : 'SetValue',
    commit: is12 ? 'LMSCommit' : 'Commit',
  };
};

async function noApi(format: 'scorm12' | 'scorm2004', where: Placement = {}) {
  const run = await player(format);
  const sco = await launch(run.page, run.base, { preload: lmsData(format, course), noApi: true, ...where });
  expect(await visibleText(sco, '#lms-notice')).toContain(NOT_RECORDING);
  await navigate(sco);
  await passQuiz(sco);
  expect(await finish(sco)).not.toMatch(/has been saved/i);
}

async function commitRefused(format: 'scorm12' | 'scorm2004', where: Placement = {}) {
  const m = methods(format);
  const run = await player(format);
  const sco = await launch(run.page, run.base, {
    preload: lmsData(format, course),
    wrap: apiFaults.refuses(m.commit),
    ...where,
  });
  expect(await commits(run.page, m.commit)).toBe(1);
  await run.page.clock.runFor(10_000);
  // The first commit and three retries, then the learner is told.
  expect(await commits(run.page, m.commit)).toBe(4);
  expect(await visibleText(sco, '#lms-saving')).toContain(NOT_SAVING);
  expect(run.console.join('\n')).toMatch(new RegExp(`${m.commit}.*(refused|false)`, 'i'));
  await navigate(sco);
  expect(await visibleText(sco, '#lms-saving')).toContain(NOT_SAVING);
  await passQuiz(sco);
  expect(await finish(sco)).not.toMatch(/has been saved/i);
}

describe.each(['scorm12', 'scorm2004'] as const)('%s', (format) => {
  const is12 = format === 'scorm12';
  const m = methods(format);

  it('Initialize refused: says the LMS is not recording, stays usable, never claims a save', async () => {
    const run = await player(format);
    const sco = await launch(run.page, run.base, {
      preload: lmsData(format, course),
      wrap: apiFaults.refuses(m.init),
    });
    expect(await visibleText(sco, '#lms-notice')).toContain(NOT_RECORDING);
    await navigate(sco);
    await passQuiz(sco);
    expect(await finish(sco)).not.toMatch(/has been saved/i);
    expect(run.console.join('\n')).toMatch(new RegExp(`${m.init}.*(refused|false)`, 'i'));
    // Nothing after a refused Initialize: the API is not in a session.
    expect((await apiLog(run.page)).filter((e) => e[0] !== 'refused')).toEqual([]);
  });

  it('no API at all: says the LMS is not recording and stays usable', () => noApi(format));

  it('an API whose every method throws: start-up survives, navigation works, no save claimed', async () => {
    const run = await player(format);
    const sco = await launch(run.page, run.base, {
      preload: lmsData(format, course),
      wrap: apiFaults.throws([...API_METHODS[format]]),
    });
    expect(await visibleText(sco, '#lms-notice')).toContain(NOT_RECORDING);
    await navigate(sco);
    await passQuiz(sco);
    expect(await finish(sco)).not.toMatch(/has been saved/i);
    expect(run.console.join('\n')).toContain('LMS broke');
  });

  it('suspend_data rejected: retries, then says plainly that progress is not being saved', async () => {
    const run = await player(format);
    const sco = await launch(run.page, run.base, {
      preload: lmsData(format, course),
      wrap: apiFaults.refusesElement(m.set, 'cmi.suspend_data'),
    });
    expect(await visibleText(sco, '#lms-saving')).toBe('');
    await navigate(sco);
    await run.page.clock.runFor(10_000);
    expect(await visibleText(sco, '#lms-saving')).toContain(NOT_SAVING);
    expect(run.console.join('\n')).toMatch(/cmi\.suspend_data/);
    await passQuiz(sco);
    expect(await finish(sco)).not.toMatch(/has been saved/i);
  });

  it('Commit refused: retried with back-off, then the plain message; never "saved"', () =>
    commitRefused(format));

  it('Terminate / LMSFinish refused: no "saved" at the end', async () => {
    const run = await player(format);
    const sco = await launch(run.page, run.base, {
      preload: lmsData(format, course),
      wrap: apiFaults.refuses(is12 ? 'LMSFinish' : 'Terminate'),
    });
    await passQuiz(sco);
    expect(await finish(sco)).not.toMatch(/has been saved/i);
  });

  it('Commit refused for a while: the state kept in memory goes out with the next commit', async () => {
    const run = await player(format);
    const sco = await launch(run.page, run.base, {
      preload: lmsData(format, course),
      wrap: apiFaults.refusesFirst(m.commit, 4),
    });
    await run.page.clock.runFor(10_000);
    expect(await visibleText(sco, '#lms-saving')).toContain(NOT_SAVING);
    await sco.click('a[data-goto="l1"]');
    await sco.waitForSelector('[data-view="l1"]:not([hidden]) h1');
    expect(await visibleText(sco, '#lms-saving')).toBe('');
    const cmi = (await cmiData(run.page)).cmi;
    expect(cmi.suspend_data).toContain('|l1|');
    expect(await finish(sco)).toMatch(/has been saved/i);
  });

  it('a full pass commits at meaningful points only, and after 30 s when something changed', async () => {
    const run = await player(format);
    const sco = await launch(run.page, run.base, { preload: lmsData(format, course) });
    for (let i = 1; i < course.lessons.length; i++) {
      await sco.click(`[data-view="l${i - 1}"] button[data-goto="l${i}"]`);
      await sco.waitForSelector(`[data-view="l${i}"]:not([hidden]) h1`);
    }
    await sco.click('a[data-goto="examples"]');
    for (const button of await sco.$$('[data-example] [data-verdict="acceptable"]')) await button.click();
    await sco.click('a[data-goto="tree"]');
    // Start-up plus one per lesson completed; the examples and the tree wait for the interval.
    const afterLessons = course.lessons.length + 1;
    expect(await commits(run.page, m.commit)).toBe(afterLessons);
    await run.page.clock.runFor(31_000);
    expect(await commits(run.page, m.commit)).toBe(afterLessons + 1);
    await run.page.clock.runFor(60_000);
    expect(await commits(run.page, m.commit)).toBe(afterLessons + 1);
    // Nothing changed since: no commit however long the learner waits.
    await passQuiz(sco);
    // Opening the quiz, over 30 s after the last commit, commits; the answers given within the
    // next 30 s wait for the interval; the submission commits at once.
    expect(await commits(run.page, m.commit)).toBe(afterLessons + 3);
    expect(await finish(sco)).toMatch(/has been saved/i);
    // Issue 18 measured about 35 commits for a full pass (one per page or example click).
    expect(await commits(run.page, m.commit)).toBeLessThanOrEqual(course.lessons.length + 4);
  });
});

describe.each(['scorm12', 'scorm2004'] as const)('%s at another placement', (format) => {
  it.each(OTHER_PLACEMENTS)('no API in %s: not recording, stays usable', (_name, where) =>
    noApi(format, where),
  );
  it.each(OTHER_PLACEMENTS)('Commit refused in %s: retried, then the plain message', (_name, where) =>
    commitRefused(format, where),
  );
});
