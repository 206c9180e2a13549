/**
 * Issue #28 "a report an auditor can take away" in Chromium, with the interactions counted
 * (support/interactions.ts): HR downloads the compliance report for last quarter in at most 3
 * interactions (the form opens on last quarter and every department, so it takes one). The same
 * download works with JavaScript off, and the dashboard's weekly trend chart passes axe.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trendSettled } from '../../../src/services/reporting/trend.js';
import { buildAssignment, buildCycle, buildPerson } from '../../factories.js';
import { launchChromium } from '../../helpers/browser.js';
import { pdfFlowedText } from '../../helpers/pdf-text.js';
import { type E2EServer, startE2EServer } from '../support/app-server.js';
import { Interactions } from '../support/interactions.js';
import { A11yAudit, screenshot, signIn, WAIT } from '../support/journey.js';

// The clock stands on 2 March 2026: last quarter is October to December 2025.
let server: E2EServer;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2EServer('hr_report'), launchChromium()]);
  base = server.baseUrl;
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.close();
});

async function hrPage(opts: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    javaScriptEnabled: opts.javaScriptEnabled ?? true,
    acceptDownloads: true,
  });
  contexts.push(context);
  const page = await context.newPage();
  await signIn(page, base, 'hr@demo.test', '/hr');
  return page;
}

async function downloadedText(download: import('playwright-core').Download): Promise<string> {
  const file = await download.path();
  return pdfFlowedText(await readFile(file));
}

describe('HR takes the compliance report away', () => {
  it('downloads the compliance report for last quarter in at most 3 interactions', async () => {
    const audit = new A11yAudit('hr-report');
    const page = await hrPage();
    const task = new Interactions(page, 'download the compliance report for last quarter');
    await task.start(`${base}/hr/reports`);
    await audit.check(page);
    await screenshot(page, 'desktop-hr-reports');
    expect(await page.inputValue('#from')).toBe('2025-10-01');
    expect(await page.inputValue('#to')).toBe('2025-12-31');
    const download = await task.download('#download-compliance');
    task.done(3);

    expect(download.suggestedFilename()).toBe(
      'compliance-report-2025-10-01-to-2025-12-31-all-departments.pdf',
    );
    const text = await downloadedText(download);
    expect(text).toContain('Compliance report');
    expect(text).toContain('Period: 1 October 2025 to 31 December 2025');
    expect(text).toContain('Department: all departments');
    expect(text).toMatch(/Audit log (verified: intact|verification FAILED)/);
    expect(text).toMatch(/Fingerprint: \d+:[0-9a-f]{32}/);
    audit.assertClean();
  });

  it('downloads it with JavaScript off too, and shows wrong dates beside their fields', async () => {
    const page = await hrPage({ javaScriptEnabled: false });
    await page.goto(`${base}/hr/reports`);
    const [download] = await Promise.all([
      page.waitForEvent('download', WAIT),
      page.click('#download-compliance'),
    ]);
    expect(download.suggestedFilename()).toContain('compliance-report-2025-10-01-to-2025-12-31');
    await page.fill('#to', '2025-09-01');
    await Promise.all([page.waitForNavigation(WAIT), page.click('#download-compliance')]);
    expect(await page.textContent('.error-summary a[href="#to"]')).toBe(
      'The end date must be on or after the start date',
    );
    expect(await page.getAttribute('#to', 'aria-invalid')).toBe('true');
  });

  it('draws the weekly completion trend on the dashboard as an accessible chart', async () => {
    const audit = new A11yAudit('hr-trend');
    // Two people assigned on 5 January, one of whom completed on 10 February.
    const { User, Assignment, Cycle } = server.app.db.models;
    const done = buildPerson({ email: 'done@trend.test', department: 'Trend' });
    const notYet = buildPerson({ email: 'not-yet@trend.test', department: 'Trend' });
    const completion = { completedAt: new Date('2026-02-10T12:00:00Z'), expiresAt: null };
    await User.insertMany([done, notYet]);
    await Assignment.insertMany([
      buildAssignment(done, { state: 'completed', ...completion }),
      buildAssignment(notYet),
    ]);
    await Cycle.insertMany([buildCycle(done, 1, completion), buildCycle(notYet, 1)]);
    const page = await hrPage();
    await page.goto(`${base}/hr/dashboard`);
    // The first visits start the counts in the background; the page says so, then shows them.
    for (
      let i = 0;
      i < 3 && !(await page.locator('svg[aria-labelledby="trend-title trend-desc"]').count());
      i += 1
    ) {
      await server.app.services.reporting.recomputeSummaries({ now: server.clock.now() });
      await trendSettled(server.app.db.models);
      await page.reload();
    }
    const chart = page.locator('svg[aria-labelledby="trend-title trend-desc"]');
    expect(await chart.getAttribute('role')).toBe('img');
    expect(await page.textContent('#trend-desc')).toMatch(
      /^Share of assigned people.* to 50% in the week of 2 March 2026/,
    );
    await page.click('.trend-table summary');
    expect(await page.locator('.trend-table tbody tr').count()).toBe(52);
    await audit.check(page, 'trend shown');
    await screenshot(page, 'desktop-hr-dashboard-trend');
    audit.assertClean();
  });
});
