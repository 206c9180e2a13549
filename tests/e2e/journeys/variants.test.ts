/**
 * The employee journey again, in the conditions the issue names: with JavaScript switched off
 * (journey 5: everything up to the certificate works as plain links and form posts) and on a
 * 375 × 667 touch phone (journey 6: it works, and no page scrolls sideways). axe runs on every page.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../helpers/app.js';
import { launchChromium } from '../../helpers/browser.js';
import { type E2EServer, startE2EServer } from '../support/app-server.js';
import { runEmployeeJourney } from '../support/employee-journey.js';
import { A11yAudit } from '../support/journey.js';

let server: E2EServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2EServer('variants'), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('employee journey variants', () => {
  it('5. works without JavaScript, up to the certificate download', async () => {
    const twinContext = await browser.newContext();
    const audit = new A11yAudit('journey 5 (no JS)', { twinContext });
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    await runEmployeeJourney({
      server,
      browser,
      page,
      audit,
      email: 'employee@demo.test',
      name: 'Erin Example',
      js: false,
      shots: null,
      mobile: false,
      examples: 2,
    });
    await Promise.all([context.close(), twinContext.close()]);
    audit.assertClean();
  });

  it('6. works on a 375 × 667 phone, and no page scrolls horizontally', async () => {
    const audit = new A11yAudit('journey 6 (mobile)');
    await createUser(server.app, { email: 'max.mobile@demo.test', name: 'Max Mobile' });
    const context = await browser.newContext({
      viewport: { width: 375, height: 667 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    const { pagesWithoutSideScroll } = await runEmployeeJourney({
      server,
      browser,
      page,
      audit,
      email: 'max.mobile@demo.test',
      name: 'Max Mobile',
      js: true,
      shots: 'mobile',
      mobile: true,
      examples: 2,
    });
    expect(pagesWithoutSideScroll.length).toBeGreaterThan(20);
    await context.close();
    audit.assertClean();
  });
});
