/**
 * The employee's whole course in the browser, shared by the desktop, no-JavaScript and mobile
 * journeys: sign in, every lesson through "Next", classify example posts, walk "Can I share this?"
 * to an outcome, fail the quiz, wait out the cooldown on the app clock, pass, attest (after a
 * wrong name, which must be announced, after opening a clause of the full policy), download the
 * certificate, reopen the policy text signed and open the certificate's verify link. A lesson with a
 * branching scenario gets one choice made on the way.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { COURSE_ID } from '../../factories.js';
import type { E2EServer } from './app-server.js';
import {
  type A11yAudit,
  assertNoHorizontalScroll,
  courseFromFiles,
  follow,
  plannedAnswers,
  screenshot,
  signIn,
  tickAnswers,
  WAIT,
} from './journey.js';
import {
  playScenarioChoice,
  readPolicyBeforeSigning,
  reopenAttestedText,
} from './policy-and-scenario-steps.js';

export interface JourneyOptions {
  server: E2EServer;
  browser: Browser;
  page: Page;
  audit: A11yAudit;
  email: string;
  name: string;
  js: boolean;
  /** Screenshot name prefix (desktop, mobile), or null for none. */
  shots: string | null;
  /** Phone layout: every page is checked for horizontal scrolling and answers are tapped. */
  mobile: boolean;
  /** How many example posts to classify. */
  examples: number;
}

/** Focus sits on the error summary, and `field` points at its message through aria-describedby. */
export async function assertErrorAnnounced(page: Page, field: string, messageId: string): Promise<void> {
  await page.waitForFunction(() => document.activeElement?.id === 'error-summary', undefined, WAIT);
  const describedBy = (await page.getAttribute(`#${field}`, 'aria-describedby')) ?? '';
  expect(describedBy.split(' ')).toContain(messageId);
  expect(await page.getAttribute(`#${field}`, 'aria-invalid')).toBe('true');
  expect((await page.textContent(`#${messageId}`))?.trim()).not.toBe('');
}

export async function runEmployeeJourney(o: JourneyOptions): Promise<{ pagesWithoutSideScroll: string[] }> {
  const { page, audit, server } = o;
  const base = server.baseUrl;
  const course = `/learn/${COURSE_ID}`;
  const authored = await courseFromFiles();
  const pagesWithoutSideScroll: string[] = [];
  /** Every page visited: axe (once per distinct page/state), the phone layout check, a screenshot. */
  const visit = async (state = '', shot?: string) => {
    await audit.check(page, state);
    if (o.mobile) await assertNoHorizontalScroll(page, pagesWithoutSideScroll);
    if (shot && o.shots) await screenshot(page, `${o.shots}-${shot}`);
  };
  const submitQuiz = async (n: number, pass: boolean) => {
    await tickAnswers(page, await plannedAnswers(page, pass), o.mobile);
    await follow(page, '.quiz-actions button:not([formaction])', new RegExp(`/attempts/${n}/result$`));
    expect(await page.textContent('#score-title')).toContain(pass ? 'You passed' : 'Not passed');
  };

  await page.goto(`${base}/login`);
  await visit('', 'login');
  await signIn(page, base, o.email);
  await visit('', 'my-training');

  // Course overview, then every lesson through the "Next" buttons.
  await follow(page, `h2 a[href="${course}"]`, `${base}${course}`);
  await visit('', 'course-overview');
  await follow(page, '.actions a.button', /\/lessons\//);
  const lessons: string[] = [];
  for (;;) {
    lessons.push(new URL(page.url()).pathname);
    await visit('', lessons.length === 1 ? 'lesson' : undefined);
    // A branching scenario (lessons 3 and 7): a choice opens on its consequence and leads to a step.
    if ((await page.locator('section.scenario').count()) > 0) await playScenarioChoice(page, o.mobile, visit);
    if ((await page.locator('a.pager-next[rel="next"]').count()) === 0) break;
    await follow(page, 'a.pager-next[rel="next"]', /\/lessons\//);
  }
  expect(lessons).toEqual(authored.lessons.map((l) => `${course}/lessons/${l.id}`));

  // Example posts: classify, then the verdict is revealed (in place with JS, by a page load without).
  await follow(page, 'a.pager-next', `${base}${course}/examples`);
  await visit();
  await follow(page, `a[href="${course}/examples/${authored.examples[0]!.id}"]`);
  for (const [i, example] of authored.examples.slice(0, o.examples).entries()) {
    const url = `${base}${course}/examples/${example.id}`;
    expect(page.url()).toBe(url);
    await visit('question');
    // The first answer right, the next one wrong: both kinds of reveal are seen.
    const right = i % 2 === 0;
    const answer = right ? example.verdict : example.verdict === 'acceptable' ? 'unacceptable' : 'acceptable';
    if (o.mobile) await page.tap(`label[for="answer-${answer}"]`);
    else await page.check(`#answer-${answer}`);
    if (o.js) {
      await page.click('.classify-form button[type="submit"]');
      await page.waitForFunction(() => document.activeElement?.id === 'reveal-heading', undefined, WAIT);
      expect(page.url()).toBe(url);
    } else {
      await follow(page, '.classify-form button[type="submit"]', `${url}/classify`);
    }
    expect(await page.textContent('#reveal-heading')).toContain(right ? 'Correct' : 'Not quite');
    await visit('revealed', i === 0 ? 'example-revealed' : undefined);
    if (i < o.examples - 1) await follow(page, '.reveal a.button', /\/examples\/[^/]+$/);
  }

  // A grey-area post: its right answer is the third verdict, "Ask first".
  const askFirst = authored.examples.find((e) => e.verdict === 'ask-first');
  expect(askFirst, 'the course has an ask-first example').toBeDefined();
  const askUrl = `${base}${course}/examples/${askFirst!.id}`;
  await page.goto(askUrl);
  if (o.mobile) await page.tap('label[for="answer-ask-first"]');
  else await page.check('#answer-ask-first');
  if (o.js) {
    await page.click('.classify-form button[type="submit"]');
    await page.waitForFunction(() => document.activeElement?.id === 'reveal-heading', undefined, WAIT);
  } else {
    await follow(page, '.classify-form button[type="submit"]', `${askUrl}/classify`);
  }
  expect(await page.textContent('#reveal-heading')).toContain('Correct: check first');
  await visit('revealed-ask-first');

  // "Can I share this?": always the first option, until an outcome.
  await follow(page, `.reveal a[href="${course}/decide"]`, `${base}${course}/decide`);
  for (let step = 0; step < 12 && (await page.locator('a.decide-option').count()) > 0; step++) {
    await visit('', step === 0 ? 'decide' : undefined);
    await follow(page, 'a.decide-option', /\/decide\//);
  }
  expect(await page.locator('.verdict .badge').count()).toBe(1);
  await visit('outcome');

  // Quiz: fail the first attempt; the cooldown holds until the app's clock moves past it.
  await follow(page, `a[href="${course}"]`, `${base}${course}`);
  await follow(page, `a[href="${course}/quiz"]`, `${base}${course}/quiz`);
  await visit('can-start');
  await follow(page, 'form[action$="/quiz/attempts"] button', /\/quiz\/attempts\/1$/);
  await visit('', 'quiz-attempt');
  await submitQuiz(1, false);
  await visit('failed');
  await follow(page, `a[href="${course}/quiz"]`, `${base}${course}/quiz`);
  expect(await page.textContent('.quiz-status')).toContain('You can try again in');
  expect(await page.locator('form[action$="/quiz/attempts"]').count()).toBe(0);
  await visit('cooldown');
  server.clock.advanceMinutes(authored.quiz.cooldownMinutes + 1);
  await page.reload();
  await follow(page, 'form[action$="/quiz/attempts"] button', /\/quiz\/attempts\/2$/);
  await submitQuiz(2, true);
  await visit('passed', 'quiz-passed');

  // Attestation: a wrong name is refused and announced, then the profile name signs.
  await follow(page, `a[href="${course}/attest"]`, `${base}${course}/attest`);
  await visit('form');
  await readPolicyBeforeSigning(page, { base, course, mobile: o.mobile, authored, visit });
  await page.fill('#typedName', `${o.name}son`);
  await page.check('#agreed');
  await follow(page, 'form[action$="/attest"] button[type="submit"]');
  if (o.js) await assertErrorAnnounced(page, 'typedName', 'typedName-error');
  else expect(await page.getAttribute('#typedName', 'aria-describedby')).toContain('typedName-error');
  await visit('errors', 'attest-error');
  await page.fill('#typedName', o.name);
  await page.check('#agreed');
  await follow(page, 'form[action$="/attest"] button[type="submit"]');
  await page.waitForSelector('#cert-title', WAIT);
  await visit('attested', 'attested');

  // Certificate: a real download of a PDF, served as one.
  const code = (await page.textContent('#cert-title ~ p code'))!.trim();
  const href = `/certificates/${code}.pdf`;
  const [download] = await Promise.all([
    page.waitForEvent('download', WAIT),
    page.click(`a[href="${href}"]`),
  ]);
  const bytes = await readFile((await download.path())!);
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const res = await page.context().request.get(`${base}${href}`);
  expect(res.headers()['content-type']).toBe('application/pdf');
  expect((await res.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

  // The training record, then the verify link in a signed-out browser, as a third party would.
  await follow(page, `a[href="${course}/evidence"]`, `${base}${course}/evidence`);
  await visit();
  await reopenAttestedText(page, { base, course, authored, visit });
  const verifier = await o.browser.newContext({
    viewport: page.viewportSize(),
    javaScriptEnabled: o.js,
    isMobile: o.mobile,
    hasTouch: o.mobile,
  });
  const outsider = await verifier.newPage();
  await outsider.goto(`${base}/verify/${code}`);
  expect(await outsider.textContent('h1')).toBe('Certificate verified');
  expect(await outsider.textContent('.verify-status .badge')).toBe('Valid');
  expect(await outsider.textContent('.record-list')).toContain(o.name);
  await audit.check(outsider, o.js ? '' : 'no JS');
  if (o.mobile) await assertNoHorizontalScroll(outsider, pagesWithoutSideScroll);
  if (o.shots) await screenshot(outsider, `${o.shots}-verify`);
  await verifier.close();
  return { pagesWithoutSideScroll };
}
