/**
 * Every HR page (each GET route under /hr in the route table that answers with HTML, at its
 * ROUTE_SAMPLES sample URL) in Chromium, signed in as HR: axe finds no WCAG 2.1 A/AA violation with
 * JavaScript on and with it off, no page scrolls sideways on a 375 px phone, and each page is
 * screenshotted at 1280 and 375 px into test-artifacts/screenshots/ (hr-page-<path>-<width>.png).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshSettled } from '../../src/services/reporting/summaries.js';
import { COURSE_ID } from '../factories.js';
import { launchChromium } from '../helpers/browser.js';
import { sampleContext, sampleUrl } from '../helpers/route-params.js';
import { type E2EServer, startE2EServer } from './support/app-server.js';
import { A11yAudit, assertNoHorizontalScroll, screenshot, signIn, WAIT } from './support/journey.js';

let server: E2EServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2EServer('hr_pages_a11y'), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Every GET route under /hr with the concrete URL of its ROUTE_SAMPLES sample. */
async function hrPages(): Promise<Array<{ route: string; url: string }>> {
  const ctx = sampleContext(server.app);
  const routes = server.app.routeTable
    .filter((r) => r.method === 'GET' && (r.url === '/hr' || r.url.startsWith('/hr/')))
    .map((r) => r.url)
    .sort();
  const pages: Array<{ route: string; url: string }> = [];
  for (const route of routes) pages.push({ route, url: await sampleUrl(ctx, 'GET', route) });
  return pages;
}

async function signedInContext(javaScriptEnabled: boolean): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled });
  const page = await context.newPage();
  await signIn(page, server.baseUrl, 'hr@demo.test', '/hr');
  return { context, page };
}

/** Only pages: a CSV, PDF, JSON answer or a package file is fetched, not opened (it would download). */
async function isHtmlPage(context: BrowserContext, url: string): Promise<boolean> {
  const res = await context.request.get(`${server.baseUrl}${url}`, { maxRedirects: 0 });
  return (res.headers()['content-type'] ?? '').startsWith('text/html');
}

/** A file name from the route pattern, so screenshots keep their names from run to run. */
const shotName = (route: string, width: number) =>
  `hr-page${route.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')}-${width}`;

describe('every HR page', () => {
  it('has no axe violations with JavaScript on and off, fits a phone, and is screenshotted at 1280 and 375 px', async () => {
    const all = await hrPages();
    const on = await signedInContext(true);
    const off = await signedInContext(false);
    // The dashboard's first visit starts its count in the background: let it finish, as HR would.
    await on.context.request.get(`${server.baseUrl}/hr/dashboard`);
    await refreshSettled(server.app.db.models);
    const auditOn = new A11yAudit('HR pages, JavaScript on');
    const auditOff = new A11yAudit('HR pages, JavaScript off', { twinContext: on.context });
    const pages: string[] = [];
    const notPages: string[] = [];
    const narrow: string[] = [];
    const t0 = Date.now();
    for (const { route, url } of all) {
      if (!(await isHtmlPage(on.context, url))) {
        notPages.push(url);
        continue;
      }
      pages.push(route);
      const res = await on.page.goto(`${server.baseUrl}${url}`, WAIT);
      expect(res?.status(), url).toBe(200);
      await auditOn.check(on.page);
      await on.page.setViewportSize({ width: 1280, height: 900 });
      await screenshot(on.page, shotName(route, 1280));
      await on.page.setViewportSize({ width: 375, height: 800 });
      await assertNoHorizontalScroll(on.page, narrow);
      await screenshot(on.page, shotName(route, 375));
      await on.page.setViewportSize({ width: 1280, height: 900 });

      const scriptless = await off.page.goto(`${server.baseUrl}${url}`, WAIT);
      expect(scriptless?.status(), `${url} without JavaScript`).toBe(200);
      await auditOff.check(off.page);
    }
    console.log(
      `[hr pages] ${pages.length} pages audited twice and screenshotted in ${Math.round((Date.now() - t0) / 1000)} s; not pages (downloads, JSON, files): ${notPages.join(', ')}`,
    );
    expect(pages.length).toBeGreaterThanOrEqual(20);
    expect(pages).toContain('/hr/people');
    expect(pages).toContain('/hr/assignments');
    auditOn.assertClean();
    auditOff.assertClean();
  }, 600_000);

  it('reveals a choice’s follow-up fields without JavaScript, and shows form errors linked to their fields (JavaScript on and off)', async () => {
    const settings = `${server.baseUrl}/hr/courses/${COURSE_ID}/settings`;
    for (const javaScriptEnabled of [true, false]) {
      const { context, page } = await signedInContext(javaScriptEnabled);
      const mode = javaScriptEnabled ? 'JavaScript on' : 'JavaScript off';
      const twin = javaScriptEnabled ? null : await browser.newContext();
      const audit = new A11yAudit(`HR forms, ${mode}`, twin ? { twinContext: twin } : null);
      await page.goto(settings, WAIT);
      // The fixed date's month and day show only while "Every year on a fixed date" is chosen.
      await page.check('#cycleKind');
      expect(await page.isVisible('#calendarMonth'), mode).toBe(false);
      await page.click('label[for="cycleKind-2"]');
      expect(await page.isVisible('#calendarMonth'), mode).toBe(true);
      expect(await page.getAttribute('#cycleKind-2', 'aria-controls'), mode).toBe(
        javaScriptEnabled ? 'conditional-cycleKind-2' : null,
      );
      await page.click('label[for="cycleKind"]');
      expect(await page.isVisible('#calendarMonth'), mode).toBe(false);

      await page.fill('#validityMonths', '0');
      await Promise.all([
        page.waitForNavigation(WAIT),
        page.click('form[action$="/settings"] button[type="submit"]'),
      ]);
      expect(await page.textContent('#validityMonths-error'), mode).toBe(
        'Validity must be a whole number from 1 to 120.',
      );
      await audit.check(page, 'errors');
      await screenshot(page, `hr-form-settings-errors-${javaScriptEnabled ? 'js' : 'nojs'}-1280`);
      await page.click('#error-summary a[href="#validityMonths"]');
      expect(await page.evaluate(() => document.activeElement?.id), mode).toBe('validityMonths');

      await page.goto(`${server.baseUrl}/hr/people/new`, WAIT);
      await page.fill('#email', 'not-an-email');
      await Promise.all([
        page.waitForNavigation(WAIT),
        page.click('form[action="/hr/people/new"] button[type="submit"]'),
      ]);
      expect(await page.textContent('#email-error'), mode).toBe(
        'Enter a valid email address, like name@example.com.',
      );
      await audit.check(page, 'errors');
      await page.setViewportSize({ width: 375, height: 800 });
      await screenshot(page, `hr-form-person-errors-${javaScriptEnabled ? 'js' : 'nojs'}-375`);
      audit.assertClean();
      await context.close();
      await twin?.close();
    }
  }, 300_000);
});
