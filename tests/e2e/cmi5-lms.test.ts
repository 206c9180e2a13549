/**
 * The cmi5 LMS stand-in and the rule check, proved against the reference AU library (@xapi/cmi5, the
 * one the app's AU is built on) in Chromium: a page that runs the library's launch sequence through
 * the stand-in, its statements read back from Ralph. If these pass, a failure in the app's AU tests
 * is the AU's, not the harness's.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { type Cmi5Lms, startCmi5Lms } from '../helpers/cmi5-lms.js';
import { cmi5Violations, verbName } from '../helpers/cmi5-rules.js';
import { type Ralph, startRalph } from '../helpers/ralph.js';

const require = createRequire(import.meta.url);
const library = readFileSync(
  require.resolve('@xapi/cmi5/package.json').replace(/package\.json$/, 'dist/Cmi5.umd.js'),
);

const COURSE_STRUCTURE = `<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://example.test/course"><title><langstring lang="en">Course</langstring></title>
    <description><langstring lang="en">Course</langstring></description></course>
  <au id="https://example.test/course/au" moveOn="CompletedAndPassed" masteryScore="0.8">
    <title><langstring lang="en">AU</langstring></title><description><langstring lang="en">AU</langstring></description>
    <url>start/index.html?lang=en</url>
  </au>
</courseStructure>`;

const PAGE =
  '<!doctype html><title>Reference AU</title><script src="../cmi5.js"></script><h1>Reference AU</h1>';

const files = new Map<string, Buffer>([
  ['cmi5.xml', Buffer.from(COURSE_STRUCTURE)],
  ['start/index.html', Buffer.from(PAGE)],
  ['cmi5.js', library],
]);

interface Cmi5Window {
  Cmi5: new () => {
    initialize(): Promise<unknown>;
    complete(): Promise<unknown>;
    pass(score: number): Promise<unknown>;
    fail(score: number): Promise<unknown>;
    terminate(): Promise<unknown>;
    getLaunchData(): { launchMode: string; masteryScore?: number; returnURL?: string; moveOn: string };
  };
  au: InstanceType<Cmi5Window['Cmi5']>;
}

let ralph: Ralph;
let lms: Cmi5Lms;
let browser: Browser;

beforeAll(async () => {
  [ralph, browser] = await Promise.all([startRalph(), launchChromium()]);
  lms = await startCmi5Lms(files, ralph);
});

afterAll(async () => {
  await browser?.close();
  await lms?.close();
  await ralph?.stop();
});

async function open(url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.route('**/*', (route) => {
    const to = route.request().url();
    return to.startsWith(lms.origin) || to.startsWith(lms.contentOrigin) ? route.continue() : route.abort();
  });
  await page.goto(url);
  await page.evaluate(() => {
    const w = window as unknown as Cmi5Window;
    w.au = new w.Cmi5();
  });
  return page;
}

/** Runs the named library calls in order in the page (each a method of the library's Cmi5). */
async function run(page: Page, calls: Array<[string, ...unknown[]]>) {
  return page.evaluate(async (list) => {
    const au = (window as unknown as Cmi5Window).au as unknown as Record<
      string,
      (...a: unknown[]) => Promise<unknown>
    >;
    for (const [name, ...args] of list) await au[name]!(...args);
  }, calls);
}

describe('cmi5 LMS stand-in with the reference AU library', () => {
  it('launches with the five parameters across origins, hands the token once, and the statements keep every rule', async () => {
    const launch = await lms.launch();
    const url = new URL(launch.url);
    expect(url.origin).toBe(lms.contentOrigin);
    expect(url.searchParams.get('lang')).toBe('en');
    expect([...url.searchParams.keys()].sort()).toEqual(
      ['activityId', 'actor', 'endpoint', 'fetch', 'lang', 'registration'].sort(),
    );
    const page = await open(launch.url);
    await run(page, [['initialize'], ['complete'], ['pass', 0.9], ['terminate']]);
    const launchData = await page.evaluate(() => (window as unknown as Cmi5Window).au.getLaunchData());
    expect(launchData).toMatchObject({
      launchMode: 'Normal',
      masteryScore: 0.8,
      moveOn: 'CompletedAndPassed',
    });
    expect(launchData.returnURL).toBe(launch.returnURL);
    expect(lms.fetchCalls(launch)).toBe(1);
    const statements = await lms.statementsOf(launch);
    expect(statements.map(verbName)).toEqual([
      'launched',
      'initialized',
      'completed',
      'passed',
      'terminated',
    ]);
    expect(cmi5Violations(statements, launch)).toEqual([]);
    expect(lms.problems).toEqual([]);

    const again = await fetch(url.searchParams.get('fetch')!, { method: 'POST' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ 'error-code': '1' });
    expect(lms.problems).toEqual([expect.stringContaining('POSTed 2 times')]);
    lms.problems.length = 0;
    await page.close();
  });

  it('catches what the library does not stop: a second Passed and a Failed after Passed in the registration', async () => {
    const first = await lms.launch();
    const page = await open(first.url);
    await run(page, [['initialize'], ['pass', 0.9], ['terminate']]);
    const second = await lms.launch({ registration: first.registration, learner: first.actor.account.name });
    await page.goto(second.url);
    await page.evaluate(() => {
      const w = window as unknown as Cmi5Window;
      w.au = new w.Cmi5();
    });
    await run(page, [['initialize'], ['pass', 0.95], ['fail', 0.1], ['terminate']]);
    const rules = cmi5Violations(await lms.statementsOf(second), second).map((v) => v.rule);
    expect(rules).toEqual(['passed-and-failed', 'second-passed', 'failed-after-passed']);
    await page.close();
  });

  it('Browse mode: the launch data says so, and a Completed sent anyway is caught', async () => {
    const launch = await lms.launch({ launchMode: 'Browse', returnURL: null, masteryScore: null });
    const page = await open(launch.url);
    await run(page, [['initialize']]);
    const launchData = await page.evaluate(() => (window as unknown as Cmi5Window).au.getLaunchData());
    expect(launchData.launchMode).toBe('Browse');
    expect(launchData.returnURL).toBeUndefined();
    expect(launchData.masteryScore).toBeUndefined();
    // The library refuses Completed outside Normal mode; a hand-made one shows the check catches it.
    await page.evaluate(async () => {
      const au = (window as unknown as Cmi5Window).au as unknown as {
        launchData: { launchMode: string };
      };
      au.launchData.launchMode = 'Normal';
    });
    await run(page, [['complete'], ['terminate']]);
    const rules = cmi5Violations(await lms.statementsOf(launch), launch).map((v) => v.rule);
    expect(rules).toEqual(['not-normal-mode']);
    await page.close();
  });

  it('refuses statements while told to (503, then 400), forwards them again after, and never lets the AU write LMS.LaunchData', async () => {
    const launch = await lms.launch();
    const page = await open(launch.url);
    await run(page, [['initialize']]);
    lms.refuseStatements(503);
    const refused = await page.evaluate(() =>
      (window as unknown as Cmi5Window).au.complete().then(
        () => 'sent',
        (err: { response?: { status: number } }) => err.response?.status,
      ),
    );
    expect(refused).toBe(503);
    lms.refuseStatements(400);
    const bad = await page.evaluate(() =>
      (window as unknown as Cmi5Window).au.complete().then(
        () => 'sent',
        (err: { response?: { status: number } }) => err.response?.status,
      ),
    );
    expect(bad).toBe(400);
    lms.refuseStatements(null);
    await run(page, [['complete'], ['terminate']]);
    const statements = await lms.statementsOf(launch);
    expect(statements.map(verbName)).toEqual(['launched', 'initialized', 'completed', 'terminated']);
    expect(
      lms.log.filter((r) => r.path === '/xapi/statements' && r.status >= 400).map((r) => r.status),
    ).toEqual(expect.arrayContaining([503, 400]));

    const status = await page.evaluate(
      async ([endpoint, launchJson]) => {
        const l = JSON.parse(launchJson) as { actor: object; activityId: string; registration: string };
        const au = (window as unknown as { au: { getAuthToken(): string } }).au;
        const q = new URLSearchParams({
          stateId: 'LMS.LaunchData',
          activityId: l.activityId,
          agent: JSON.stringify(l.actor),
          registration: l.registration,
        });
        const res = await fetch(`${endpoint}activities/state?${q}`, {
          method: 'PUT',
          headers: {
            authorization: `Basic ${au.getAuthToken()}`,
            'content-type': 'application/json',
            'x-experience-api-version': '1.0.3',
          },
          body: '{"launchMode":"Normal"}',
        });
        return res.status;
      },
      [lms.endpoint, JSON.stringify(launch)] as const,
    );
    expect(status).toBe(403);
    expect(lms.problems).toEqual([expect.stringContaining('LMS.LaunchData')]);
    lms.problems.length = 0;
    await page.close();
  });
});
