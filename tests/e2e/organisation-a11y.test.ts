/**
 * The admin's organisation profile in Chromium: form, form with errors, preview and the saved
 * result have no axe violations, and the header then shows the new name and the uploaded logo
 * (the image loads under the app's CSP).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { type E2EServer, startE2EServer } from './support/app-server.js';
import { A11yAudit, follow, screenshot, signIn, WAIT } from './support/journey.js';

let server: E2EServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2EServer('org_profile'), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const LOGO = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 20"><circle cx="10" cy="10" r="9" fill="#f4a259"/></svg>',
);

async function adminPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, server.baseUrl, 'admin@demo.test', '/admin');
  return page;
}

describe('organisation profile page', () => {
  it('edits, previews and saves with no axe violations; the header shows the new brand', async () => {
    const audit = new A11yAudit('organisation profile');
    const base = server.baseUrl;
    const page = await adminPage();
    await follow(page, 'a[href="/admin/organisation"]', `${base}/admin/organisation`);
    expect(await page.inputValue('#name')).toBe('Kestrel Works');
    await audit.check(page, 'form');

    await page.fill('#name', 'Harrier Logistics');
    await page.fill('#brandColour', '#ffcc00');
    await page.setInputFiles('#logo', { name: 'logo.svg', mimeType: 'image/svg+xml', buffer: LOGO });
    await follow(page, 'form[action="/admin/organisation"] button[type="submit"]');
    expect(await page.textContent('#brandColour-error')).toContain('4.5:1');
    await audit.check(page, 'errors');

    await page.fill('#brandColour', '#14532d');
    await page.setInputFiles('#logo', { name: 'logo.svg', mimeType: 'image/svg+xml', buffer: LOGO });
    await follow(
      page,
      'form[action="/admin/organisation"] button[type="submit"]',
      /\/admin\/organisation\/preview\//,
    );
    expect(await page.textContent('h1')).toContain('Preview');
    await audit.check(page, 'preview');
    await screenshot(page, 'desktop-admin-organisation-preview');

    await follow(page, 'button:has-text("Save")', `${base}/admin/organisation?saved=1`);
    expect(await page.textContent('.site-header .brand-name')).toBe('Harrier Logistics');
    const logo = page.locator('.site-header img.brand-logo');
    await logo.waitFor(WAIT);
    expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await audit.check(page, 'saved');
    audit.assertClean();
  }, 180_000);
});
