import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defaultCoursesDir, loadCourse } from '../../src/content/index.js';
import { buildScormPackage } from '../../src/scorm/index.js';
import { launchChromium } from '../helpers/browser.js';
import { type PlayerServer, startPlayerServer, unzip } from './scorm-harness.js';

const axePath = createRequire(import.meta.url).resolve('axe-core');
let browser: Browser;
let server: PlayerServer;

beforeAll(async () => {
  const course = await loadCourse(`${defaultCoursesDir}/social-media-policy`);
  server = await startPlayerServer(
    await unzip(await buildScormPackage(course, { format: 'scorm12', failStatus: 'failed' })),
    'scorm12',
  );
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface AxeResult {
  violations: Array<{ id: string; nodes: Array<{ html: string }> }>;
}

it('has no WCAG A/AA violations in any view and no sideways scrolling at 360 px', async () => {
  const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
  await page.goto(`${server.base}/sco/index.html`);
  const found: string[] = [];
  const audit = async (label: string) => {
    await page.addScriptTag({ path: axePath.replace(/index\.js$/, 'axe.min.js') });
    const result = (await page.evaluate(() =>
      (window as unknown as { axe: { run(n: Node, o: object): Promise<unknown> } }).axe.run(document, {
        runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa'],
      }),
    )) as AxeResult;
    for (const v of result.violations) found.push(`${label}: ${v.id} ${v.nodes[0]?.html}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), label).toBeLessThanOrEqual(360);
  };
  await audit('lesson');
  await page.click('summary');
  await page.click('a[data-goto="examples"]');
  await page.click('[data-example="0"] [data-verdict="acceptable"]');
  await audit('examples');
  await page.click('summary');
  await page.click('a[data-goto="tree"]');
  await page.click('[data-next]');
  await audit('tree');
  await page.click('summary');
  await page.click('a[data-goto="quiz"]');
  await page.click('#quiz-start');
  await page.click('#quiz-submit');
  await audit('quiz with errors');
  expect(found).toEqual([]);
});
