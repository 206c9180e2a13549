/**
 * HR's knowledge page (issue #23) in Chromium: reached from the HR home, axe finds no violations
 * with no figures yet and with figures (clause memories written for demo people, refresher cycles,
 * the nightly job), the heatmap is one image named by its title and description, and on a phone
 * the page does not scroll sideways (the heatmap scales, the table scrolls in its own region).
 */

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clauseMemoryKey } from '../../src/db/keys.js';
import { type ClauseReview, memoryFrom } from '../../src/domain/mastery/memory.js';
import { buildAssignment, buildCycle, COURSE_ID } from '../factories.js';
import { launchChromium } from '../helpers/browser.js';
import { type E2EServer, startE2EServer } from './support/app-server.js';
import { A11yAudit, assertNoHorizontalScroll, follow, screenshot, signIn } from './support/journey.js';

let server: E2EServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2EServer('knowledge'), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function hrPage(width: number, height: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  await signIn(page, server.baseUrl, 'hr@demo.test', '/hr');
  return page;
}

/** Every demo person gets a memory of every clause, stronger the further down the list they are. */
async function writeFigures(): Promise<void> {
  const { models } = server.app.db;
  const now = server.clock.now();
  const clauses = server.app.courses.get(COURSE_ID)!.clauses.map((c) => c.id);
  const people = await models.User.find({ role: { $ne: 'admin' } }).lean();
  // The page counts people with an active assignment of the course, in the department it copies.
  await models.Assignment.deleteMany({ courseId: COURSE_ID });
  await models.Assignment.insertMany(people.map((p) => buildAssignment(p, { department: p.department })));
  const docs = people.map((p, i) => {
    const reviews: ClauseReview[] = clauses.map((clauseId, j) => ({
      eventId: `seed-${i}`,
      clauseId,
      at: new Date(now.getTime() - ((i * 7 + j * 11) % 120) * 86_400_000),
      score: ((i + j) % 4) / 3,
      source: 'quiz',
    }));
    return {
      _id: clauseMemoryKey(p._id, COURSE_ID),
      userId: p._id,
      courseId: COURSE_ID,
      department: p.department,
      clauses: memoryFrom(reviews),
      applied: [`seed-${i}`],
      updatedAt: now,
    };
  });
  await models.ClauseMemory.deleteMany({ courseId: COURSE_ID });
  await models.ClauseMemory.insertMany(docs);
  const refresher = (i: number) => ({
    status: 'decided' as const,
    pretestAttemptId: `check-${i}:pretest`,
    changed: [],
    testedOut: clauses.slice(0, 3 + (i % 5)),
    study: clauses.slice(3 + (i % 5)),
    decidedAt: now,
  });
  await models.Cycle.insertMany(
    people.slice(0, 8).map((p, i) => buildCycle(p, 40, { refresher: refresher(i) })),
  );
  await server.app.services.jobs.runNightly({ now });
}

describe('knowledge page', () => {
  it('is linked from the HR home, has no axe violations empty or with figures, and fits a phone', async () => {
    const audit = new A11yAudit('knowledge');
    const url = `${server.baseUrl}/hr/courses/${COURSE_ID}/knowledge`;
    const page = await hrPage(1280, 900);
    await follow(page, `a[href="/hr/courses/${COURSE_ID}/knowledge"]`, url);
    expect(await page.textContent('main')).toContain('No figures yet');
    await audit.check(page, 'empty');

    await writeFigures();
    await page.reload();
    const heatmap = page.getByRole('img', { name: /Heatmap: mean recall by clause and department/ });
    await expect.poll(() => heatmap.count()).toBe(1);
    const rows = await page.locator('#knowledge-table tbody tr').count();
    expect(rows).toBe(server.app.courses.get(COURSE_ID)!.clauses.length);
    // Every heatmap cell prints its figure: colour is never the only carrier.
    const cellTexts = await page.locator('figure.heatmap svg text').allTextContents();
    expect(cellTexts.filter((t) => /^\d+%$/.test(t)).length).toBeGreaterThan(rows);
    expect(await page.locator('#tested-out tbody tr').count()).toBeGreaterThan(0);
    await page.click('details.hint summary');
    await audit.check(page, 'figures');
    await screenshot(page, 'desktop-hr-knowledge');

    const phone = await hrPage(375, 800);
    await phone.goto(url);
    await assertNoHorizontalScroll(phone, []);
    await audit.check(phone, 'phone');
    await screenshot(phone, 'mobile-hr-knowledge');
    audit.assertClean();
  }, 180_000);
});
