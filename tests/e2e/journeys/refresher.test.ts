/**
 * A refresher cycle with test-out, in Chromium (issue #23). HR asks everyone who completed to take
 * the course again; the sweep opens the refresher. Ava, who still knows every clause, checks what
 * she knows and goes straight to signing the full policy; Ben misses two clauses' questions and
 * studies only those: their lessons' sections, a short quiz on them, then the attestation. Both
 * journeys are timed from the course page to the certificate (printed in the test's output).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleKey, pretestAttemptKey } from '../../../src/db/keys.js';
import type { AttemptDoc } from '../../../src/db/models/quiz.js';
import type { CycleDoc } from '../../../src/db/models/training.js';
import { questionKey, rightAnswer } from '../../../src/domain/quiz/index.js';
import { outboxMailer } from '../../../src/mail/transport.js';
import { runSweep } from '../../../src/services/jobs/sweep/index.js';
import { choiceTokensFor } from '../../../src/services/quiz/index.js';
import { COURSE_ID } from '../../factories.js';
import { launchChromium } from '../../helpers/browser.js';
import { type E2EServer, startE2EServer } from '../support/app-server.js';
import { A11yAudit, follow, signIn, WAIT } from '../support/journey.js';

let server: E2EServer;
let browser: Browser;
let base: string;
const LEARN = `/learn/${COURSE_ID}`;

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2EServer('refresher'), launchChromium()]);
  base = server.baseUrl;
  // The demo's history: Ava and Ben completed the course, as learners would, weeks ago.
  await server.app.services.demo.seedDemoTraining({ now: server.clock.now() });
  // HR asks everyone who completed to take it again; the sweep opens their refresher cycles.
  server.clock.advanceMinutes(60);
  const app = server.app;
  const hr = await app.db.models.User.findOne({ email: 'hr@demo.test' }).lean();
  await app.services.assignments.requestRenewal({
    actorId: hr!._id,
    courseId: COURSE_ID,
    requirement: 'full',
    dueAt: new Date('2026-04-30'),
    reason: 'Yearly refresher',
    now: server.clock.now(),
  });
  server.clock.advanceMinutes(15);
  const ctx = {
    models: app.db.models,
    courses: app.courses,
    catalogue: app.catalogue,
    mailer: outboxMailer(app.db.models),
    audit: app.audit,
    baseUrl: app.config.BASE_URL,
  };
  await runSweep(ctx, { now: server.clock.now() });
  server.clock.advanceMinutes(60);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function learner(email: string) {
  const user = await server.app.db.models.User.findOne({ email }).lean();
  if (!user) throw new Error(`the demo has no ${email}`);
  const assignment = await server.app.db.models.Assignment.findById(`${user._id}:${COURSE_ID}`).lean();
  return { id: user._id, name: user.name, cycleId: cycleKey(user._id, COURSE_ID, assignment!.cycleNo) };
}

const course = () => server.app.courses.get(COURSE_ID)!;

/**
 * Ticks the right answer for every question of an attempt, except those `wrong` names (left with a
 * wrong choice). The page carries only opaque tokens: the test maps the app's own key to them.
 */
async function answer(page: Page, attempt: AttemptDoc, wrong: (questionId: string) => boolean = () => false) {
  const tokens = choiceTokensFor(attempt);
  for (const [i, drawn] of attempt.draw.entries()) {
    const q = course().questions.find((x) => x.id === drawn.questionId)!;
    const key = rightAnswer(q);
    const miss = wrong(q.id);
    const ids = miss
      ? drawn.choiceIds.filter((id) => !key.choiceIds.includes(id)).slice(0, 1)
      : key.choiceIds;
    if (key.verdict) {
      const verdict = miss ? (key.verdict === 'acceptable' ? 'unacceptable' : 'acceptable') : key.verdict;
      await page.check(`#${questionKey(i)}-verdict-${verdict}`);
    }
    for (const id of ids) await page.check(`#${questionKey(i)}-${tokens[i]![drawn.choiceIds.indexOf(id)]}`);
  }
}

const pretest = async (cycleId: string) =>
  (await server.app.db.models.Attempt.findById(pretestAttemptKey(cycleId)).lean<AttemptDoc>())!;
const cycleOf = async (cycleId: string) =>
  (await server.app.db.models.Cycle.findById(cycleId).lean<CycleDoc>())!;

async function attest(page: Page, name: string) {
  await page.fill('#typedName', name);
  await page.check('#agreed');
  await follow(page, 'form[action$="/attest"] button[type="submit"]');
  await page.waitForSelector('#cert-title', WAIT);
}

describe('a refresher cycle with test-out', () => {
  const audit = new A11yAudit('refresher');

  it('9. someone who still knows everything checks and signs, without a lesson or the quiz', async () => {
    const ava = await learner('ava.adams@demo.test');
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(page, base, 'ava.adams@demo.test');
    const t0 = Date.now();
    await page.goto(`${base}${LEARN}`);
    expect(await page.textContent('#refresher-offer-title')).toContain('Check what you still know');
    await audit.check(page, 'offer');
    await follow(
      page,
      `form[action="${LEARN}/refresher/pretest"] button`,
      `${base}${LEARN}/refresher/pretest`,
    );
    await audit.check(page);
    await answer(page, await pretest(ava.cycleId));
    await follow(
      page,
      `form[action="${LEARN}/refresher/pretest/submit"] button[type="submit"]`,
      `${base}${LEARN}/refresher/result`,
    );
    expect(await page.textContent('h2#path-title')).toContain('You still know every clause');
    await audit.check(page, 'tested out of everything');
    await follow(page, `a[href="${LEARN}/attest"]`, `${base}${LEARN}/attest`);
    await attest(page, ava.name);
    const seconds = (Date.now() - t0) / 1000;
    console.log(
      `refresher journey, tested out of everything: ${seconds.toFixed(1)} s from the course page to the certificate`,
    );
    expect(seconds).toBeLessThan(300);

    const done = await cycleOf(ava.cycleId);
    expect(done.refresher).toMatchObject({ status: 'decided', study: [] });
    expect(done.completedAt).not.toBeNull();
    expect(await server.app.db.models.LessonView.countDocuments({ cycleId: ava.cycleId })).toBe(0);
  });

  it('10. someone with two weak clauses studies only those, takes a short quiz and signs', async () => {
    const ben = await learner('ben.bauer@demo.test');
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(page, base, 'ben.bauer@demo.test');
    const t0 = Date.now();
    await page.goto(`${base}${LEARN}`);
    await follow(
      page,
      `form[action="${LEARN}/refresher/pretest"] button`,
      `${base}${LEARN}/refresher/pretest`,
    );
    const weak = new Set(['SMP-03', 'SMP-10']);
    const tests = (id: string) => course().questions.find((q) => q.id === id)!.clauses;
    await answer(page, await pretest(ben.cycleId), (id) => tests(id).some((c) => weak.has(c)));
    await follow(
      page,
      `form[action="${LEARN}/refresher/pretest/submit"] button[type="submit"]`,
      `${base}${LEARN}/refresher/result`,
    );
    const study = (await cycleOf(ben.cycleId)).refresher!.study;
    expect(study).toEqual(expect.arrayContaining([...weak]));
    expect(study.length).toBeLessThan(course().clauses.length);
    await audit.check(page, 'some to study');

    // The lessons to study, each showing only its sections for the study clauses, then the quiz.
    await follow(page, 'a.button[href^="/learn/"]');
    let reading = 0;
    while (page.url().includes('/lessons/')) {
      reading += 1;
      await audit.check(page, 'study path');
      await follow(page, 'a.pager-next');
    }
    expect(reading).toBeGreaterThan(0);
    expect(page.url()).toBe(`${base}${LEARN}/quiz`);
    await follow(page, `form[action="${LEARN}/quiz/attempts"] button`, /\/quiz\/attempts\/1$/);
    const quiz = (await server.app.db.models.Attempt.findById(`${ben.cycleId}:1`).lean<AttemptDoc>())!;
    expect(quiz.scope).toEqual(study);
    expect(quiz.draw.length).toBeLessThan(course().quiz.questionsPerAttempt);
    await answer(page, quiz);
    await follow(page, `form[action="${LEARN}/quiz/attempts/1/submit"] button[type="submit"]`, /\/result$/);
    await follow(page, `a[href="${LEARN}/attest"]`, `${base}${LEARN}/attest`);
    await attest(page, ben.name);
    const seconds = (Date.now() - t0) / 1000;
    console.log(
      `refresher journey, ${study.length} clauses studied (${reading} lessons, ${quiz.draw.length} quiz questions): ${seconds.toFixed(1)} s from the course page to the certificate`,
    );
    expect((await cycleOf(ben.cycleId)).completedAt).not.toBeNull();
    audit.assertClean();
  });
});
