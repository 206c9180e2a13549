import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptDoc } from '../../src/db/models/quiz.js';
import type { Course } from '../../src/domain/course.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { answerForm, loadAttempt, newLearner, start } from './quiz-support.js';

let t: TestApp;
let session: Session;
let learnerId: string;
let course: Course;
let attempt: AttemptDoc;
const base = `/learn/${COURSE_ID}/quiz/attempts/1`;

beforeAll(async () => {
  t = await createTestApp({ label: 'quiz-bad-input' });
  const learner = await newLearner(t.app, 'bad');
  session = learner.session;
  learnerId = learner.id;
  course = t.app.courses.get(COURSE_ID)!;
  await start(session, COURSE_ID);
  attempt = await loadAttempt(t.app, learnerId, COURSE_ID, 1);
});
afterAll(async () => t.close());

/** Posts a raw urlencoded body (so keys like `answers[q][$gt]` arrive exactly as written). */
async function postRaw(path: string, body: string, headers: Record<string, string> = {}) {
  const csrf = await session.csrf(base);
  return session.request({
    method: 'POST',
    url: `${base}/${path}`,
    payload: `${body}&_csrf=${encodeURIComponent(csrf)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
}

async function expectNothingChanged(before: AttemptDoc) {
  expect(await loadAttempt(t.app, learnerId, COURSE_ID, 1)).toEqual(before);
  expect(await t.app.db.models.AttemptResult.countDocuments({})).toBe(0);
}

describe('bad answer input changes nothing', () => {
  it('refuses a submit with a missing answer, naming the question, with the given answers kept on the page', async () => {
    const before = await loadAttempt(t.app, learnerId, COURSE_ID, 1);
    const form = answerForm(course, attempt);
    delete form['answers[q4]'];
    delete form['verdicts[q4]'];
    const res = await session.post(`${base}/submit`, form, base);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Answer question 4');
    expect(res.body).toContain('id="q4" aria-describedby="q4-error');
    expect(res.body.match(/ checked/g)?.length).toBeGreaterThan(5);
    await expectNothingChanged(before);
  });

  it('answers 400 for each kind of tampered field', async () => {
    const before = await loadAttempt(t.app, learnerId, COURSE_ID, 1);
    const position = (types: string[]) =>
      attempt.draw.findIndex((d) =>
        types.includes(course.questions.find((q) => q.id === d.questionId)!.type),
      );
    const s = position(['single', 'truefalse', 'spot']);
    const key = `q${s + 1}`;
    const q1 = encodeURIComponent(`answers[${key}]`);
    const outOfRange = String(attempt.draw[s]!.choiceIds.length + 1);
    const cases: Array<[string, string]> = [
      ['operator injection', `${encodeURIComponent(`answers[${key}][$gt]`)}=`],
      ['operator injection, unencoded', `answers[${key}][$gt]=1`],
      ['an option id from another question', `${q1}=${outOfRange}`],
      ['a raw option id instead of a choice', `${q1}=a`],
      ['a question not in the draw', `${encodeURIComponent(`answers[q${attempt.draw.length + 1}]`)}=1`],
      [
        'a course question id in place of the form key',
        `${encodeURIComponent(`answers[${attempt.draw[s]!.questionId}]`)}=1`,
      ],
      ['an array where one value is expected', `${q1}=1&${q1}=2`],
      ['an unknown field', 'score=100'],
      ['a verdict on a non-classify question', `${encodeURIComponent(`verdicts[${key}]`)}=acceptable`],
      ['an unknown verdict', `${encodeURIComponent(`verdicts[${key}]`)}=maybe`],
      ['a prototype key', `${encodeURIComponent('__proto__[x]')}=1`],
    ];
    const c = position(['classify']);
    if (c >= 0) {
      const v = encodeURIComponent(`verdicts[q${c + 1}]`);
      cases.push(['two verdicts', `${v}=acceptable&${v}=unacceptable`]);
    }
    for (const path of ['answers', 'submit']) {
      for (const [label, body] of cases) {
        const res = await postRaw(path, body);
        expect(res.statusCode, `${path}: ${label}`).toBe(400);
        expect(res.body, label).not.toMatch(/at .*\.ts:\d+/);
      }
    }
    await expectNothingChanged(before);
  });

  it('names the problem in the message', async () => {
    const res = await postRaw('answers', `${encodeURIComponent('answers[q99]')}=1`);
    expect(res.body).toContain('Question &quot;q99&quot; is not part of this attempt.');
  });

  it('names the problem in the page language', async () => {
    const field = `${encodeURIComponent('answers[q99]')}=1`;
    const es = await postRaw('answers', field, { 'accept-language': 'es' });
    expect(es.statusCode).toBe(400);
    expect(es.body).toContain('La pregunta &quot;q99&quot; no forma parte de este intento.');
    const de = await postRaw('answers', field, { 'accept-language': 'de' });
    expect(de.body).toContain('Die Frage „q99&quot; gehört nicht zu diesem Versuch.');
  });

  it('answers 413 for a 1 MB body and writes nothing', async () => {
    const before = await loadAttempt(t.app, learnerId, COURSE_ID, 1);
    const res = await postRaw('answers', `${encodeURIComponent('answers[q1]')}=${'1'.repeat(1024 * 1024)}`);
    expect(res.statusCode).toBe(413);
    await expectNothingChanged(before);
  });

  it('answers 400 for a malformed attempt number and 403 without a CSRF token', async () => {
    expect((await session.get(`/learn/${COURSE_ID}/quiz/attempts/abc`)).statusCode).toBe(400);
    expect((await session.get(`/learn/${COURSE_ID}/quiz/attempts/0`)).statusCode).toBe(400);
    const before = await loadAttempt(t.app, learnerId, COURSE_ID, 1);
    const res = await session.post(`${base}/answers`, { ...answerForm(course, attempt), _csrf: null });
    expect(res.statusCode).toBe(403);
    await expectNothingChanged(before);
  });

  it('still accepts a valid save afterwards', async () => {
    const res = await session.post(`${base}/answers`, answerForm(course, attempt), base);
    expect(res.statusCode).toBe(303);
    const saved = await loadAttempt(t.app, learnerId, COURSE_ID, 1);
    expect(Object.keys(saved.answers)).toHaveLength(attempt.draw.length);
  });
});
