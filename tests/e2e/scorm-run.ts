/** Shared setup for the SCORM browser tests: a package in the local player, with requests recorded. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { defaultCoursesDir, loadCourse } from '../../src/content/index.js';
import type { Course, Question } from '../../src/domain/course.js';
import { type GivenAnswer, gradeAttempt } from '../../src/domain/quiz/grading.js';
import { buildScormPackage, type FailStatus, type ScormFormat } from '../../src/scorm/index.js';
import { launchChromium } from '../helpers/browser.js';
import { answerQuiz, launch, type PlayerServer, startPlayerServer, unzip } from './scorm-harness.js';

export interface Run {
  page: Page;
  base: string;
  format: ScormFormat;
  requests: Array<{ url: string; frame: string }>;
  server: PlayerServer;
}

export async function openPlayer(
  browser: Browser,
  course: Course,
  format: ScormFormat,
  failStatus: FailStatus,
): Promise<Run> {
  const files = await unzip(await buildScormPackage(course, { format, failStatus }));
  const server = await startPlayerServer(files, format);
  const page = await browser.newPage();
  const requests: Run['requests'] = [];
  page.on('request', (req) => requests.push({ url: req.url(), frame: req.frame().url() }));
  // Anything not served by the local player is refused instead of reaching the network.
  await page.route('**/*', (route) =>
    route.request().url().startsWith(server.base) ? route.continue() : route.abort(),
  );
  return { page, base: server.base, format, requests, server };
}

/** What an LMS hands a SCO from the manifest: the mastery score (1.2) or scaled passing score (2004). */
export function lmsData(format: ScormFormat, course: Course, extra: object = {}) {
  return format === 'scorm12'
    ? { student_data: { mastery_score: String(course.quiz.passingScore) }, ...extra }
    : { scaled_passing_score: String(course.quiz.passingScore / 100), ...extra };
}

export function expectedGrade(course: Course, served: string[], answers: Record<string, GivenAnswer>) {
  const byId = new Map<string, Question>(course.questions.map((q) => [q.id, q]));
  const draw = served.map((questionId) => ({ questionId, choiceIds: [] }));
  return gradeAttempt(byId, draw, answers, course.quiz.passingScore);
}

/** Everything right but the first single-answer question: a pass below 100 %. */
export function allButOneRight() {
  let missed = false;
  return (_pos: number, q: Question) => {
    if (!missed && (q.type === 'single' || q.type === 'truefalse' || q.type === 'spot')) {
      missed = true;
      return false;
    }
    return true;
  };
}

/** Launches the SCO, takes the whole quiz through the UI and presses "Finish and close". */
export async function takeQuiz(
  run: Run,
  course: Course,
  right: (pos: number, q: Question) => boolean,
  opts: { nested?: boolean } = {},
) {
  const sco = await launch(run.page, run.base, { preload: lmsData(run.format, course), nested: opts.nested });
  await sco.click('a[data-goto="quiz"]');
  const { served, answers } = await answerQuiz(sco, course, right);
  await sco.click('#quiz-submit');
  await sco.waitForSelector('#result-summary');
  const summary = (await sco.textContent('#result-summary')) ?? '';
  await sco.click('#sco-finish');
  await sco.waitForSelector('#sco-ended:not([hidden])');
  return { served, answers, summary, sco, expected: expectedGrade(course, served, answers) };
}

/** The SCO may fetch only its own files; the player page itself may fetch the player. */
export function outsideRequests(run: Run): string[] {
  return run.requests
    .filter((r) => r.frame.includes('/sco/') || !r.url.startsWith(run.base))
    .filter((r) => !r.url.startsWith(`${run.base}/sco/`))
    .map((r) => r.url);
}

/**
 * The shared hooks of a SCORM browser test file: the real course and one Chromium before, and the
 * browser and every player opened (push it onto the returned list) closed after.
 */
export function useScoBrowser(ready: (course: Course, browser: Browser) => void): Run[] {
  const runs: Run[] = [];
  let browser: Browser | undefined;
  beforeAll(async () => {
    const course = await loadCourse(`${defaultCoursesDir}/social-media-policy`);
    browser = await launchChromium();
    ready(course, browser);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all(runs.map((r) => r.server.close()));
  });
  return runs;
}
