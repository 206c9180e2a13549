import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptKey, clauseMemoryKey, cycleKey } from '../../src/db/keys.js';
import type { ClauseMemoryDoc } from '../../src/db/models/mastery.js';
import type { AttemptResultDoc } from '../../src/db/models/quiz.js';
import type { Course, ExamplePost } from '../../src/domain/course.js';
import { memoryFrom, recall } from '../../src/domain/mastery/memory.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { answerForm, loadAttempt, newLearner, start } from './quiz-support.js';

/** Clause memory (issue #23) through the real stack: quiz results and example answers feed it once. */

let t: TestApp;
let course: Course;

beforeAll(async () => {
  t = await createTestApp({ label: 'mastery-memory', seed: false });
  course = t.app.courses.get(COURSE_ID)!;
});
afterAll(async () => t.close());

const base = `/learn/${COURSE_ID}`;
const memoryDoc = (userId: string) =>
  t.app.db.models.ClauseMemory.findById(clauseMemoryKey(userId, COURSE_ID)).lean<ClauseMemoryDoc>();

async function classify(session: Session, example: ExamplePost, answer: string): Promise<void> {
  const res = await session.post(
    `${base}/examples/${example.id}/classify`,
    { answer },
    `${base}/examples/${example.id}`,
  );
  expect(res.statusCode).toBeLessThan(400);
}

async function passQuiz(session: Session, userId: string): Promise<AttemptResultDoc> {
  await start(session, COURSE_ID);
  const attempt = await loadAttempt(t.app, userId, COURSE_ID, 1);
  const res = await session.post(
    `${base}/quiz/attempts/1/submit`,
    answerForm(course, attempt),
    `${base}/quiz/attempts/1`,
  );
  expect(res.statusCode).toBe(303);
  const result = await t.app.db.models.AttemptResult.findById(
    attemptKey(cycleKey(userId, COURSE_ID, 1), 1),
  ).lean<AttemptResultDoc>();
  if (!result) throw new Error('no result');
  return result;
}

describe('clause memory from graded answers', () => {
  it('a learner who judges examples and passes the quiz has memory of exactly those clauses', async () => {
    const { id, session } = await newLearner(t.app, 'memory');
    const [right, wrong] = [course.examples[0]!, course.examples[1]!];
    await classify(session, right, right.verdict);
    t.clock.advanceMinutes(3);
    await classify(session, wrong, wrong.verdict === 'acceptable' ? 'unacceptable' : 'acceptable');
    t.clock.advanceMinutes(10);
    const result = await passQuiz(session, id);

    const doc = await memoryDoc(id);
    expect(doc).not.toBeNull();
    const expected = new Set([...right.clauses, ...wrong.clauses, ...Object.keys(result.clauses)]);
    expect(Object.keys(doc!.clauses).sort()).toEqual([...expected].sort());
    expect(doc!.applied).toHaveLength(3);
    expect(doc!.applied).toContain(`attempt:${result._id}`);
    const now = t.clock.now();
    for (const clauseId of Object.keys(result.clauses)) {
      expect(recall(doc!.clauses[clauseId], now)).toBeGreaterThan(0.9);
    }
    // A clause only the wrong example was about is a lapse-level memory, not a pass.
    const onlyWrong = wrong.clauses.filter((c) => !right.clauses.includes(c) && !(c in result.clauses));
    for (const c of onlyWrong) expect(doc!.clauses[c]!.reps).toBe(1);
  });

  it('a replayed result or a second answer to the same example in the cycle is not counted twice', async () => {
    const { id, session } = await newLearner(t.app, 'replay');
    const example = course.examples[2]!;
    await classify(session, example, example.verdict);
    const result = await passQuiz(session, id);
    const before = await memoryDoc(id);

    t.clock.advanceMinutes(5);
    await classify(session, example, example.verdict);
    expect(await t.app.services.learning.recordQuizResult({ result, now: t.clock.now() })).toBe(false);
    const after = await memoryDoc(id);
    expect(after!.clauses).toEqual(before!.clauses);
    expect(after!.applied).toEqual(before!.applied);
  });

  it('rebuilding from the stored history gives the memory kept incrementally', async () => {
    const { id, session } = await newLearner(t.app, 'rebuild');
    for (const [i, e] of course.examples.slice(0, 4).entries()) {
      await classify(
        session,
        e,
        i % 2 ? e.verdict : e.verdict === 'acceptable' ? 'unacceptable' : 'acceptable',
      );
      t.clock.advanceMinutes(2);
    }
    await passQuiz(session, id);
    const incremental = await memoryDoc(id);

    await t.app.db.models.ClauseMemory.deleteOne({ _id: clauseMemoryKey(id, COURSE_ID) });
    const rebuilt = await t.app.services.learning.rebuildClauseMemory({
      userId: id,
      course,
      now: t.clock.now(),
    });
    expect(rebuilt).toEqual(incremental!.clauses);
    const stored = await memoryDoc(id);
    expect(stored!.clauses).toEqual(incremental!.clauses);
    expect([...stored!.applied].sort()).toEqual([...incremental!.applied].sort());

    const history = await t.app.services.learning.clauseHistory({ userId: id, course });
    expect(memoryFrom(history)).toEqual(incremental!.clauses);
  });

  it('the same result delivered several times at once is counted once', async () => {
    const { id, session } = await newLearner(t.app, 'concurrent');
    const result = await passQuiz(session, id);
    await t.app.db.models.ClauseMemory.deleteOne({ _id: clauseMemoryKey(id, COURSE_ID) });
    const now = t.clock.now();
    const applied = await Promise.all(
      [1, 2, 3, 4].map(() => t.app.services.learning.recordQuizResult({ result, now })),
    );
    expect(applied.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    const doc = await memoryDoc(id);
    expect(doc!.applied).toEqual([`attempt:${result._id}`]);
    for (const card of Object.values(doc!.clauses)) expect(card.reps).toBe(1);
  });
});
