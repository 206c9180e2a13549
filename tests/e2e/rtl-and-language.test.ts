/**
 * The product in the learner's language, in Chromium (issue #26):
 * (a) an Arabic-interface learner (browser language ar) sees My training, a lesson and an example post of
 *     the English course (the Arabic course translation is partial, so not served) right to left: axe finds
 *     no WCAG 2.1 A/AA violation, <html dir="rtl" lang="ar">, the header is mirrored (brand at the right
 *     edge, navigation to its left) and the English post text runs left to right inside the rtl page;
 * (b) HR's preview of the Arabic translation: an English page with the lesson right to left in it;
 * (c) the language switcher without JavaScript: before signing in, and stored on the person's profile.
 * Screenshots at 1280 and 375 px go to test-artifacts/screenshots/ (rtl-*.png).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COURSE_ID } from '../factories.js';
import { launchChromium } from '../helpers/browser.js';
import { type E2EServer, startE2EServer } from './support/app-server.js';
import { A11yAudit, screenshot, signIn, signOut, WAIT } from './support/journey.js';

let server: E2EServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2EServer('rtl_language'), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(page: Page, path: string): Promise<void> {
  const res = await page.goto(`${server.baseUrl}${path}`, WAIT);
  expect(res?.status(), path).toBe(200);
}

const htmlLangDir = (page: Page) =>
  page.evaluate(() => [document.documentElement.lang, document.documentElement.dir].join(' '));

/** Where the header's brand and navigation sit, against the header row's content box. */
function headerLayout(page: Page) {
  return page.evaluate(() => {
    const box = (selector: string) => document.querySelector(selector)!.getBoundingClientRect();
    const row = document.querySelector('.site-header .header-row')!;
    const style = getComputedStyle(row);
    const rowBox = row.getBoundingClientRect();
    return {
      contentLeft: rowBox.left + Number.parseFloat(style.paddingLeft),
      contentRight: rowBox.right - Number.parseFloat(style.paddingRight),
      brand: box('.site-header .brand'),
      nav: box('.site-header nav'),
    };
  });
}

const direction = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => getComputedStyle(el).direction);

async function shots(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await screenshot(page, `${name}-1280`);
  await page.setViewportSize({ width: 375, height: 800 });
  await screenshot(page, `${name}-375`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('right to left', () => {
  it('an Arabic-interface learner: axe-clean, mirrored header, English post text left to right', async () => {
    const context = await browser.newContext({ locale: 'ar', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const audit = new A11yAudit('Arabic learner');
    await signIn(page, server.baseUrl, 'employee@demo.test', '/');
    expect(await htmlLangDir(page)).toBe('ar rtl');
    await audit.check(page);
    const rtl = await headerLayout(page);
    // Mirrored: the brand ends at the row's right edge and the navigation sits to its left.
    expect(Math.abs(rtl.contentRight - rtl.brand.right)).toBeLessThan(2);
    expect(rtl.nav.right).toBeLessThanOrEqual(rtl.brand.left);
    await shots(page, 'rtl-learner-my-training');

    await open(page, `/learn/${COURSE_ID}/lessons/why-this-policy`);
    expect(await htmlLangDir(page)).toBe('ar rtl');
    await audit.check(page);
    await shots(page, 'rtl-learner-lesson');

    await open(page, `/learn/${COURSE_ID}/examples/new-job-announcement`);
    await audit.check(page);
    expect(await direction(page, 'body')).toBe('rtl');
    // The post is the English course's text: isolated (dir="auto"), it runs left to right in the rtl page.
    expect(await direction(page, '.post-card .post-text')).toBe('ltr');
    await shots(page, 'rtl-learner-example-post');
    audit.assertClean();

    // The same measure on an English page puts the brand at the left: the assertion above can fail.
    const english = await browser.newContext({ locale: 'en', viewport: { width: 1280, height: 900 } });
    const enPage = await english.newPage();
    await signIn(enPage, server.baseUrl, 'manager@demo.test', '/');
    const ltr = await headerLayout(enPage);
    expect(Math.abs(ltr.brand.left - ltr.contentLeft)).toBeLessThan(2);
    expect(ltr.nav.left).toBeGreaterThanOrEqual(ltr.brand.right);
    await english.close();
    await context.close();
  });

  it("HR's preview of the partial Arabic translation: the lesson is rtl inside HR's English page", async () => {
    const context = await browser.newContext({ locale: 'en', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const audit = new A11yAudit('Arabic translation preview');
    await signIn(page, server.baseUrl, 'hr@demo.test', '/hr');
    await open(page, `/hr/courses/${COURSE_ID}/translations/ar`);
    expect(page.url()).toContain(`/hr/courses/${COURSE_ID}/translations/ar/lessons/why-this-policy`);
    expect(await htmlLangDir(page)).toBe('en ltr');
    await audit.check(page);
    expect(await page.locator('article.lesson').getAttribute('lang')).toBe('ar');
    expect(await direction(page, 'article.lesson .lesson-body')).toBe('rtl');
    expect(await direction(page, '.translation-preview-banner')).toBe('ltr');
    // Bidi: the Arabic heading starts at the article's right edge while HR's banner starts at the left.
    const edges = await page.evaluate(() => {
      const article = document.querySelector('article.lesson')!.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(document.querySelector('#lesson-title')!);
      const title = range.getBoundingClientRect();
      return {
        articleRight: article.right,
        articleLeft: article.left,
        titleRight: title.right,
        titleLeft: title.left,
      };
    });
    expect(edges.articleRight - edges.titleRight).toBeLessThan(edges.titleLeft - edges.articleLeft);
    await shots(page, 'rtl-hr-translation-preview');
    audit.assertClean();
    await context.close();
  });
});

describe('the language switcher without JavaScript', () => {
  it('switches the sign-in page to Spanish, and a signed-in choice of German is kept on the profile', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    await open(page, '/login');
    expect(await htmlLangDir(page)).toBe('en ltr');
    await page.selectOption('#language-select', 'es');
    await Promise.all([
      page.waitForURL(`${server.baseUrl}/login`, WAIT),
      page.click('form.language-switcher button'),
    ]);
    expect(await htmlLangDir(page)).toBe('es ltr');
    await expect(page.locator('h1').textContent()).resolves.toBe('Iniciar sesión');

    await signIn(page, server.baseUrl, 'ava.adams@demo.test', '/');
    await page.selectOption('#language-select', 'de');
    await Promise.all([
      page.waitForURL(`${server.baseUrl}/`, WAIT),
      page.click('form.language-switcher button'),
    ]);
    expect(await htmlLangDir(page)).toBe('de ltr');
    await signOut(page, server.baseUrl);
    // Without the switcher's cookie only the profile can remember the choice.
    await context.clearCookies();
    await open(page, '/login');
    expect(await htmlLangDir(page)).toBe('en ltr');
    await signIn(page, server.baseUrl, 'ava.adams@demo.test', '/');
    expect(await htmlLangDir(page)).toBe('de ltr');
    await expect(page.locator('.site-header nav').textContent()).resolves.toContain('Meine Schulungen');
    const ava = await server.app.db.models.User.findOne({ email: 'ava.adams@demo.test' }).lean();
    expect(ava?.locale).toBe('de');
    await context.close();
  });
});
