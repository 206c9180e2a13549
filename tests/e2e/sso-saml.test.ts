/**
 * SAML single sign-on in Chromium: the sign-in page's button sends an AuthnRequest (HTTP-Redirect)
 * to a loopback test IdP on another site, which auto-posts a signed Response to the ACS — a
 * cross-site POST that carries no SameSite=Lax session cookie. The app's same-site re-post brings
 * the cookie, the InResponseTo check passes against the session's pending request, and the person
 * lands signed in on My training.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idpMetadataXml, samlConnectionForm, startTestIdp, type TestIdp } from '../helpers/saml-idp.js';
import { WAIT } from './support/journey.js';
import { localhostBase, type SsoBrowserApp, startSsoBrowserApp } from './support/sso-app.js';

let browser: Browser;
let idp: TestIdp;
let env: SsoBrowserApp;
let app: SsoBrowserApp['app'];
let base: string;

beforeAll(async () => {
  // The app answers on "localhost", the IdP on 127.0.0.1: two sites, so the IdP's POST is cross-site.
  const at = await localhostBase();
  base = at.base;
  idp = await startTestIdp({
    audience: `${base}/auth/saml/metadata`,
    person: {
      nameId: 'e2e-saml-person',
      attributes: { email: 'saml.person@demo.test', displayName: 'Sam Assertion' },
    },
  });
  env = await startSsoBrowserApp({
    ...at,
    dbLabel: 'e2e_saml',
    encryptionKey: 'd'.repeat(64),
    connect: (a, actorId, now) =>
      a.services.identity.saveSamlConnection({
        actorId,
        form: samlConnectionForm({ metadataXml: idpMetadataXml({ ssoUrl: idp.ssoUrl }) }),
        now,
      }),
  });
  ({ app, browser } = env);
}, 60_000);
afterAll(async () => {
  await env?.close();
  await idp?.close();
});

describe('SAML single sign-on in the browser', () => {
  it('signs in through the IdP’s cross-site POST and lands on My training', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Whether each POST to the ACS carried the session cookie (as Chromium sent it).
    const acsPosts: Array<Promise<boolean>> = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url() === `${base}/auth/saml/acs`)
        acsPosts.push(r.allHeaders().then((h) => /(^|;\s*)sid=/.test(h.cookie ?? '')));
    });
    await page.goto(`${base}/login`);
    await Promise.all([page.waitForURL(`${base}/`, WAIT), page.click('text=Sign in with Test SAML IdP')]);
    expect(await page.textContent('h1')).toContain('My training');
    expect(idp.requests).toHaveLength(1);
    expect(await app.db.models.User.countDocuments({ email: 'saml.person@demo.test' })).toBe(1);
    // The IdP's post came without the Lax session cookie; the app's same-site re-post had it.
    expect(await Promise.all(acsPosts)).toEqual([false, true]);
    await context.close();
  });

  it('works without JavaScript: the re-post page has its own Continue button', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    // The test IdP's page, then the app's same-site re-post page, each with a Continue button.
    await Promise.all([
      page.waitForURL(`${idp.url}/**`, WAIT),
      page.click('text=Sign in with Test SAML IdP'),
    ]);
    await Promise.all([page.waitForURL(`${base}/auth/saml/acs`, WAIT), page.click('button[type="submit"]')]);
    expect(await page.textContent('h1')).toContain('Signing you in');
    await Promise.all([page.waitForURL(`${base}/`, WAIT), page.click('button[type="submit"]')]);
    expect(await page.textContent('h1')).toContain('My training');
    await context.close();
  });
});
