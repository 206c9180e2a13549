/**
 * Issue #28 "the people list as a working view" in Chromium, with the interactions counted
 * (support/interactions.ts): HR finds everyone overdue in Sales and reminds them in at most 4
 * interactions (two filters, which apply on change with JavaScript on; the bulk button; Confirm).
 * Without JavaScript the same task works with the Apply button. Both ways pass axe.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserDoc } from '../../../src/db/models/user.js';
import { buildAssignment, buildCycle, buildPerson } from '../../factories.js';
import { launchChromium } from '../../helpers/browser.js';
import { type E2EServer, startE2EServer } from '../support/app-server.js';
import { Interactions } from '../support/interactions.js';
import { A11yAudit, screenshot, signIn, WAIT } from '../support/journey.js';

let server: E2EServer;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];
/** Overdue people in Sales (on top of whatever the demo organisation has). */
let late: UserDoc[];

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2EServer('hr_bulk'), launchChromium()]);
  base = server.baseUrl;
  const models = server.app.db.models;
  late = [1, 2, 3].map((i) => buildPerson({ name: `Late Seller ${i}`, department: 'Sales' }));
  const onTime = buildPerson({ name: 'Punctual Seller', department: 'Sales' });
  await models.User.insertMany([...late, onTime]);
  await models.Assignment.insertMany([
    ...late.map((p) => buildAssignment(p, { state: 'overdue' })),
    buildAssignment(onTime, { state: 'in-progress', dueAt: new Date('2026-04-01T00:00:00Z') }),
  ]);
  await models.Cycle.insertMany([...late, onTime].map((p) => buildCycle(p, 1)));
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.close();
});

async function hrPage(javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled });
  contexts.push(context);
  const page = await context.newPage();
  await signIn(page, base, 'hr@demo.test', '/hr');
  return page;
}

const outboxFor = (email: string) => server.app.db.models.Outbox.countDocuments({ to: email });

describe('HR reminds everyone overdue in Sales', () => {
  it('finds them and reminds them in at most 4 interactions', async () => {
    const audit = new A11yAudit('hr-bulk');
    const page = await hrPage();
    const task = new Interactions(page, 'find everyone overdue in Sales and remind them');
    await task.start(`${base}/hr/people`);
    await audit.check(page);
    // With JavaScript on, a filter applies as soon as it changes (the page says so above the filters).
    await Promise.all([page.waitForURL(/department=Sales/, WAIT), task.selectOption('#department', 'Sales')]);
    await Promise.all([page.waitForURL(/state=overdue/, WAIT), task.selectOption('#state', 'overdue')]);
    await audit.check(page, 'filtered');
    const matching = Number(
      (await page.textContent('#people-count'))?.match(/[\d,]+/)?.[0]?.replace(',', ''),
    );
    expect(matching).toBeGreaterThanOrEqual(late.length);
    for (const p of late) await expect(page.locator(`td > a:text-is("${p.name}")`).count()).resolves.toBe(1);
    await expect(page.locator('td > a:text-is("Punctual Seller")').count()).resolves.toBe(0);
    await screenshot(page, 'hr-people-filtered-1280');

    await task.follow('button[name="action"][value="remind"]', /\/hr\/people\/bulk\/[a-f0-9]{24}$/);
    expect(await page.textContent('#bulk-preview')).toContain(
      `This will send a reminder now for ${matching} people`,
    );
    await audit.check(page, 'preview');
    for (const p of late) expect(await outboxFor(p.email)).toBe(0);
    await task.follow('form[action^="/hr/people/bulk/"] button[type="submit"]');
    await expect(page.locator('h1').textContent()).resolves.toBe('Done');
    await audit.check(page, 'done');
    task.done(4);

    for (const p of late) expect(await outboxFor(p.email)).toBe(1);
    audit.assertClean();
  });

  it('works without JavaScript: the Apply button applies the filters', async () => {
    const page = await hrPage(false);
    const twin = await browser.newContext();
    contexts.push(twin);
    const audit = new A11yAudit('hr-bulk-nojs', { twinContext: twin });
    const task = new Interactions(page, 'find everyone overdue in Sales and remind them (no JavaScript)');
    await task.start(`${base}/hr/people`);
    await task.selectOption('#department', 'Sales');
    await task.selectOption('#state', 'overdue');
    await task.follow('form.people-filters button[type="submit"]', /state=overdue/);
    await audit.check(page, 'filtered');
    await task.follow('button[name="action"][value="remind"]', /\/hr\/people\/bulk\/[a-f0-9]{24}$/);
    await audit.check(page, 'preview');
    await task.follow('form[action^="/hr/people/bulk/"] button[type="submit"]');
    // Already reminded today by the first test: nobody gets a second message.
    await expect(page.locator('[role="status"]').first().textContent()).resolves.toContain(
      'already reminded today',
    );
    task.done(5);
    for (const p of late) expect(await outboxFor(p.email)).toBe(1);
    audit.assertClean();
  });
});
