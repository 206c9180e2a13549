/**
 * HR's policy version pages in Chromium: reached from the HR home; the policy page, a clause's edit
 * form (and its errors), the draft's preview, the admin's approve form and the published version's
 * diff have no axe violations; the diff marks what went and what came.
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
  [server, browser] = await Promise.all([startE2EServer('policy_pages'), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signedIn(email: string, landing: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, server.baseUrl, email, landing);
  return page;
}

const POLICY = `/hr/courses/${COURSE_ID}/policy`;

describe('policy version pages', () => {
  it('HR drafts, previews and submits; the admin approves; the diff shows the change; axe finds nothing', async () => {
    const audit = new A11yAudit('policy pages');
    const base = server.baseUrl;
    const hr = await signedIn('hr@demo.test', '/hr');
    await follow(hr, `a[href="${POLICY}"]`, `${base}${POLICY}`);
    await audit.check(hr, 'no draft');

    await follow(hr, `a[href="${POLICY}/edit?clauseId=SMP-06"]`, /\/edit\?clauseId=SMP-06$/);
    await audit.check(hr, 'form');
    await hr.fill('#text', 'Ask {{org.boss}} first.');
    await follow(hr, `form[action="${POLICY}/edit"] button[type="submit"]`);
    expect(await hr.textContent('#text-error')).toContain('{{org.boss}}');
    await audit.check(hr, 'errors');
    await hr.fill('#text', 'Before you speak for {{org.name}} in public, ask {{contact.comms}} first.');
    await hr.check('#kind-re-attest');
    await follow(hr, `form[action="${POLICY}/edit"] button[type="submit"]`, `${base}${POLICY}?done=edited`);
    await audit.check(hr, 'draft');

    await follow(hr, `a[href="${POLICY}/preview"]`, `${base}${POLICY}/preview`);
    expect(await hr.textContent('main')).toContain('Preview — not published');
    expect(await hr.locator('main form').count()).toBe(0);
    await audit.check(hr, 'preview');
    await hr.goto(`${base}${POLICY}`);
    await hr.fill('#note', 'Clause 6 names who to ask.');
    await follow(
      hr,
      `form[action="${POLICY}/submit"] button[type="submit"]`,
      `${base}${POLICY}?done=submitted`,
    );

    const admin = await signedIn('admin@demo.test', '/admin');
    await admin.goto(`${base}${POLICY}`);
    await audit.check(admin, 'approve form');
    await follow(
      admin,
      `form[action="${POLICY}/approve"] button[type="submit"]`,
      `${base}${POLICY}?done=published`,
    );
    await follow(admin, `a[href="${POLICY}/versions/2"]`, `${base}${POLICY}/versions/2`);
    expect(await admin.locator('table.policy-diff ins').count()).toBeGreaterThan(0);
    expect(await admin.locator('table.policy-diff del').count()).toBeGreaterThan(0);
    await audit.check(admin, 'diff');
    await screenshot(admin, 'desktop-hr-policy-version-diff');
    audit.assertClean();
  }, 180_000);
});
