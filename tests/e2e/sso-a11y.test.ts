/**
 * Single sign-on pages in Chromium with axe: the admin's /admin/sso page (nothing set up, with
 * errors, saved), the sign-in page with its "Sign in with …" button, and the signed-out page
 * with the provider's sign-out link after an SSO sign-in.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { freePort } from '../../src/db/ferretdb/launcher.js';
import { testConfig, uniqueDbName } from '../helpers/app.js';
import { launchChromium } from '../helpers/browser.js';
import { TestClock } from '../helpers/clock.js';
import { startOidcProvider, type TestProvider } from '../helpers/oidc-provider.js';
import { A11yAudit, follow, signIn, WAIT } from './support/journey.js';

let browser: Browser;
let op: TestProvider;
let app: Awaited<ReturnType<typeof buildApp>>;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  base = `http://localhost:${port}`;
  op = await startOidcProvider({
    redirectUri: `${base}/auth/oidc/callback`,
    postLogoutRedirectUri: `${base}/login`,
    accounts: [{ sub: 'a11y-person', email: 'a11y.person@demo.test', name: 'Ada Eleven' }],
  });
  // The provider stamps tokens with the real time: the app's clock starts there.
  const clock = new TestClock(new Date());
  app = await buildApp({
    config: testConfig({
      DB_NAME: uniqueDbName('e2e_sso_a11y'),
      BASE_URL: base,
      SSO_ENCRYPTION_KEY: 'c'.repeat(64),
    }),
    mongoUri: inject('mongoUri'),
    clock,
    logger: false,
  });
  await app.services.demo.seedDemo({ now: clock.now() });
  await app.listen({ port, host: '127.0.0.1' });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.db.conn.dropDatabase().catch(() => {});
  await app?.close();
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
