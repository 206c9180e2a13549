/**
 * HR's question statistics page in Chromium: reached from the HR home, axe finds no violations
 * with no statistics yet and with the demo organisation's figures (its history and nightly job).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COURSE_ID } from '../factories.js';
import { launchChromium } from '../helpers/browser.js';
import { type E2EServer, startE2EServer } from './support/app-server.js';
import { A11yAudit, follow, screenshot, signIn } from './support/journey.js';

let server: E2EServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2EServer('item_stats'), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function hrPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, server.baseUrl, 'hr@demo.test', '/hr');
  return page;
}

describe('question statistics page', () => {
  it('is linked from the HR home and has no axe violations, empty or with figures', async () => {
    const audit = new A11yAudit('question statistics');
    const url = `${server.baseUrl}/hr/courses/${COURSE_ID}/questions`;
    const page = await hrPage();
    await follow(page, `a[href="/hr/courses/${COURSE_ID}/questions"]`, url);
    expect(await page.textContent('main')).toContain('No statistics yet');
    await audit.check(page, 'empty');

    await server.app.services.demo.seedDemoTraining({ now: server.clock.now() });
    await page.reload();
    const rows = await page.locator('table.item-stats tbody tr').count();
    expect(rows).toBe(server.app.courses.get(COURSE_ID)!.questions.length);
    expect(await page.textContent('caption')).toContain('flagged questions first');
    await page.click('details.hint summary');
    await audit.check(page, 'figures');
    await screenshot(page, 'desktop-hr-question-statistics');
    audit.assertClean();
  }, 180_000);
});
