/**
 * HR home and a person's readable history (issue #28) in Chromium: axe finds no violations with
 * JavaScript on and off, the home's "needs me" figures lead to their lists, the history reads as
 * sentences whose codes open from a details toggle (no script needed), and on a phone neither page
 * scrolls sideways. Screenshots at 1280 and 375 px.
 */

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserDoc } from '../../src/db/models/user.js';
import { needsMeSettled, recountNeedsMe } from '../../src/services/reporting/needs-me.js';
import { launchChromium } from '../helpers/browser.js';
import { type E2EServer, startE2EServer } from './support/app-server.js';
import { A11yAudit, assertNoHorizontalScroll, follow, screenshot, signIn } from './support/journey.js';

let server: E2EServer;
let browser: Browser;
let ava: UserDoc;

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2EServer('hr-home-history'), launchChromium()]);
  await server.app.services.demo.seedDemoTraining({ now: server.clock.now() });
  ava = (await server.app.db.models.User.findOne({ email: 'ava.adams@demo.test' }).lean<UserDoc>())!;
  // HR home's figures are counted in the background; count them once before the pages are read.
  await recountNeedsMe({ models: server.app.db.models, courses: server.app.courses }, server.clock.now());
  await needsMeSettled(server.app.db.models);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function hrPage(
  width: number,
  javaScriptEnabled: boolean,
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled });
  const page = await context.newPage();
  await signIn(page, server.baseUrl, 'hr@demo.test', '/hr');
  return { page, context };
}

describe('HR home and readable history in the browser', () => {
  for (const js of [true, false]) {
    it(`passes axe and works ${js ? 'with' : 'without'} JavaScript`, async () => {
      const { page, context } = await hrPage(1280, js);
      const twin = js ? null : { twinContext: await browser.newContext() };
      const audit = new A11yAudit(js ? 'js' : 'no-js', twin);
      await audit.check(page);
      const overdue = page.locator('#needs-overdue');
      // The demo's two overdue people (elena.evans, femi.fischer), in two departments.
      await expect(overdue.locator('.needs-n').textContent()).resolves.toBe('2');
      if (js) await screenshot(page, 'hr-home-1280');
      const department = await overdue.locator('tbody a').first().textContent();
      await follow(page, '#needs-overdue tbody a');
      const list = new URL(page.url());
      expect([list.pathname, list.searchParams.get('department'), list.searchParams.get('state')]).toEqual([
        '/hr/people',
        department,
        'overdue',
      ]);

      await page.goto(`${server.baseUrl}/hr/employees/${ava._id}`);
      await audit.check(page);
      const firstCodes = page.locator('#history .history-codes').first();
      await expect(firstCodes.locator('code').first().isVisible()).resolves.toBe(false);
      await firstCodes.locator('summary').click();
      await expect(firstCodes.locator('code').first().isVisible()).resolves.toBe(true);
      await audit.check(page, 'details open');
      if (js) await screenshot(page, 'hr-employee-history-1280');

      await page.goto(`${server.baseUrl}/hr/outbox/failed`);
      await audit.check(page);
      audit.assertClean();
      await context.close();
      await twin?.twinContext.close();
    }, 120_000);
  }

  it('does not scroll sideways on a phone', async () => {
    const { page, context } = await hrPage(375, true);
    const seen: string[] = [];
    await assertNoHorizontalScroll(page, seen);
    await screenshot(page, 'hr-home-375');
    await page.goto(`${server.baseUrl}/hr/employees/${ava._id}`);
    await page.locator('#history .history-codes summary').first().click();
    await assertNoHorizontalScroll(page, seen);
    await screenshot(page, 'hr-employee-history-375');
    await context.close();
  }, 120_000);
});
