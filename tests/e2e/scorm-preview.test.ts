import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../helpers/app.js';
import { launchChromium } from '../helpers/browser.js';
import { answerQuiz } from './scorm-harness.js';

let t: TestApp;
let browser: Browser;
let base: string;

beforeAll(async () => {
  t = await createTestApp({ label: 'scorm-preview' });
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

it('plays the package in scorm-again under the app CSP and shows the CMI data live', async () => {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    // Failed loads are reported by URL below, where the browser's own favicon probe can be told apart.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource'))
      problems.push(msg.text());
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && !res.url().endsWith('/favicon.ico'))
      problems.push(`${res.status()} ${res.url()}`);
  });
  page.on('pageerror', (err) => problems.push(err.message));

  await page.goto(`${base}/login`);
  await page.fill('input[name="email"]', 'hr@demo.test');
  await page.fill('input[name="password"]', TEST_PASSWORD);
  await Promise.all([page.waitForURL(`${base}/hr`), page.click('button[type="submit"]')]);

  await page.goto(`${base}/hr/courses/social-media-policy/scorm`);
  await Promise.all([
    page.waitForURL(/\/scorm\/preview\?/),
    page.click('button[name="format"][value="scorm12"].button-secondary'),
  ]);
  await page.waitForFunction(() =>
    document.getElementById('cmi-summary')?.textContent?.includes('incomplete'),
  );

  const frame = page.frames().find((f) => f.url().endsWith('/files/index.html'))!;
  await frame.waitForSelector('[data-view="l0"] h1');
  expect(await frame.isHidden('#lms-notice')).toBe(true);
  await frame.click('a[data-goto="quiz"]');
  const course = t.app.courses.get('social-media-policy')!;
  await answerQuiz(frame, course, () => true);
  await frame.click('#quiz-submit');
  await frame.waitForSelector('#result-summary');

  await page.waitForFunction(() => document.getElementById('cmi-summary')?.textContent?.includes('passed'));
  expect(await page.locator('#cmi-interactions tr').count()).toBe(course.quiz.questionsPerAttempt);
  expect(await page.textContent('#cmi-suspend')).toMatch(/^1\|result\|/);
  expect(await page.textContent('#cmi-log')).toContain('LMSInitialize()');
  expect(problems).toEqual([]);
});
