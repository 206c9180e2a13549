import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemStatsKey } from '../../src/db/keys.js';
import type { ItemStatsDoc } from '../../src/db/models/item-stats.js';
import type { Course } from '../../src/domain/course.js';
import { questionKey, rightAnswer } from '../../src/domain/quiz/index.js';
import { choiceTokensFor } from '../../src/services/quiz/index.js';
import { COURSE_ID, wrongAnswer } from '../factories.js';
import { signIn } from '../helpers/actors.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { addCourseVariant, loadAttempt, newLearner, start } from './quiz-support.js';

// Item statistics end to end: learners sit a four-question quiz through the app's own pages, the
// nightly job (at a pinned time) counts the graded attempts into one summary document per
// question, and HR reads them on /hr/courses/:courseId/questions and as CSV.
let t: TestApp;
let course: Course;
const STATS_COURSE = 'item-stats-course';

/** An answer that earns 0 points on any question type. */

/*
 * Five answer patterns over the four questions (R right = 1 point, W wrong = 0), each sat by two
 * learners, so every question is drawn 10 times (the minimum for flags):
 *            q1 q2 q3 q4   total
 *   P1        R  R  R  R   4
 *   P2        R  R  R  W   3
 *   P3        R  R  W  W   2
 *   P4        W  R  W  W   1
 *   P5        W  W  W  R   1
 * Per pattern set (n = 5; doubling every sum leaves r unchanged), y = total − x:
 *   q1: x 1,1,1,0,0  y 3,2,1,1,1  Σx 3 Σy 8 Σxy 6 Σx² 3 Σy² 16
 *       r = (5·6 − 3·8) / √((5·3 − 9)(5·16 − 64)) = 6/√96 = 0.6124; correct 60 %
 *   q2: x 1,1,1,1,0  y 3,2,1,0,1  Σx 4 Σy 7 Σxy 6 Σx² 4 Σy² 15
 *       r = (30 − 28) / √((20 − 16)(75 − 49)) = 2/√104 = 0.1961; correct 80 %
 *   q3: x 1,1,0,0,0  y 3,2,2,1,1  Σx 2 Σy 9 Σxy 5 Σx² 2 Σy² 19
 *       r = (25 − 18) / √((10 − 4)(95 − 81)) = 7/√84 = 0.7638; correct 40 %
 *   q4: x 1,0,0,0,1  y 3,3,2,1,0  Σx 2 Σy 9 Σxy 3 Σx² 2 Σy² 23
 *       r = (15 − 18) / √((10 − 4)(115 − 81)) = −3/√204 = −0.2100; correct 40 %: flagged
 */
const PATTERNS = [
  [1, 1, 1, 1],
  [1, 1, 1, 0],
  [1, 1, 0, 0],
  [0, 1, 0, 0],
  [0, 0, 0, 1],
];
const EXPECTED = [
  { share: 0.6, r: 6 / Math.sqrt(96) },
  { share: 0.8, r: 2 / Math.sqrt(104) },
  { share: 0.4, r: 7 / Math.sqrt(84) },
  { share: 0.4, r: -3 / Math.sqrt(204) },
];

async function sit(pattern: number[], index: number): Promise<void> {
  const learner = await newLearner(t.app, `items-${index}`);
  const base = `/learn/${STATS_COURSE}/quiz`;
  const n = await start(learner.session, STATS_COURSE);
  const attempt = await loadAttempt(t.app, learner.id, STATS_COURSE, n);
  const tokens = choiceTokensFor(attempt);
  const form: Record<string, string | string[]> = {};
  attempt.draw.forEach((drawn, i) => {
    const at = course.questions.findIndex((q) => q.id === drawn.questionId);
    const q = course.questions[at]!;
    const answer = pattern[at] === 1 ? rightAnswer(q) : wrongAnswer(q);
    const picked = answer.choiceIds.map((id) => tokens[i]![drawn.choiceIds.indexOf(id)]!);
    if (answer.verdict) form[`verdicts[${questionKey(i)}]`] = answer.verdict;
    form[`answers[${questionKey(i)}]`] = q.type === 'multiple' ? picked : picked[0]!;
  });
  const res = await learner.session.post(`${base}/attempts/${n}/submit`, form, `${base}/attempts/${n}`);
  expect(res.statusCode).toBe(303);
}

beforeAll(async () => {
  t = await createTestApp({ label: 'item_stats' });
  // Four judgement questions read from the loaded bank (its ids change as the bank is reworked);
  // every attempt draws all four, so each is drawn once per attempt.
  const bank = t.app.courses.get(COURSE_ID)!.questions.filter((q) => !q.recall);
  const types = new Set<string>();
  const four = bank.filter((q) => !types.has(q.type) && types.add(q.type)).slice(0, 4);
  while (four.length < 4) four.push(bank.find((q) => !four.includes(q))!);
  course = addCourseVariant(t.app, STATS_COURSE, { questionsPerAttempt: 4, cooldownMinutes: 0 });
  course.questions = four;
  for (let round = 0; round < 2; round += 1)
    for (const [i, pattern] of PATTERNS.entries()) await sit(pattern, round * 10 + i);
}, 120_000);

afterAll(async () => {
  await t.close();
});

describe('item statistics', () => {
  it('says plainly that there are no statistics before the nightly job ran', async () => {
    const hr = await signIn(t.app, 'hr@demo.test');
    const page = await hr.get(`/hr/courses/${STATS_COURSE}/questions`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('No statistics yet');
  });

  it('counts one summary document per question at the nightly run, with the figures worked by hand', async () => {
    const now = t.clock.now();
    const report = await t.app.services.jobs.runNightly({ now });
    expect(report.ran).toBe(true);
    expect(report.itemStatsAttempts).toBe(10);
    for (const [i, q] of course.questions.entries()) {
      const doc = await t.app.db.models.ItemStats.findById(
        itemStatsKey(STATS_COURSE, q.id),
      ).lean<ItemStatsDoc>();
      expect(doc, q.id).not.toBeNull();
      expect(doc!.computedAt).toEqual(now);
      expect(doc!.drawn, q.id).toBe(10);
      expect(doc!.shareCorrect, q.id).toBeCloseTo(EXPECTED[i]!.share, 10);
      expect(doc!.discrimination, q.id).toBeCloseTo(EXPECTED[i]!.r, 10);
      expect(
        doc!.picks.reduce((sum, p) => sum + p.n, 0),
        q.id,
      ).toBeGreaterThanOrEqual(10);
    }
    const q4 = course.questions[3]!;
    const flagged = await t.app.db.models.ItemStats.findById(
      itemStatsKey(STATS_COURSE, q4.id),
    ).lean<ItemStatsDoc>();
    expect(flagged!.flags).toContain('negative-discrimination');
  });

  it('shows HR the table, flagged questions first, each with its file and line', async () => {
    const hr = await signIn(t.app, 'hr@demo.test');
    const page = await hr.get(`/hr/courses/${STATS_COURSE}/questions`);
    expect(page.statusCode).toBe(200);
    const body = page.body;
    expect(body).toMatch(/<caption[^>]*>Questions of /);
    expect(body).toContain('<th scope="col" class="num">Discrimination</th>');
    expect(body).toContain(`datetime="${t.clock.now().toISOString()}"`);
    const order = [...body.matchAll(/data-question="([^"]+)"/g)].map((m) => m[1]);
    expect(order[0]).toBe(course.questions[3]!.id);
    expect(order).toHaveLength(4);
    for (const q of course.questions) expect(body).toContain(`quiz.yaml:${q.source!.line}`);
    expect(body).toContain('Negative discrimination');
    expect(body).toContain('-0.21');

    const csv = await hr.get(`/hr/courses/${STATS_COURSE}/questions.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('question-statistics-item-stats-course');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'question id,source,type,clauses,prompt,drawn,share correct,mean points,discrimination,picks,flags',
    );
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain(`${course.questions[3]!.id},quiz.yaml:${course.questions[3]!.source!.line},`);
    expect(lines[1]).toContain(',10,0.400,0.400,-0.210,');
  });

  it("words question types and verdict picks in the page's language (the CSV keeps English)", async () => {
    const hr = await signIn(t.app, 'hr@demo.test');
    const page = await hr.get(`/hr/courses/${STATS_COURSE}/questions`, { 'accept-language': 'es' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('lang="es"');
    const english = [
      'Single choice',
      'True or false',
      'Multiple response',
      'Classify a post',
      'Spot the problem',
    ];
    // The type is the first thing in each row's meta line (the prompts are the English course's own text).
    const types = [...page.body.matchAll(/<span class="item-meta">([^<·]+) · /g)].map((m) => m[1]!.trim());
    expect(types).toHaveLength(4);
    for (const type of types) expect(english).not.toContain(type);
    expect(page.body).not.toContain('Verdict: ');
    if (course.questions.some((q) => q.type === 'classify')) {
      expect(page.body).toContain('Clasificar una publicación');
      expect(page.body).toContain('Veredicto: No aceptable');
    }
    const csv = await hr.get(`/hr/courses/${STATS_COURSE}/questions.csv`, { 'accept-language': 'es' });
    if (course.questions.some((q) => q.type === 'classify'))
      expect(csv.body).toContain('Verdict: Not acceptable');
  });

  it('is for HR and admins only, and a 404 for an unknown course', async () => {
    const learner = await signIn(t.app, 'employee@demo.test');
    expect((await learner.get(`/hr/courses/${STATS_COURSE}/questions`)).statusCode).toBe(403);
    expect((await learner.get(`/hr/courses/${STATS_COURSE}/questions.csv`)).statusCode).toBe(403);
    const admin = await signIn(t.app, 'admin@demo.test');
    expect((await admin.get(`/hr/courses/${STATS_COURSE}/questions`)).statusCode).toBe(200);
    expect((await admin.get('/hr/courses/no-such-course/questions')).statusCode).toBe(404);
    expect((await admin.get('/hr/courses/no-such-course/questions.csv')).statusCode).toBe(404);
  });

  it('links the page from the HR home', async () => {
    const hr = await signIn(t.app, 'hr@demo.test');
    expect((await hr.get('/hr')).body).toContain(`href="/hr/courses/${COURSE_ID}/questions"`);
  });
});
