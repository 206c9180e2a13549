/**
 * Shared steps for the browser journeys: signing in, an accessibility audit that runs axe once per
 * distinct page, screenshots, the horizontal-scroll check, and answering the quiz from the course
 * files (the page never carries the answer key; the test reads it from `courses/`).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { expect } from 'vitest';
import { defaultCoursesDir, loadCourse } from '../../../src/content/index.js';
import type { Course, Question } from '../../../src/domain/course.js';
import { rightAnswer } from '../../../src/domain/quiz/grading.js';
import { COURSE_ID } from '../../factories.js';
import { axeViolations } from './axe.js';

export const PASSWORD = 'demo-password';
export const SCREENSHOT_DIR = path.resolve('test-artifacts/screenshots');

/** Bounded waits: every wait in the journeys has an upper limit. */
export const WAIT = { timeout: 15_000 } as const;

let coursePromise: Promise<Course> | null = null;
/** The course as authored, loaded from the content files (the source of the answer key). */
export function courseFromFiles(): Promise<Course> {
  coursePromise ??= loadCourse(path.join(defaultCoursesDir, COURSE_ID));
  return coursePromise;
}

/** Runs axe on every distinct page (path plus an optional state label) and collects violations. */
export class A11yAudit {
  readonly checked: string[] = [];
  readonly violations: string[] = [];

  private twin: Page | null = null;

  /**
   * `scriptless`: a context with JavaScript off, where axe itself cannot run (its promises never
   * settle). Its pages are audited as a twin: the page's own DOM, scripts removed, loaded with the
   * same stylesheets into a page of this script-enabled context.
   */
  constructor(
    readonly label: string,
    private readonly scriptless: { twinContext: BrowserContext } | null = null,
  ) {}

  private async auditedPage(page: Page): Promise<Page> {
    if (!this.scriptless) return page;
    this.twin ??= await this.scriptless.twinContext.newPage();
    await this.twin.setViewportSize(page.viewportSize() ?? { width: 1280, height: 800 });
    const html = (await page.content())
      .replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '')
      .replace(/<head>/i, `<head><base href="${page.url()}">`);
    await this.twin.setContent(html, { waitUntil: 'load' });
    return this.twin;
  }

  async check(page: Page, state = ''): Promise<void> {
    const url = new URL(page.url());
    const key = `${url.pathname}${state ? ` [${state}]` : ''}`;
    if (this.checked.includes(key)) return;
    this.checked.push(key);
    const t0 = Date.now();
    const found = await axeViolations(await this.auditedPage(page));
    if (process.env.E2E_TIMING) process.stderr.write(`axe ${key}: ${Date.now() - t0} ms\n`);
    for (const v of found) this.violations.push(`${this.label} ${key}: ${v}`);
  }

  /** A framed document (e.g. the SCORM package in the preview player), audited in its own right. */
  async checkFrame(frame: Frame, key: string): Promise<void> {
    if (this.checked.includes(key)) return;
    this.checked.push(key);
    for (const v of await axeViolations(frame)) this.violations.push(`${this.label} ${key}: ${v}`);
  }

  assertClean(): void {
    expect(this.violations, `axe violations on ${this.checked.length} pages`).toEqual([]);
  }
}

/** Fails on any page that scrolls sideways (the mobile journey calls it on every page). */
export async function assertNoHorizontalScroll(page: Page, seen: string[]): Promise<void> {
  const m = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  const where = new URL(page.url()).pathname;
  seen.push(where);
  expect(m.scroll, `${where} scrolls horizontally (${m.scroll} > ${m.inner})`).toBeLessThanOrEqual(m.inner);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const t0 = Date.now();
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  if (process.env.E2E_TIMING) process.stderr.write(`screenshot ${name}: ${Date.now() - t0} ms\n`);
}

/** Signs in through the real form and waits for the landing page. */
export async function signIn(page: Page, base: string, email: string, landing = '/'): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(`${base}${landing}`, WAIT), page.click('form[action="/login"] button')]);
}

export async function signOut(page: Page, base: string): Promise<void> {
  await Promise.all([page.waitForURL(`${base}/login`, WAIT), page.click('.logout-form button')]);
}

/** Clicks a link or button and waits for the navigation it causes. */
export async function follow(page: Page, selector: string, url?: string | RegExp): Promise<void> {
  await Promise.all([
    url ? page.waitForURL(url, WAIT) : page.waitForNavigation(WAIT),
    page.locator(selector).first().click(),
  ]);
}

// ---------------------------------------------------------------------------------------------
// The quiz, answered from the course files

interface RenderedQuestion {
  prompt: string;
  post: string;
  choices: Array<{ id: string; text: string }>;
  verdicts: Array<{ id: string; value: string }>;
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Does a text on the page read as the authored text? The files speak through `{{…}}` placeholders
 * the server fills from its organisation profile, so each one matches any words.
 */
export function reads(authored: string, shown: string, within = false): boolean {
  const pattern = norm(authored)
    .split(/\{\{\s*[\w.]+\s*\}\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.+?');
  return new RegExp(within ? pattern : `^${pattern}$`, 's').test(norm(shown));
}

function optionsOf(q: Question): Array<{ id: string; text: string }> {
  if (q.type === 'classify') return q.reasons;
  if (q.type === 'spot') return q.segments;
  return q.options;
}

/** The bank question a rendered fieldset shows: same prompt, same choice texts, same post. */
function identify(course: Course, shown: RenderedQuestion): Question {
  const matches = course.questions.filter((q) => {
    if (!reads(q.prompt, shown.prompt)) return false;
    const texts = optionsOf(q).map((o) => o.text);
    if (!shown.choices.every((c) => texts.some((text) => reads(text, c.text)))) return false;
    if (q.type === 'classify' || q.type === 'spot') return reads(q.post.text, shown.post, true);
    return true;
  });
  if (matches.length !== 1) throw new Error(`question not identified (${matches.length}): ${shown.prompt}`);
  return matches[0]!;
}

/** What a page's quiz form shows, read from the DOM (labels and texts only). */
export function readQuestions(page: Page): Promise<RenderedQuestion[]> {
  return page.$$eval('fieldset.quiz-question', (sets) =>
    sets.map((set) => ({
      prompt: set.querySelector('.quiz-prompt')?.textContent ?? '',
      post: set.querySelector('.quiz-post')?.textContent ?? '',
      choices: Array.from(set.querySelectorAll<HTMLInputElement>('input[name^="answers["]')).map((i) => ({
        id: i.id,
        text: set.querySelector(`label[for="${i.id}"]`)?.textContent ?? '',
      })),
      verdicts: Array.from(set.querySelectorAll<HTMLInputElement>('input[name^="verdicts["]')).map((i) => ({
        id: i.id,
        value: i.value,
      })),
    })),
  );
}

/**
 * The input ids to tick for every question on the page: all right answers when `pass`, otherwise
 * a wrong choice (and the wrong verdict) everywhere, which scores zero.
 */
export async function plannedAnswers(page: Page, pass: boolean): Promise<string[][]> {
  const course = await courseFromFiles();
  const shown = await readQuestions(page);
  expect(shown.length).toBe(course.quiz.questionsPerAttempt);
  return shown.map((s) => {
    const q = identify(course, s);
    // The app's own answer key, matched to the page by the choices' texts.
    const key = rightAnswer(q);
    const rightIds = new Set(key.choiceIds);
    const rightTexts = optionsOf(q)
      .filter((o) => rightIds.has(o.id))
      .map((o) => o.text);
    const isRight = (c: { text: string }) => rightTexts.some((text) => reads(text, c.text));
    const ids: string[] = [];
    if (q.type === 'classify') {
      const verdict = s.verdicts.find((v) => (v.value === key.verdict) === pass);
      ids.push(verdict!.id);
    }
    const right = s.choices.filter(isRight);
    const wrong = s.choices.filter((c) => !isRight(c));
    if (pass) ids.push(...right.map((c) => c.id));
    else ids.push(wrong[0]!.id);
    return ids;
  });
}

/** Ticks the planned answers with the mouse/touch (check() clicks the control or its label). */
export async function tickAnswers(page: Page, plan: string[][], tap = false): Promise<void> {
  for (const id of plan.flat()) {
    if (tap) await page.tap(`label[for="${id}"]`);
    else await page.check(`#${id}`);
  }
}
