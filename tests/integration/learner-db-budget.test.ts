import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { assignmentKey } from '../../src/db/keys.js';
import type { Course } from '../../src/domain/course.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { commandsDuring, type DbCommand, isWrite, monitoredUri } from '../helpers/db-commands.js';
import { answerForm, loadAttempt, newLearner, start } from './quiz-support.js';

/**
 * Upper bounds on the database commands of the learner's hot requests, each by `_id` alone. FerretDB answers about
 * 1,500 `_id` finds a second and serialises writes, so under load every command shows in the
 * response time: a change that adds one should have to raise a bound here, on purpose.
 */
const BUDGET = {
  /** Assignment and progress summary, by `_id`; nothing written. The session comes from the
   * process's session cache (SESSION_CACHE_SECONDS): the learner's previous request put it there.
   * The person's region (issue #22: which jurisdiction notices show) comes with the assignment. */
  repeatLessonView: 2,
  /** Assignment, cycle, attempt 1 with its result, the result insert, the audit event, the
   * attempt marked graded, and for a pass the cycle's passedAt. Clause memory (issue #23): the
   * learner's summary read, and written (the first time with the department read from the
   * assignment: 3 commands; later results 2). */
  submitPass: 11,
  submitFail: 10,
  /** Assignment, cycle, attempt 1 with its result; the attempt insert and its audit event; the
   * cycle marked started and the assignment moved to in-progress, each by a guarded update
   * (neither read again). The person's region (issue #22: no question for another jurisdiction
   * enters the draw) comes with the assignment. */
  startFirstAttempt: 8,
};

let t: TestApp;
let course: Course;

beforeAll(async () => {
  t = await createTestApp({ label: 'learner-db-budget', mongoUri: monitoredUri(inject('mongoUri')) });
  course = t.app.courses.get(COURSE_ID)!;
});
afterAll(async () => t.close());

const lessonUrl = (i: number) => `/learn/${COURSE_ID}/lessons/${course.lessons[i]!.id}`;
const quizUrl = `/learn/${COURSE_ID}/quiz`;
const listed = (commands: DbCommand[]) => commands.join(', ');

describe('database commands per learner request', () => {
  it('a repeat lesson view only reads; going back to an earlier lesson writes once', async () => {
    const { session } = await newLearner(t.app, 'lesson');
    await session.get(lessonUrl(0));
    const scans: string[] = [];
    const repeat = await commandsDuring(t.app, () => session.get(lessonUrl(0)), scans);
    expect(repeat.length, listed(repeat)).toBeLessThanOrEqual(BUDGET.repeatLessonView);
    expect(scans, 'every read by _id alone').toEqual([]);
    expect(repeat.filter(isWrite), listed(repeat)).toEqual([]);

    await session.get(lessonUrl(1));
    const back = await commandsDuring(t.app, () => session.get(lessonUrl(0)));
    expect(back.length, listed(back)).toBeLessThanOrEqual(BUDGET.repeatLessonView + 1);
    expect(back.filter(isWrite), listed(back)).toEqual(['update progress']);
  });

  it('the first page after signing in does not write the session: the login stored its CSRF secret', async () => {
    const { session } = await newLearner(t.app, 'first-page');
    const commands = await commandsDuring(t.app, () => session.get(quizUrl));
    expect(
      commands.filter((c) => c.endsWith(' sessions')),
      listed(commands),
    ).toEqual([]);
  });

  it('starting attempt 1 of a fresh cycle stays within its budget and starts the cycle', async () => {
    const learner = await newLearner(t.app, 'start');
    const csrf = await learner.session.csrf(quizUrl);
    let status = 0;
    const scans: string[] = [];
    const started = await commandsDuring(
      t.app,
      async () => {
        status = (await learner.session.post(`${quizUrl}/attempts`, { _csrf: csrf })).statusCode;
      },
      scans,
    );
    expect(status).toBe(303);
    expect(started.length, listed(started)).toBeLessThanOrEqual(BUDGET.startFirstAttempt);
    expect(scans, 'every read and write by _id alone').toEqual([]);
    const { Assignment, Cycle } = t.app.db.models;
    const cycle = await Cycle.findOne({ userId: learner.id, courseId: COURSE_ID }).lean();
    expect(cycle?.startedAt).toEqual(t.clock.now());
    expect((await Assignment.findById(assignmentKey(learner.id, COURSE_ID)).lean())?.state).toBe(
      'in-progress',
    );
  });

  for (const passing of [true, false]) {
    it(`submitting attempt 1 (${passing ? 'a pass' : 'a fail'}) stays within its budget`, async () => {
      const learner = await newLearner(t.app, passing ? 'pass' : 'fail');
      await learner.session.get(lessonUrl(0));
      expect(await start(learner.session, COURSE_ID)).toBe(1);
      const attempt = await loadAttempt(t.app, learner.id, COURSE_ID, 1);
      const form = {
        ...answerForm(course, attempt, passing ? Number.POSITIVE_INFINITY : 0),
        _csrf: await learner.session.csrf(`${quizUrl}/attempts/1`),
      };
      let status = 0;
      const scans: string[] = [];
      const submit = await commandsDuring(
        t.app,
        async () => {
          status = (await learner.session.post(`${quizUrl}/attempts/1/submit`, form)).statusCode;
        },
        scans,
      );
      expect(status).toBe(303);
      expect(scans, 'every read and write by _id alone').toEqual([]);
      const budget = passing ? BUDGET.submitPass : BUDGET.submitFail;
      expect(submit.length, listed(submit)).toBeLessThanOrEqual(budget);
      // The cycle cannot be complete without an attestation, so no lesson is read.
      expect(
        submit.filter((c) => c.endsWith(' lesson_views')),
        listed(submit),
      ).toEqual([]);

      const result = await t.app.db.models.AttemptResult.findById(attempt._id).lean();
      expect(result?.passed).toBe(passing);
      const cycle = await t.app.db.models.Cycle.findById(attempt.cycleId).lean();
      expect(cycle?.passedAt ?? null).toEqual(passing ? result?.submittedAt : null);
      expect((await t.app.db.models.Attempt.findById(attempt._id).lean())?.status).toBe('graded');
    });
  }
});
