/**
 * Issue #28 "pick, don't type" in Chromium, with the interactions counted (support/interactions.ts):
 * HR assigns the course to two departments with a due date (at most 6 interactions) and extends one
 * person's due date, found with the person picker (at most 5). The same page works with JavaScript
 * off (the picker's Search button reloads the page as filled), passes axe both ways, and the rules
 * table keeps "Everyone" on one line on a phone.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentKey } from '../../../src/db/keys.js';
import type { AssignmentRuleDoc } from '../../../src/db/models/hr.js';
import type { AssignmentDoc } from '../../../src/db/models/training.js';
import { usersRepository } from '../../../src/db/repositories/users.js';
import { COURSE_ID } from '../../factories.js';
import { launchChromium } from '../../helpers/browser.js';
import { type E2EServer, startE2EServer } from '../support/app-server.js';
import { Interactions } from '../support/interactions.js';
import { A11yAudit, assertNoHorizontalScroll, screenshot, signIn, WAIT } from '../support/journey.js';

let server: E2EServer;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2EServer('hr_assign'), launchChromium()]);
  base = server.baseUrl;
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.close();
});

async function hrPage(opts: { javaScriptEnabled?: boolean; width?: number } = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: 900 },
    javaScriptEnabled: opts.javaScriptEnabled ?? true,
  });
  contexts.push(context);
  const page = await context.newPage();
  await signIn(page, base, 'hr@demo.test', '/hr');
  return page;
}

const models = () => server.app.db.models;
async function assignmentOf(email: string) {
  const person = await usersRepository(models()).findByEmail(email);
  return models().Assignment.findById(assignmentKey(person!._id, COURSE_ID)).lean<AssignmentDoc>();
}

describe('HR assigns by picking', () => {
  it('assigns the course to two departments with a due date in at most 6 interactions', async () => {
    const audit = new A11yAudit('hr-assign');
    const page = await hrPage();
    const task = new Interactions(page, 'assign the course to two departments with a due date');
    await task.start(`${base}/hr/assignments`);
    await audit.check(page);
    await task.check('#target-departments');
    await task.check('input[name="department"][value="Engineering"]');
    await task.check('input[name="department"][value="Operations"]');
    await task.check('#due-fixed');
    await task.fill('#dueDate', '2026-04-30');
    await audit.check(page, 'departments and a fixed date chosen');
    await screenshot(page, 'desktop-hr-assignments-filled');
    await task.follow('form[action="/hr/assignments"] > button[type="submit"]', /done=created/);
    task.done(6);

    const rule = await models()
      .AssignmentRule.findOne({ 'target.kind': 'departments', 'due.kind': 'fixed' })
      .lean<AssignmentRuleDoc>();
    expect(rule?.target).toEqual({ kind: 'departments', departments: ['Engineering', 'Operations'] });
    expect((await assignmentOf('ben.bauer@demo.test'))?.dueAt?.toISOString()).toBe(
      '2026-04-30T00:00:00.000Z',
    );
    expect(await page.textContent('.notice-ok')).toContain('people assigned now');
    await audit.check(page, 'created');
    audit.assertClean();
  });

  it("extends one person's due date, found with the picker, in at most 5 interactions", async () => {
    const audit = new A11yAudit('hr-extend');
    const page = await hrPage();
    const before = await assignmentOf('ben.bauer@demo.test');
    expect(before?.dueAt).toBeTruthy();
    const task = new Interactions(page, "extend one person's due date");
    await task.start(`${base}/hr/assignments#extend`);
    await task.fill('#extend-email', 'ben b');
    const match = 'input[name="email"][value="ben.bauer@demo.test"]';
    await page.locator(match).waitFor(WAIT);
    expect(await page.textContent('#extend-email-picker [role="status"]')).toBe('1 person matches.');
    await audit.check(page, 'person found');
    await task.check(match);
    await task.fill('#extend-dueDate', '2026-06-30');
    await task.fill('#extend-reason', 'Parental leave');
    await task.follow('form[action="/hr/assignments/extend"] > button[type="submit"]', /done=extended/);
    task.done(5);

    expect((await assignmentOf('ben.bauer@demo.test'))?.dueAt?.toISOString()).toBe(
      '2026-06-30T00:00:00.000Z',
    );
    const ben = await usersRepository(models()).findByEmail('ben.bauer@demo.test');
    const event = await models()
      .AuditEvent.findOne({ action: 'assignment.extended', subjectId: ben!._id })
      .lean();
    expect(event).not.toBeNull();
    audit.assertClean();
  });

  it('with JavaScript, people ticked in one search stay ticked through the next', async () => {
    const page = await hrPage();
    await page.goto(`${base}/hr/assignments`);
    await page.check('#target-individuals');
    await page.fill('#emails', 'ava a');
    const ava = 'input[name="emails"][value="ava.adams@demo.test"]';
    await page.locator(ava).waitFor(WAIT);
    await page.check(ava);
    await page.fill('#emails', 'E0100');
    const erin = 'input[name="emails"][value="employee@demo.test"]';
    await page.locator(erin).waitFor(WAIT);
    // Ava moved to the picked list when the new matches came; she is still ticked.
    expect(await page.isChecked(`#emails-picker [data-picker-picked] ${ava}`)).toBe(true);
    expect(await page.locator(`#emails-picker [data-picker-found] ${ava}`).count()).toBe(0);
    await page.check(erin);
    // Enter in the search box searches; it does not submit the form.
    await page.fill('#emails', 'nobody-at-all');
    await page.press('#emails', 'Enter');
    await expect
      .poll(() => page.textContent('#emails-picker [role="status"]'), WAIT)
      .toBe('Nobody matches “nobody-at-all”.');
    expect(new URL(page.url()).pathname).toBe('/hr/assignments');
    // Enter in another field submits the form (Assign), not the picker's Search button.
    await Promise.all([page.waitForURL(/done=created/, WAIT), page.press('#dueDays', 'Enter')]);
    const rules = await models()
      .AssignmentRule.find({ 'target.kind': 'individuals' })
      .lean<AssignmentRuleDoc[]>();
    const ids = await Promise.all(
      ['ava.adams@demo.test', 'employee@demo.test'].map(
        async (e) => (await usersRepository(models()).findByEmail(e))!._id,
      ),
    );
    expect(
      rules.some(
        (r) =>
          r.target.kind === 'individuals' && [...r.target.userIds].sort().join() === [...ids].sort().join(),
      ),
    ).toBe(true);
  });

  it('works without JavaScript: the Search button lists matches to tick, the form keeps what was filled', async () => {
    const page = await hrPage({ javaScriptEnabled: false });
    const audit = new A11yAudit('hr-assign no-js', { twinContext: contexts[0]! });
    await page.goto(`${base}/hr/assignments`);
    await audit.check(page);
    await page.check('#target-individuals');
    // The picker shows (CSS reveal) only now that "Individual people" is chosen.
    await page.locator('#emails').waitFor({ state: 'visible', ...WAIT });
    await page.fill('#dueDays', '21');
    await page.fill('#emails', 'adams');
    await Promise.all([page.waitForNavigation(WAIT), page.click('#emails-picker [data-picker-search]')]);
    expect(await page.inputValue('#dueDays')).toBe('21');
    expect(await page.isChecked('#target-individuals')).toBe(true);
    await audit.check(page, 'people found');
    await screenshot(page, 'desktop-hr-assignments-nojs-search');
    await page.check('input[name="emails"][value="ava.adams@demo.test"]');
    await page.fill('#emails', 'erin ex');
    await Promise.all([page.waitForNavigation(WAIT), page.click('#emails-picker [data-picker-search]')]);
    // Ava stays picked; Erin is offered.
    expect(await page.isChecked('input[name="emails"][value="ava.adams@demo.test"]')).toBe(true);
    await page.check('input[name="emails"][value="employee@demo.test"]');
    await Promise.all([
      page.waitForURL(/done=created/, WAIT),
      page.click('form[action="/hr/assignments"] > button[type="submit"]'),
    ]);
    const rule = await models()
      .AssignmentRule.findOne({ 'target.kind': 'individuals', 'due.days': 21 })
      .lean<AssignmentRuleDoc>();
    expect(rule?.target.kind === 'individuals' && rule.target.userIds.length).toBe(2);
    expect(rule?.due).toEqual({ kind: 'after-assignment', days: 21 });
    audit.assertClean();
  });

  it('keeps "Everyone" on one line in the rules table on a phone', async () => {
    await server.app.services.assignments.createRule({
      courseId: COURSE_ID,
      target: { kind: 'everyone' },
      due: { kind: 'after-assignment', days: 60 },
      newHireWithinDays: null,
      actorId: (await usersRepository(models()).findByEmail('hr@demo.test'))!._id,
      now: server.clock.now(),
    });
    const page = await hrPage({ width: 375 });
    await page.goto(`${base}/hr/assignments`);
    const lines = await page.$$eval('.rules-table td', (cells) =>
      cells
        .filter((td) => td.textContent?.trim() === 'Everyone')
        .map((td) => {
          const range = document.createRange();
          range.selectNodeContents(td);
          // One rectangle per line box the text occupies.
          return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        }),
    );
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((n) => n === 1)).toBe(true);
    // The table scrolls inside its .table-wrap; the page itself never scrolls sideways.
    await assertNoHorizontalScroll(page, []);
    await page.check('#target-individuals');
    await page.fill('#emails', 'ava');
    await page.locator('#emails-picker input[name="emails"]').first().waitFor(WAIT);
    await assertNoHorizontalScroll(page, []);
    await screenshot(page, 'mobile-hr-assignments');
  });
});
