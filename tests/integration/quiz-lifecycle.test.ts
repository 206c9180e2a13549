import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentKey, attemptKey, cycleKey } from '../../src/db/keys.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type TestApp } from '../helpers/app.js';
import { answerForm, firstAnswers, loadAttempt, newLearner, start } from './quiz-support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ label: 'quiz-lifecycle' });
});
afterAll(async () => t.close());

const base = `/learn/${COURSE_ID}/quiz`;

describe('passing the quiz', () => {
  it('starts, grades right answers as a pass, records the cycle and shows the full review', async () => {
    const { id, session } = await newLearner(t.app, 'pass');
    const intro = await session.get(base);
    expect(intro.statusCode).toBe(200);
    expect(intro.body).toContain('Start the quiz');

    const n = await start(session, COURSE_ID);
    expect(n).toBe(1);
    const page = await session.get(`${base}/attempts/1`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');

    const course = t.app.courses.get(COURSE_ID)!;
    const attempt = await loadAttempt(t.app, id, COURSE_ID, 1);
    expect(attempt.draw).toHaveLength(course.quiz.questionsPerAttempt);
    expect(attempt.contentVersion).toBe(course.version);

    const res = await session.post(
      `${base}/attempts/1/submit`,
      answerForm(course, attempt),
      `${base}/attempts/1`,
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${base}/attempts/1/result`);

    const result = await session.get(`${base}/attempts/1/result`);
    expect(result.body).toContain('You passed');
    expect(result.body).toContain('100 %');
    expect(result.body).toContain(`/learn/${COURSE_ID}/attest`);
    expect(result.body).toContain('Review of your answers');

    const cycle = await t.app.db.models.Cycle.findById(cycleKey(id, COURSE_ID, 1)).lean();
    expect(cycle).toMatchObject({ score: 100, passedAttemptId: attemptKey(cycleKey(id, COURSE_ID, 1), 1) });
    expect(cycle?.passedAt).toEqual(t.clock.now());
    const assignment = await t.app.db.models.Assignment.findById(assignmentKey(id, COURSE_ID)).lean();
    expect(assignment?.state).not.toBe('not-started');

    const stored = await t.app.db.models.AttemptResult.findById(
      attemptKey(cycleKey(id, COURSE_ID, 1), 1),
    ).lean();
    expect(stored).toMatchObject({ score: 100, passed: true, passingScore: 80 });
    expect(Object.keys(stored!.clauses).length).toBeGreaterThan(0);

    const events = await t.app.db.models.AuditEvent.find({ subjectId: id, action: /^attempt\./ }).lean();
    expect(events.map((e) => e.action).sort()).toEqual(['attempt.started', 'attempt.submitted']);
    expect(events.find((e) => e.action === 'attempt.submitted')?.details).toMatchObject({
      score: 100,
      passed: true,
    });

    // No new attempt after a pass.
    expect((await session.post(`${base}/attempts`, {}, base)).statusCode).toBe(409);
    expect((await session.get(base)).body).toContain('You passed the quiz');
  });
});

describe('failing, cooldown and the attempt limit', () => {
  it('shows the score and the clauses to revisit, then enforces the cooldown to the minute', async () => {
    const { id, session } = await newLearner(t.app, 'fail');
    const course = t.app.courses.get(COURSE_ID)!;
    await start(session, COURSE_ID);
    const attempt = await loadAttempt(t.app, id, COURSE_ID, 1);
    await session.post(`${base}/attempts/1/submit`, answerForm(course, attempt, 2), `${base}/attempts/1`);

    const result = await session.get(`${base}/attempts/1/result`);
    expect(result.body).toContain('Not passed this time');
    expect(result.body).toContain('Clauses to revisit');
    expect(result.body).toMatch(new RegExp(`/learn/${COURSE_ID}/lessons/[a-z-]+`));
    // scoreAndWeakClauses: no per-question review, no explanations.
    expect(result.body).not.toContain('Review of your answers');
    for (const q of course.questions) expect(result.body).not.toContain(q.explanation.slice(0, 40));

    const submittedAt = t.clock.now();
    const cooldown = await session.get(base);
    expect(cooldown.body).toContain('You can try again in <strong>60 minutes</strong>');
    t.clock.advanceMinutes(59);
    expect((await session.post(`${base}/attempts`, {}, base)).statusCode).toBe(409);
    t.clock.set(new Date(submittedAt.getTime() + 60 * 60_000));
    expect(await start(session, COURSE_ID)).toBe(2);
  });

  it('flags the cycle after the last failed attempt, tells the learner what to do, and HR can grant more', async () => {
    const { id, session } = await newLearner(t.app, 'exhaust');
    const course = t.app.courses.get(COURSE_ID)!;
    for (let n = 1; n <= 3; n++) {
      expect(await start(session, COURSE_ID)).toBe(n);
      const attempt = await loadAttempt(t.app, id, COURSE_ID, n);
      await session.post(
        `${base}/attempts/${n}/submit`,
        answerForm(course, attempt, 0),
        `${base}/attempts/${n}`,
      );
      t.clock.advanceMinutes(61);
    }
    const intro = await session.get(base);
    expect(intro.body).toContain('You have used all 3 attempts without passing');
    expect(intro.body).toContain('contact HR or your manager');
    expect((await session.post(`${base}/attempts`, {}, base)).statusCode).toBe(409);
    // The final failed attempt gets the full review (course default afterFinalFail: full).
    expect((await session.get(`${base}/attempts/3/result`)).body).toContain('Review of your answers');

    const cycleId = cycleKey(id, COURSE_ID, 1);
    expect((await t.app.db.models.Cycle.findById(cycleId).lean())?.exhaustedAt).toBeInstanceOf(Date);

    const hrUrl = `/hr/people/${id}/courses/${COURSE_ID}/attempts`;
    expect((await session.get(hrUrl)).statusCode).toBe(403);
    const hr = await loginAs(t.app, 'hr@demo.test');
    const page = await hr.get(hrUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Flagged');

    const empty = await hr.post(`${hrUrl}/grant`, { count: '2', reason: '  ' }, hrUrl);
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Give a reason for the extra attempts');
    expect((await hr.post(`${hrUrl}/grant`, { count: '9', reason: 'x' }, hrUrl)).statusCode).toBe(400);
    expect((await hr.post(`${hrUrl}/grant`, { count: '1', reason: 'x'.repeat(501) }, hrUrl)).statusCode).toBe(
      400,
    );
    expect((await t.app.db.models.Cycle.findById(cycleId).lean())?.extraAttempts).toBe(0);

    const granted = await hr.post(
      `${hrUrl}/grant`,
      { count: '2', reason: 'Talked it through with their manager' },
      hrUrl,
    );
    expect(granted.statusCode).toBe(303);
    const cycle = await t.app.db.models.Cycle.findById(cycleId).lean();
    expect(cycle).toMatchObject({ extraAttempts: 2, exhaustedAt: null });
    const audit = await t.app.db.models.AuditEvent.findOne({
      action: 'attempts.granted',
      subjectId: id,
    }).lean();
    expect(audit?.details).toMatchObject({ count: 2, extraAttempts: 2 });
    // HR's reason is about one person: kept in the event's erasable personal part (issue #25).
    expect(audit?.personal).toMatchObject({ reason: 'Talked it through with their manager' });
    expect(audit?.details).not.toHaveProperty('reason');
    expect(audit?.actorId).not.toBe(id);

    expect(await start(session, COURSE_ID)).toBe(4);
  });

  it('does not ask for the quiz in an attest-only cycle', async () => {
    const { id, session } = await newLearner(t.app, 'attest-only');
    await session.get(base);
    await t.app.db.models.Cycle.updateOne(
      { _id: cycleKey(id, COURSE_ID, 1) },
      { $set: { requirement: 'attest-only' } },
    );
    expect((await session.get(base)).body).toContain('The quiz is not needed this time');
    expect((await session.post(`${base}/attempts`, {}, base)).statusCode).toBe(409);
  });
});

describe('resume and the back button', () => {
  it('keeps saved answers across a new login and never reopens a graded attempt', async () => {
    const { id, email, session } = await newLearner(t.app, 'resume');
    const course = t.app.courses.get(COURSE_ID)!;
    await start(session, COURSE_ID);
    const attempt = await loadAttempt(t.app, id, COURSE_ID, 1);
    const full = answerForm(course, attempt);
    const firstTwo = firstAnswers(full, 2);
    const saved = await session.post(`${base}/attempts/1/answers`, firstTwo, `${base}/attempts/1`);
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${base}/attempts/1?saved=1`);
    await session.post('/logout');

    expect((await session.get(`${base}/attempts/1`)).statusCode).toBe(302);
    const again = await loginAs(t.app, email);
    const intro = await again.get(base);
    expect(intro.body).toContain('Resume the quiz');
    const page = await again.get(`${base}/attempts/1`);
    const checked = [...page.body.matchAll(/name="(answers|verdicts)\[([^\]]+)\]" value="([^"]+)" checked/g)];
    const expected = Object.entries(firstTwo).flatMap(([k, v]) => [v].flat().map((x) => `${k}=${x}`));
    expect(checked.map((m) => `${m[1]}[${m[2]}]=${m[3]}`).sort()).toEqual(expected.sort());

    await again.post(`${base}/attempts/1/submit`, full, `${base}/attempts/1`);
    const back = await again.get(`${base}/attempts/1`);
    expect(back.statusCode).toBe(303);
    expect(back.headers.location).toBe(`${base}/attempts/1/result`);

    const before = await loadAttempt(t.app, id, COURSE_ID, 1);
    const late = await again.post(`${base}/attempts/1/answers`, firstTwo, base);
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('already been submitted');
    expect(await loadAttempt(t.app, id, COURSE_ID, 1)).toEqual(before);
    // Re-submitting a graded attempt shows the same result.
    const resubmit = await again.post(`${base}/attempts/1/submit`, answerForm(course, attempt, 0), base);
    expect(resubmit.headers.location).toBe(`${base}/attempts/1/result`);
    expect((await t.app.db.models.AttemptResult.findById(before._id).lean())?.score).toBe(100);
  });

  it("answers 404 for attempts that are not the learner's", async () => {
    const owner = await newLearner(t.app, 'owner');
    await start(owner.session, COURSE_ID);
    const other = await newLearner(t.app, 'other');
    expect((await other.session.get(`${base}/attempts/1`)).statusCode).toBe(404);
    expect((await other.session.get(`${base}/attempts/1/result`)).statusCode).toBe(404);
    expect((await owner.session.get(`${base}/attempts/7`)).statusCode).toBe(404);
    expect((await owner.session.get('/learn/no-such-course/quiz')).statusCode).toBe(404);
  });
});

describe('after a result is stored', () => {
  it('repairs the follow-up writes when a crash came between the result insert and them', async () => {
    const { id, session } = await newLearner(t.app, 'crash');
    const course = t.app.courses.get(COURSE_ID)!;
    await start(session, COURSE_ID);
    const attempt = await loadAttempt(t.app, id, COURSE_ID, 1);
    await session.post(`${base}/attempts/1/submit`, answerForm(course, attempt), `${base}/attempts/1`);
    // As if the process died right after the result insert: attempt still open, cycle not passed.
    const { Attempt, AttemptResult, Cycle } = t.app.db.models;
    await Attempt.updateOne({ _id: attempt._id }, { $set: { status: 'open' } });
    await Cycle.updateOne(
      { _id: attempt.cycleId },
      { $set: { passedAt: null, passedAttemptId: null, score: null } },
    );

    expect((await session.get(`${base}/attempts/1/result`)).statusCode).toBe(200);
    const result = await AttemptResult.findById(attempt._id).lean();
    expect((await Attempt.findById(attempt._id).lean())?.status).toBe('graded');
    expect(await Cycle.findById(attempt.cycleId).lean()).toMatchObject({
      passedAt: result?.submittedAt,
      passedAttemptId: attempt._id,
      score: result?.score,
    });
  });

  it('does not flag the cycle as out of attempts when HR granted more while the last one was graded', async () => {
    const { id, session } = await newLearner(t.app, 'grant-race');
    const course = t.app.courses.get(COURSE_ID)!;
    const { Attempt, AttemptResult, Cycle } = t.app.db.models;
    for (let n = 1; n <= course.quiz.maxAttempts; n++) {
      expect(await start(session, COURSE_ID)).toBe(n);
      if (n === course.quiz.maxAttempts) break;
      const attempt = await loadAttempt(t.app, id, COURSE_ID, n);
      await session.post(`${base}/attempts/${n}/submit`, answerForm(course, attempt, 0), base);
      t.clock.advanceMinutes(61);
    }
    const last = await loadAttempt(t.app, id, COURSE_ID, course.quiz.maxAttempts);
    const csrf = await session.csrf(`${base}/attempts/${last.n}`);
    // HR's grant lands after the submit read the cycle and before the result is applied.
    const insertResult = AttemptResult.create.bind(AttemptResult);
    AttemptResult.create = (async (...args: Parameters<typeof insertResult>) => {
      await Cycle.updateOne({ _id: last.cycleId }, { $set: { extraAttempts: 1, exhaustedAt: null } });
      return insertResult(...args);
    }) as typeof AttemptResult.create;
    try {
      const res = await session.post(`${base}/attempts/${last.n}/submit`, {
        ...answerForm(course, last, 0),
        _csrf: csrf,
      });
      expect(res.statusCode).toBe(303);
    } finally {
      AttemptResult.create = insertResult;
    }
    expect(await AttemptResult.findById(last._id).lean()).toMatchObject({ passed: false });
    expect((await Attempt.findById(last._id).lean())?.status).toBe('graded');
    expect(await Cycle.findById(last.cycleId).lean()).toMatchObject({ extraAttempts: 1, exhaustedAt: null });
    t.clock.advanceMinutes(61);
    expect(await start(session, COURSE_ID)).toBe(course.quiz.maxAttempts + 1);
  });
});
