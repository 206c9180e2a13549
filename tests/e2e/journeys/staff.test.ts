/**
 * HR and manager journeys in Chromium (journeys 3 and 4), each in a fresh browser context:
 * HR imports people from a CSV (preview, then apply), assigns the course to their department,
 * sees them overdue on the dashboard once the app clock passes the due date and the sweep ran,
 * exports the status CSV, downloads a SCORM package and watches the preview player's CMI data
 * change while clicking through it. The manager sees only their own team.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxMailer } from '../../../src/mail/transport.js';
import { runNightly } from '../../../src/services/jobs/nightly.js';
import { runSweep } from '../../../src/services/jobs/sweep/index.js';
import { COURSE_ID } from '../../factories.js';
import { launchChromium } from '../../helpers/browser.js';
import { type E2EServer, startE2EServer } from '../support/app-server.js';
import { A11yAudit, assertNoHorizontalScroll, follow, screenshot, signIn, WAIT } from '../support/journey.js';

let server: E2EServer;
let browser: Browser;
let base: string;

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2EServer('staff'), launchChromium()]);
  base = server.baseUrl;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function freshPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  return context.newPage();
}

const IMPORT_CSV = [
  'email,name,employee id,department,manager email,hire date',
  'nina.north@demo.test,Nina North,E0500,Support,,2026-02-02',
  'oscar.ortiz@demo.test,Oscar Ortiz,E0501,Support,,2026-02-16',
  // An existing person (matched by employee ID) who moves to the new department.
  'isla.ivanova@demo.test,Isla Ivanova,E0109,Support,,2025-01-15',
].join('\n');

describe('staff journeys', () => {
  it('3. HR imports people, assigns the course, sees who is overdue, exports, and previews SCORM', async () => {
    const audit = new A11yAudit('journey 3');
    const page = await freshPage();
    await signIn(page, base, 'hr@demo.test', '/hr');
    await audit.check(page);
    await screenshot(page, 'desktop-hr-home');

    // CSV import: the preview lists the changes and writes nothing; applying does.
    await follow(page, 'a[href="/hr/people"]', `${base}/hr/people`);
    await audit.check(page);
    await follow(page, 'a[href="/hr/people/import"]', `${base}/hr/people/import`);
    await audit.check(page);
    await page.fill('#csv', IMPORT_CSV);
    await page.fill('#fileName', 'support-team.csv');
    await follow(page, 'form[action="/hr/people/import"] button', /\/hr\/people\/import\/[a-f0-9]{32}$/);
    expect(await page.textContent('[data-count="create"]')).toBe('2');
    expect(await page.textContent('[data-count="update"]')).toBe('1');
    expect(await page.textContent('main')).toContain('Nina North');
    await audit.check(page, 'preview');
    await screenshot(page, 'desktop-hr-import-preview');
    expect(await server.app.db.models.User.countDocuments({ email: 'nina.north@demo.test' })).toBe(0);
    await follow(page, 'form[action$="/apply"] button');
    expect(await page.textContent('[data-count="created"]')).toBe('2');
    expect(await page.textContent('[data-count="updated"]')).toBe('1');
    await audit.check(page, 'applied');

    // Assign the course to the Support department, due in 14 days.
    await page.goto(`${base}/hr/assignments`);
    await audit.check(page);
    await page.selectOption('#courseId', COURSE_ID);
    await page.check('#target-departments');
    await page.check('input[name="department"][value="Support"]');
    await page.check('#due-after-assignment');
    await page.fill('#dueDays', '14');
    await follow(page, 'form[action="/hr/assignments"] > button[type="submit"]', /done=created/);
    expect(await page.textContent('.notice-ok')).toContain('3 people assigned');
    await audit.check(page, 'created');

    // Three weeks later the scheduled jobs run, as `jobs:run` runs them: the sweep marks them
    // overdue (and queues any reminders due), the nightly job queues the weekly HR digest.
    server.clock.advanceDays(21);
    const app = server.app;
    const jobs = {
      models: app.db.models,
      courses: app.courses,
      catalogue: app.catalogue,
      mailer: outboxMailer(app.db.models),
      audit: app.audit,
      baseUrl: app.config.BASE_URL,
    };
    await runSweep(jobs, { now: server.clock.now() });
    await runNightly(jobs, { now: server.clock.now() });
    await page.goto(`${base}/hr/dashboard?course=${COURSE_ID}`);
    const chart = page.locator('figure.chart svg[role="img"]');
    expect(await chart.locator('rect.chart-bar').count()).toBeGreaterThan(0);
    expect(await chart.locator('title').textContent()).toContain('Support 0%');
    const overdue = page.locator('section.people-list', { has: page.locator('#list-overdue') });
    const overdueText = (await overdue.textContent()) ?? '';
    for (const name of ['Nina North', 'Oscar Ortiz', 'Isla Ivanova']) expect(overdueText).toContain(name);
    await audit.check(page);
    await screenshot(page, 'desktop-hr-dashboard');

    // The status CSV, exported from the dashboard as it is filtered (this course).
    const [csvDownload] = await Promise.all([
      page.waitForEvent('download', WAIT),
      page.click('a.button[href*="/hr/reports/status.csv"]'),
    ]);
    expect(csvDownload.suggestedFilename()).toMatch(/^training-status-social-media-policy-.*\.csv$/);
    const csv = (await readFile((await csvDownload.path())!, 'utf8')).replace(/^\uFEFF/, '');
    const [header, ...rows] = csv.trim().split(/\r?\n/);
    expect(header!.toLowerCase()).toContain('email');
    expect(header!.toLowerCase()).toContain('state');
    const nina = rows.find((r) => r.includes('nina.north@demo.test'));
    expect(nina).toMatch(/Nina North/);
    expect(nina).toMatch(/overdue/i);
    expect(rows.filter((r) => r.includes(',Support,'))).toHaveLength(3);

    // One of them, and the mail the sweep stored (no SMTP server in tests).
    await follow(page, 'section.people-list a:text("Nina North")', /\/hr\/employees\//);
    expect(await page.textContent('h1')).toContain('Nina North');
    await audit.check(page);
    await page.goto(`${base}/hr/outbox`);
    expect(await page.locator('main tbody tr').count()).toBeGreaterThan(0);
    await audit.check(page);
    await page.goto(`${base}/hr/reports`);
    await audit.check(page);

    // SCORM: download a package (a zip), then play it in the preview player.
    await page.goto(`${base}/hr`);
    await follow(page, `a[href="/hr/courses/${COURSE_ID}/scorm"]`, `${base}/hr/courses/${COURSE_ID}/scorm`);
    await audit.check(page);
    const [zipDownload] = await Promise.all([
      page.waitForEvent('download', WAIT),
      page.click('form[action$="/scorm/download"] button[value="scorm12"]'),
    ]);
    expect(zipDownload.suggestedFilename()).toMatch(/\.zip$/);
    const zip = await readFile((await zipDownload.path())!);
    expect(zip.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');

    await follow(page, 'form[action$="/scorm/preview"] button[value="scorm12"]', /\/scorm\/preview\?/);
    const summary = () => page.textContent('#cmi-summary').then((t) => t ?? '');
    await page.waitForFunction(
      () => document.getElementById('cmi-summary')?.textContent?.includes('incomplete'),
      undefined,
      WAIT,
    );
    const frame = page.frameLocator('#scorm-preview-frame');
    await frame.locator('[data-view="l0"] h1').waitFor(WAIT);
    await audit.check(page, 'player');
    await screenshot(page, 'desktop-hr-scorm-preview');
    // Each "Next" moves the bookmark the LMS receives; the panel shows it live.
    let before = await summary();
    for (let i = 0; i < 3; i++) {
      await frame.locator(`[data-view="l${i}"] button[data-goto="l${i + 1}"]`).click();
      await page.waitForFunction(
        (prev) => (document.getElementById('cmi-summary')?.textContent ?? '') !== prev,
        before,
        WAIT,
      );
      const now = await summary();
      expect(now).toContain(`l${i + 1}`);
      before = now;
    }
    expect(await page.textContent('#cmi-log')).toContain('SetValue cmi.core.lesson_location = l3');
    const sco = page.frames().find((f) => f.url().endsWith('/files/index.html'))!;
    await audit.checkFrame(sco, 'SCORM package (lesson 4)');
    await sco.click('a[data-goto="quiz"]');
    await sco.click('#quiz-start');
    await sco.waitForSelector('#quiz-form:not([hidden])', WAIT);
    await audit.checkFrame(sco, 'SCORM package (quiz)');
    audit.assertClean();
  });

  it('4. a manager sees their own team only', async () => {
    const audit = new A11yAudit('journey 4');
    const page = await freshPage();
    await signIn(page, base, 'manager@demo.test');
    await page.goto(`${base}/team`);
    const team = (await page.textContent('main')) ?? '';
    // Sales reports to manager@demo.test; Engineering and Operations do not.
    for (const name of ['Erin Example', 'Ava Adams', 'Dev Diallo']) expect(team).toContain(name);
    for (const name of ['Ben Bauer', 'Hiro Hughes', 'Chloe Costa', 'Harper Reyes']) {
      expect(team).not.toContain(name);
    }
    const departments = await page.$$eval('main tbody tr td:nth-child(2)', (cells) =>
      cells.map((c) => c.textContent?.trim()),
    );
    expect(departments.length).toBeGreaterThan(0);
    expect(new Set(departments)).toEqual(new Set(['Sales']));
    await audit.check(page);
    await screenshot(page, 'desktop-manager-team');
    // And another manager's people are not reachable through HR pages either.
    const res = await page.goto(`${base}/hr/dashboard`);
    expect(res?.status()).toBe(403);
    await audit.check(page, 'forbidden');
    audit.assertClean();
  });

  it('HR and manager pages fit a 375 × 667 phone without scrolling sideways', async () => {
    const audit = new A11yAudit('staff pages on a phone');
    const seen: string[] = [];
    for (const [email, landing, paths] of [
      [
        'hr@demo.test',
        '/hr',
        [
          '/hr',
          '/hr/dashboard',
          '/hr/people',
          '/hr/people/import',
          '/hr/assignments',
          '/hr/outbox',
          '/hr/feedback',
          '/hr/reports',
          `/hr/courses/${COURSE_ID}/scorm`,
        ],
      ],
      ['manager@demo.test', '/', ['/team']],
    ] as const) {
      const context = await browser.newContext({
        viewport: { width: 375, height: 667 },
        isMobile: true,
        hasTouch: true,
      });
      const page = await context.newPage();
      await signIn(page, base, email, landing);
      for (const path of paths) {
        await page.goto(`${base}${path}`);
        await assertNoHorizontalScroll(page, seen);
        await audit.check(page, 'phone');
        if (path === '/hr/dashboard' || path === '/team') {
          await screenshot(page, `mobile-${path === '/team' ? 'manager-team' : 'hr-dashboard'}`);
        }
      }
      await context.close();
    }
    expect(seen).toHaveLength(10);
    audit.assertClean();
  });
});
