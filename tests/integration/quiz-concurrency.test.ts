import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleKey } from '../../src/db/keys.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { answerForm, attemptId, loadAttempt, newLearner, start } from './quiz-support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ label: 'quiz-concurrency' });
});
afterAll(async () => t.close());

const base = `/learn/${COURSE_ID}/quiz`;

describe('exactly-once under concurrency', () => {
  it('grades 20 concurrent submissions of one attempt exactly once', async () => {
    const { id, session } = await newLearner(t.app, 'double');
    const course = t.app.courses.get(COURSE_ID)!;
    await start(session, COURSE_ID);
    const attempt = await loadAttempt(t.app, id, COURSE_ID, 1);
    const csrf = await session.csrf(`${base}/attempts/1`);
    // Half send right answers, half wrong: whichever wins, every response must show that one result.
    const forms = Array.from({ length: 20 }, (_, i) => ({
      ...answerForm(course, attempt, i % 2 ? 0 : 99),
      _csrf: csrf,
    }));
    const responses = await Promise.all(forms.map((form) => session.post(`${base}/attempts/1/submit`, form)));
    for (const res of responses) {
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`${base}/attempts/1/result`);
    }
    const results = await t.app.db.models.AttemptResult.find({ cycleId: cycleKey(id, COURSE_ID, 1) }).lean();
    expect(results).toHaveLength(1);
    const submitted = await t.app.db.models.AuditEvent.countDocuments({
      action: 'attempt.submitted',
      subjectId: id,
    });
    expect(submitted).toBe(1);
    const cycle = await t.app.db.models.Cycle.findById(cycleKey(id, COURSE_ID, 1)).lean();
    expect(cycle?.passedAt !== null).toBe(results[0]!.passed);
  });

  it('turns a concurrent double start into one attempt', async () => {
    const { id, session } = await newLearner(t.app, 'double-start');
    const csrf = await session.csrf(base);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => session.post(`${base}/attempts`, { _csrf: csrf })),
    );
    for (const res of responses) expect(res.headers.location).toBe(`${base}/attempts/1`);
    expect(await t.app.db.models.Attempt.findById(attemptId(id, COURSE_ID, 2)).lean()).toBeNull();
    const started = await t.app.db.models.AuditEvent.countDocuments({
      action: 'attempt.started',
      subjectId: id,
    });
    expect(started).toBe(1);
  });
});
