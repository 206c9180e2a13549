/**
 * Shared setup for the cmi5 browser tests (#27): the real course exported by `cmi5:export` (run on a
 * test app, as `npm run lms` runs it), unzipped into the LMS stand-in, a real LRS (Ralph) behind it, Chromium in
 * front. Tests launch the AU as an LMS would, drive it through its page, and read the statements
 * back from Ralph.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { command as cmi5Export } from '../../src/cli/commands/cmi5-export.js';
import { courseIn } from '../../src/cli/commands/scorm-export.js';
import type { Course, Question } from '../../src/domain/course.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp } from '../helpers/app.js';
import { launchChromium } from '../helpers/browser.js';
import { cliContext } from '../helpers/cli.js';
import { type Cmi5Launch, type Cmi5Lms, type LaunchOptions, startCmi5Lms } from '../helpers/cmi5-lms.js';
import { cmi5Violations, verbName, type XapiStatement } from '../helpers/cmi5-rules.js';
import { type Ralph, startRalph } from '../helpers/ralph.js';
import { answerQuiz, unzip } from './scorm-harness.js';
import { expectedGrade } from './scorm-run.js';

export interface Cmi5Run {
  course: Course;
  browser: Browser;
  ralph: Ralph;
  lms: Cmi5Lms;
}

/** `npm run lms -- cmi5:export social-media-policy --out …` on a test app: the package and its course. */
async function exportPackage(label: string): Promise<{ course: Course; files: Map<string, Buffer> }> {
  const t = await createTestApp({ label });
  const dir = await mkdtemp(join(tmpdir(), 'cmi5-e2e-'));
  try {
    const out = join(dir, 'au.zip');
    const { ctx, lines } = cliContext(t);
    const code = await cmi5Export.run(ctx, { positionals: [COURSE_ID], flags: { out } });
    if (code !== 0) throw new Error(`cmi5:export failed: ${lines.join('\n')}`);
    return { course: courseIn(ctx, COURSE_ID, 'en'), files: await unzip(await readFile(out)) };
  } finally {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The file's hooks: one exported package, Ralph, stand-in and Chromium for all its tests. */
export function useCmi5Lms(label: string): Cmi5Run {
  const run = {} as Cmi5Run;
  beforeAll(async () => {
    const exported = await exportPackage(label);
    run.course = exported.course;
    [run.ralph, run.browser] = await Promise.all([startRalph(), launchChromium()]);
    run.lms = await startCmi5Lms(exported.files, run.ralph);
  });
  afterAll(async () => {
    await run.browser?.close();
    await run.lms?.close();
    await run.ralph?.stop();
  });
  return run;
}

/**
 * Launches the AU in a new page, as an LMS launching "AnyWindow" in the learner's window would;
 * anything not served by the stand-in is refused instead of reaching the network.
 */
export async function openAu(
  run: Cmi5Run,
  options: LaunchOptions = {},
  /** The learner's browser profile (its localStorage) from an earlier launch; a new one by default. */
  sameBrowserAs?: Page,
): Promise<{ page: Page; launch: Cmi5Launch }> {
  const launch = await run.lms.launch(options);
  // Routed per context, not per page: requests a closing page leaves behind (keepalive) still go out.
  // The contexts close with the browser.
  const context = sameBrowserAs?.context() ?? (await run.browser.newContext());
  const page = await context.newPage();
  await context.route('**/*', (route) => {
    const to = route.request().url();
    return to.startsWith(run.lms.origin) || to.startsWith(run.lms.contentOrigin)
      ? route.continue()
      : route.abort();
  });
  await page.goto(launch.url);
  await page.waitForSelector('[data-view]:not([hidden]) h1');
  return { page, launch };
}

/** Starts (or continues) the quiz, answers it through the page and submits; returns the expected grade. */
export async function takeQuiz(page: Page, course: Course, right: (pos: number, q: Question) => boolean) {
  await page.click('a[data-goto="quiz"]');
  const { served, answers } = await answerQuiz(page.mainFrame(), course, right);
  await page.click('#quiz-submit');
  await page.waitForSelector('#result-summary');
  return expectedGrade(course, served, answers);
}

/** "Finish and close", then the LMS's return page once the AU has terminated and everything is saved. */
export async function finishToLms(page: Page, launch: Cmi5Launch, button = '#sco-finish'): Promise<void> {
  await page.click(button);
  await page.waitForURL(launch.returnURL!, { timeout: 60_000 });
  await page.waitForSelector('#lms-returned');
}

/** The learner's statements in Ralph, checked against every cmi5 rule; returns them in spec order. */
export async function statementsKeepingTheRules(run: Cmi5Run, launch: Cmi5Launch): Promise<XapiStatement[]> {
  const statements = await run.lms.statementsOf(launch);
  expect(cmi5Violations(statements, launch)).toEqual([]);
  expect(run.lms.problems).toEqual([]);
  return statements;
}

/** The verbs of one session's statements, in the order they were stored. */
export function sessionVerbs(statements: XapiStatement[], launch: Cmi5Launch): string[] {
  return statements
    .filter(
      (s) =>
        s.context?.extensions?.['https://w3id.org/xapi/cmi5/context/extensions/sessionid'] ===
        launch.sessionId,
    )
    .map(verbName);
}
