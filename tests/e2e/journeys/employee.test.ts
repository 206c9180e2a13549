/**
 * Employee journeys in Chromium, each in a fresh browser context on one app server:
 * the full course with JavaScript (journey 1, with form errors announced), resuming after signing
 * out (journey 2) and a keyboard-only quiz attempt (journey 7). axe runs on every distinct page.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COURSE_ID } from '../../factories.js';
import { createUser } from '../../helpers/app.js';
import { launchChromium } from '../../helpers/browser.js';
import { type E2EServer, startE2EServer } from '../support/app-server.js';
import { assertErrorAnnounced, runEmployeeJourney } from '../support/employee-journey.js';
import {
  A11yAudit,
  follow,
  PASSWORD,
  plannedAnswers,
  screenshot,
  signIn,
  signOut,
  tickAnswers,
  WAIT,
} from '../support/journey.js';

let server: E2EServer;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2EServer('employee'), launchChromium()]);
  base = server.baseUrl;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function freshPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  return context.newPage();
}

const course = `/learn/${COURSE_ID}`;

describe('employee journeys', () => {
  it('1. learns, practises, fails then passes the quiz, attests and gets a verifiable certificate', async () => {
    const audit = new A11yAudit('journey 1');
    const page = await freshPage();
    await runEmployeeJourney({
      server,
      browser,
      page,
      audit,
      email: 'employee@demo.test',
      name: 'Erin Example',
      js: true,
      shots: 'desktop',
      mobile: false,
      examples: 3,
    });
    audit.assertClean();
  });

  it('announces a wrong password: focus on the error summary, the field described by the message', async () => {
    const audit = new A11yAudit('login errors');
    const page = await freshPage();
    await page.goto(`${base}/login`);
    await page.fill('#email', 'employee@demo.test');
    await page.fill('#password', `${PASSWORD}-wrong`);
    await follow(page, 'form[action="/login"] button');
    expect(new URL(page.url()).pathname).toBe('/login');
    await assertErrorAnnounced(page, 'email', 'email-error');
    expect(await page.textContent('#error-summary a')).toContain('did not work');
    await audit.check(page, 'errors');
    await screenshot(page, 'desktop-login-error');
    audit.assertClean();
  });

  it('2. resumes at the same lesson and with the same saved quiz answers after signing out', async () => {
    const audit = new A11yAudit('journey 2');
    await createUser(server.app, { email: 'riley.resume@demo.test', name: 'Riley Resume' });

    // First visit: three lessons read, signed out on the fourth.
    const first = await freshPage();
    await signIn(first, base, 'riley.resume@demo.test');
    await follow(first, `h2 a[href="${course}"]`, `${base}${course}`);
    await follow(first, '.actions a.button', /\/lessons\//);
    for (let i = 0; i < 3; i++) await follow(first, 'a.pager-next[rel="next"]', /\/lessons\//);
    const halfway = first.url();
    await signOut(first, base);
    await first.context().close();

    // Second visit: "Continue" lands on that lesson; then half a quiz attempt is saved.
    const second = await freshPage();
    await signIn(second, base, 'riley.resume@demo.test');
    await audit.check(second, 'started');
    await follow(second, '.course-card a.button', halfway);
    await second.goto(`${base}${course}/quiz`);
    await follow(second, 'form[action$="/quiz/attempts"] button', /\/quiz\/attempts\/1$/);
    const plan = (await plannedAnswers(second, true)).slice(0, 6);
    await tickAnswers(second, plan);
    await follow(second, '.quiz-actions button[formaction$="/answers"]', /\/attempts\/1\?saved=1$/);
    expect(await second.textContent('.notice-ok')).toContain('saved');
    await audit.check(second, 'saved');
    await signOut(second, base);
    await second.context().close();

    // Third visit: the quiz offers to resume, with every saved answer still ticked.
    const third = await freshPage();
    await signIn(third, base, 'riley.resume@demo.test');
    await third.goto(`${base}${course}/quiz`);
    expect(await third.textContent('.quiz-status')).toContain('in progress');
    await audit.check(third, 'open');
    await follow(third, `a[href="${course}/quiz/attempts/1"]`, /\/attempts\/1$/);
    for (const id of plan.flat()) expect(await third.isChecked(`#${id}`), id).toBe(true);
    const checked = await third.locator('.quiz-form input:checked').count();
    expect(checked).toBe(plan.flat().length);
    audit.assertClean();
  });

  it('7. completes a quiz attempt with the keyboard alone, with a visible focus indicator', async () => {
    const audit = new A11yAudit('journey 7');
    await createUser(server.app, { email: 'kim.keys@demo.test', name: 'Kim Keys' });
    const page = await freshPage();

    // Signing in by keyboard too: type, Tab, type, Enter.
    await page.goto(`${base}/login`);
    await page.focus('#email');
    await page.keyboard.type('kim.keys@demo.test');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await Promise.all([page.waitForURL(`${base}/`, WAIT), page.keyboard.press('Enter')]);
    await page.goto(`${base}${course}/quiz`);

    const focusIssues: string[] = [];
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        const visible =
          (style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0) ||
          style.boxShadow !== 'none';
        const input = el instanceof HTMLInputElement ? el : null;
        return {
          id: el.id,
          tag: el.tagName.toLowerCase(),
          type: input?.type ?? '',
          name: input?.name ?? '',
          checked: input?.checked ?? false,
          text: (el.textContent ?? '').trim(),
          formaction: el.getAttribute('formaction'),
          visible,
        };
      });
    /** Tabs until `pick` accepts the focused element; every stop must show its focus. */
    const tabUntil = async (pick: (f: NonNullable<Awaited<ReturnType<typeof focused>>>) => boolean) => {
      for (let i = 0; i < 200; i++) {
        await page.keyboard.press('Tab');
        const f = await focused();
        if (!f) continue;
        if (!f.visible) focusIssues.push(`${f.tag}#${f.id} "${f.text.slice(0, 30)}"`);
        if (pick(f)) return f;
      }
      throw new Error('keyboard focus never reached the wanted control');
    };

    const start = await tabUntil((f) => f.tag === 'button' && f.text.startsWith('Start the quiz'));
    expect(start.visible).toBe(true);
    await Promise.all([page.waitForURL(/\/quiz\/attempts\/1$/, WAIT), page.keyboard.press('Enter')]);

    const plan = await plannedAnswers(page, true);
    const wanted = new Set(plan.flat());
    const doneGroups = new Set<string>();
    for (;;) {
      const f = await tabUntil(
        (x) =>
          (x.tag === 'input' && !doneGroups.has(x.name)) ||
          (x.tag === 'button' && x.text === 'Submit answers' && x.formaction === null),
      );
      if (f.tag === 'button') break;
      if (f.type === 'radio') {
        // Arrow keys move the selection within the group; a group is a single Tab stop.
        const groupIds = await page.$$eval(`input[name="${f.name}"]`, (els) => els.map((e) => e.id));
        const target = groupIds.find((id) => wanted.has(id))!;
        let current = f;
        for (let n = 0; current.id !== target && n < groupIds.length; n++) {
          await page.keyboard.press('ArrowDown');
          current = (await focused())!;
          if (!current.visible) focusIssues.push(`radio #${current.id}`);
        }
        if (!current.checked) await page.keyboard.press('Space');
        expect(await page.isChecked(`#${target}`)).toBe(true);
        doneGroups.add(f.name);
      } else if (f.type === 'checkbox' && wanted.has(f.id) !== f.checked) {
        await page.keyboard.press('Space');
      }
    }
    for (const id of wanted) expect(await page.isChecked(`#${id}`), id).toBe(true);
    await Promise.all([page.waitForURL(/\/attempts\/1\/result$/, WAIT), page.keyboard.press('Enter')]);
    expect(await page.textContent('#score-title')).toContain('You passed');
    expect(focusIssues).toEqual([]);
    await audit.check(page);
    audit.assertClean();
  });
});
