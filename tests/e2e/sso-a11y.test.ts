/**
 * Single sign-on pages in Chromium with axe: the admin's /admin/sso page (nothing set up, with
 * errors, saved), the sign-in page with its "Sign in with …" button, and the signed-out page
 * with the provider's sign-out link after an SSO sign-in.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcProvider, type TestProvider } from '../helpers/oidc-provider.js';
import { A11yAudit, follow, signIn, WAIT } from './support/journey.js';
import { localhostBase, type SsoBrowserApp, startSsoBrowserApp } from './support/sso-app.js';

let browser: Browser;
let op: TestProvider;
let env: SsoBrowserApp;
let app: SsoBrowserApp['app'];
let base: string;

beforeAll(async () => {
  const at = await localhostBase();
  base = at.base;
  op = await startOidcProvider({
    redirectUri: `${base}/auth/oidc/callback`,
    postLogoutRedirectUri: `${base}/login`,
    accounts: [{ sub: 'a11y-person', email: 'a11y.person@demo.test', name: 'Ada Eleven' }],
  });
  env = await startSsoBrowserApp({ ...at, dbLabel: 'e2e_sso_a11y', encryptionKey: 'c'.repeat(64) });
  ({ app, browser } = env);
}, 60_000);
afterAll(async () => {
  await env?.close();
  await op?.close();
});

describe('single sign-on pages', () => {
  it('have no axe violations: admin page empty, with errors, saved; sign-in button; signed out', async () => {
    const audit = new A11yAudit('single sign-on');
    const admin = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(admin, base, 'admin@demo.test', '/admin');
    await admin.goto(`${base}/admin/sso`);
    expect(await admin.textContent('h1')).toContain('Single sign-on');
    await audit.check(admin, 'admin empty');

    await admin.fill('#issuer', 'not a url');
    await follow(admin, 'form[action="/admin/sso"] button[type="submit"]');
    // A first save with fields left empty: the form again with what to enter, not a bare 400 page.
    expect(await admin.textContent('.error-summary')).toContain('Enter the issuer URL');
    expect(await admin.textContent('.error-summary')).toContain('Enter the client ID');
    await audit.check(admin, 'admin errors');

    await admin.fill('#providerName', 'Test IdP');
    await admin.fill('#issuer', op.issuer);
    await admin.fill('#clientId', op.clientId);
    await admin.fill('#clientSecret', op.clientSecret);
    await admin.fill('#scopes', 'openid email profile');
    await admin.check('#enabled');
    await admin.check('#jitCreate');
    await follow(admin, 'form[action="/admin/sso"] button[type="submit"]');
    expect(await app.db.models.SsoConfig.countDocuments()).toBe(1);
    await audit.check(admin, 'admin saved');

    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/login`);
    expect(await page.locator('text=Sign in with Test IdP').count()).toBe(1);
    await audit.check(page, 'sign-in with SSO button');
    await Promise.all([page.waitForURL(`${op.issuer}/**`, WAIT), page.click('text=Sign in with Test IdP')]);
    await page.fill('input[name="login"]', 'a11y-person');
    await page.fill('input[name="password"]', 'any password');
    await Promise.all([page.waitForURL(`${base}/`, WAIT), page.click('button[type="submit"]')]);
    await Promise.all([page.waitForURL(`${base}/logout`, WAIT), page.click('.logout-form button')]);
    expect(await page.locator('#provider-logout').count()).toBe(1);
    await audit.check(page, 'signed out with provider link');
    audit.assertClean();
  }, 180_000);
});
