/**
 * The `hidden` attribute always hides, on every web app page: a class that sets `display` (such as
 * .button-secondary's inline-block) must never show an element the page means to hide. That was
 * how the SCORM package's "Try the quiz again" button showed after a pass; app.css now has a
 * global `[hidden] { display: none !important }`, and this sweep checks the pages that use it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COURSE_ID } from '../factories.js';
import { launchChromium } from '../helpers/browser.js';
import { type E2EServer, startE2EServer } from './support/app-server.js';
import { courseFromFiles, signIn } from './support/journey.js';

let server: E2EServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2EServer('hidden'), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Every element with the `hidden` attribute whose computed display is not `none`. */
function shownDespiteHidden(page: Page): Promise<string[]> {
  return page.$$eval('[hidden]', (nodes) =>
    nodes
      .filter((n) => getComputedStyle(n).display !== 'none')
      .map((n) => `${n.outerHTML.slice(0, 100)} → ${getComputedStyle(n).display}`),
  );
}

async function sweep(page: Page, paths: string[]): Promise<{ hiddenSeen: number; shown: string[] }> {
  let hiddenSeen = 0;
  const shown: string[] = [];
  for (const path of paths) {
    const res = await page.goto(`${server.baseUrl}${path}`);
    expect(res?.status(), path).toBe(200);
    hiddenSeen += await page.locator('[hidden]').count();
    for (const s of await shownDespiteHidden(page)) shown.push(`${path}: ${s}`);
  }
  return { hiddenSeen, shown };
}

describe('the hidden attribute on web app pages', () => {
  it('hides every element that carries it, on the learner and HR pages that use it', async () => {
    const course = await courseFromFiles();
    const learner = await (await browser.newContext()).newPage();
    await signIn(learner, server.baseUrl, 'employee@demo.test');
    const learn = `/learn/${COURSE_ID}`;
    const learnerPages = await sweep(learner, [
      '/',
      learn,
      `${learn}/examples`,
      ...course.examples.map((e) => `${learn}/examples/${e.id}`),
    ]);

    const hr = await (await browser.newContext()).newPage();
    await signIn(hr, server.baseUrl, 'hr@demo.test', '/hr');
    const hrPages = await sweep(hr, ['/hr', '/hr/people', '/hr/people/import']);

    // The example pages carry a hidden error box for the enhanced form: the sweep saw real cases.
    expect(learnerPages.hiddenSeen + hrPages.hiddenSeen).toBeGreaterThan(0);
    expect([...learnerPages.shown, ...hrPages.shown]).toEqual([]);
  });

  it('wins over classes that set display, such as .button-secondary and .notice', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.baseUrl}/login`);
    const displays = await page.evaluate(() =>
      ['button-secondary', 'button', 'notice', 'row', 'field-error'].map((cls) => {
        const el = document.createElement(cls.startsWith('button') ? 'a' : 'div');
        el.className = cls;
        el.hidden = true;
        document.body.append(el);
        return `${cls}: ${getComputedStyle(el).display}`;
      }),
    );
    expect(displays).toEqual([
      'button-secondary: none',
      'button: none',
      'notice: none',
      'row: none',
      'field-error: none',
    ]);
  });
});
