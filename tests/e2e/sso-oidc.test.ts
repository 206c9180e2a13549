/**
 * Single sign-on in Chromium: the sign-in page's "Sign in with …" button, the real provider's own
 * login page (oidc-provider's devInteractions), and back to My training as a person created just in
 * time; signing out also ends the provider's session (RP-initiated logout) and returns to /login.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oidcConnectionForm, startOidcProvider, type TestProvider } from '../helpers/oidc-provider.js';
import { WAIT } from './support/journey.js';
import { localhostBase, type SsoBrowserApp, startSsoBrowserApp } from './support/sso-app.js';

let browser: Browser;
let op: TestProvider;
let env: SsoBrowserApp;
let app: SsoBrowserApp['app'];
let base: string;

beforeAll(async () => {
  // The app answers on "localhost", the provider on 127.0.0.1: two hosts, so their cookies never mix.
  const at = await localhostBase();
  base = at.base;
  op = await startOidcProvider({
    redirectUri: `${base}/auth/oidc/callback`,
    postLogoutRedirectUri: `${base}/login`,
    accounts: [{ sub: 'e2e-person', email: 'sso.person@demo.test', name: 'Sam Single-Sign-On' }],
  });
  env = await startSsoBrowserApp({
    ...at,
    dbLabel: 'e2e_sso',
    encryptionKey: 'b'.repeat(64),
    connect: (a, actorId, now) =>
      a.services.identity.saveSsoConnection({
        actorId,
        form: oidcConnectionForm(op),
        now,
      }),
  });
  ({ app, browser } = env);
}, 60_000);
afterAll(async () => {
  await env?.close();
  await op?.close();
});

describe('single sign-on in the browser', () => {
  it("signs in on the provider's own login page and lands on My training", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/login`);
    await Promise.all([page.waitForURL(`${op.issuer}/**`, WAIT), page.click('text=Sign in with Test IdP')]);
    await page.fill('input[name="login"]', 'e2e-person');
    await page.fill('input[name="password"]', 'any password');
    await Promise.all([page.waitForURL(`${base}/`, WAIT), page.click('button[type="submit"]')]);
    expect(await page.textContent('h1')).toContain('My training');
    expect(await app.db.models.User.countDocuments({ email: 'sso.person@demo.test' })).toBe(1);

    // Sign-out ends the app's session, then offers the provider's (RP-initiated logout), whose
    // confirmation page leads back to the sign-in page.
    await Promise.all([page.waitForURL(`${base}/logout`, WAIT), page.click('.logout-form button')]);
    expect(await page.textContent('h1')).toContain('You are signed out');
    await Promise.all([page.waitForURL(`${op.issuer}/**`, WAIT), page.click('#provider-logout')]);
    await Promise.all([page.waitForURL(`${base}/login`, WAIT), page.click('button[type="submit"]')]);
    expect(await page.textContent('h1')).toContain('Sign in');
  });
});
