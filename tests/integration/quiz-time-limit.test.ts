import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Course } from '../../src/domain/course.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import {
  addCourseVariant,
  answerForm,
  attemptId,
  firstAnswers,
  loadAttempt,
  newLearner,
  start,
} from './quiz-support.js';

const COURSE = 'timed-quiz';
const base = `/learn/${COURSE}/quiz`;
let t: TestApp;
let course: Course;
beforeAll(async () => {
  t = await createTestApp({ label: 'quiz-time-limit' });
  course = addCourseVariant(t.app, COURSE, { timeLimitMinutes: 10 });
});
afterAll(async () => t.close());

const MINUTE = 60_000;

async function setUp(label: string) {
  const learner = await newLearner(t.app, label);
  const startedAt = t.clock.now();
  await start(learner.session, COURSE);
  const attempt = await loadAttempt(t.app, learner.id, COURSE, 1);
  return { ...learner, attempt, startedAt, deadline: new Date(startedAt.getTime() + 10 * MINUTE) };
}

const result = (userId: string) =>
  t.app.db.models.AttemptResult.findById(attemptId(userId, COURSE, 1)).lean();

describe('the time limit', () => {
  it('stores the deadline and shows it on the attempt page', async () => {
    const { attempt, deadline, session } = await setUp('deadline');
    expect(attempt.deadline).toEqual(deadline);
    const page = await session.get(`${base}/attempts/1`);
    expect(page.body).toContain(`datetime="${deadline.toISOString()}"`);
    expect((await session.get(base)).body).toContain('time limit of 10 minutes');
  });

  it('grades an abandoned attempt with its saved answers, as submitted at the limit', async () => {
    const { id, session, attempt, deadline } = await setUp('abandoned');
    t.clock.advanceMinutes(5);
    await session.post(`${base}/attempts/1/answers`, answerForm(course, attempt), `${base}/attempts/1`);
    t.clock.advanceMinutes(25);
    const intro = await session.get(base);
    expect(intro.body).toContain('You passed the quiz');
    expect(await result(id)).toMatchObject({ submittedAt: deadline, timedOut: true, score: 100 });
    const page = await session.get(`${base}/attempts/1/result`);
    expect(page.body).toContain('The time limit was reached');
  });

  it('records answers sent just after the limit as submitted at the limit', async () => {
    const { id, session, attempt, deadline } = await setUp('just-late');
    t.clock.set(new Date(deadline.getTime() + 30_000));
    const res = await session.post(
      `${base}/attempts/1/submit`,
      answerForm(course, attempt),
      `${base}/attempts/1`,
    );
    expect(res.statusCode).toBe(303);
    expect(await result(id)).toMatchObject({
      submittedAt: deadline,
      receivedAt: t.clock.now(),
      score: 100,
      timedOut: true,
    });
  });

  it('ignores answers that arrive long after the limit and grades what was saved in time', async () => {
    const { id, session, attempt, deadline } = await setUp('very-late');
    const firstTwo = firstAnswers(answerForm(course, attempt), 2);
    await session.post(`${base}/attempts/1/answers`, firstTwo, `${base}/attempts/1`);
    t.clock.set(new Date(deadline.getTime() + 10 * MINUTE));
    // The page would close the attempt itself; post directly to model a form left open in a tab.
    const csrf = await session.csrf('/');
    const res = await session.post(`${base}/attempts/1/submit`, {
      ...answerForm(course, attempt),
      _csrf: csrf,
    });
    expect(res.statusCode).toBe(303);
    const graded = await result(id);
    expect(graded).toMatchObject({ submittedAt: deadline, timedOut: true });
    expect(Object.keys(graded!.answers).sort()).toEqual(
      attempt.draw
        .slice(0, 2)
        .map((d) => d.questionId)
        .sort(),
    );
    expect(graded!.score).toBeCloseTo((2 / attempt.draw.length) * 100, 0);
  });

  it('closes the attempt when answers are saved after the limit', async () => {
    const { id, session, attempt, deadline } = await setUp('save-late');
    t.clock.set(new Date(deadline.getTime() + 5 * MINUTE));
    const csrf = await session.csrf('/');
    const res = await session.post(`${base}/attempts/1/answers`, {
      ...answerForm(course, attempt),
      _csrf: csrf,
    });
    expect(res.headers.location).toBe(`${base}/attempts/1/result`);
    expect(await result(id)).toMatchObject({ submittedAt: deadline, score: 0 });
  });
});
