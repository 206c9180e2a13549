import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleKey } from '../../src/db/keys.js';
import type { OutboxDoc } from '../../src/db/models/hr.js';
import type { Course } from '../../src/domain/course.js';
import { outboxMailer } from '../../src/mail/transport.js';
import { defaultSettings } from '../../src/services/assignments/course-settings.js';
import { runSweep } from '../../src/services/jobs/sweep/index.js';
import { buildAssignment, buildCycle, COURSE_ID } from '../factories.js';
import { createTestApp, createUser, type TestApp } from '../helpers/app.js';

/** Spaced refreshers between cycles (issue #23): the sweep's one e-mail per learner per period. */

let t: TestApp;
let course: Course;
const completedAt = new Date('2026-01-10T15:30:00Z');

beforeAll(async () => {
  t = await createTestApp({ label: 'mastery-spaced', seed: false });
  course = t.app.courses.get(COURSE_ID)!;
});
afterAll(async () => t.close());

async function sweep(at: string) {
  const deps = {
    models: t.app.db.models,
    courses: t.app.courses,
    catalogue: t.app.catalogue,
    mailer: outboxMailer(t.app.db.models),
    audit: t.app.audit,
    baseUrl: t.config.BASE_URL,
  };
  return runSweep(deps, { now: new Date(at) });
}

async function setSpaced(everyMonths: number) {
  await t.app.db.models.CourseSettings.deleteOne({ _id: COURSE_ID });
  await t.app.db.models.CourseSettings.create({
    ...defaultSettings(course, completedAt),
    spacedEveryMonths: everyMonths,
  });
}

let seq = 0;
/** A learner who completed cycle 1 on 10 January, knowing every clause but one they got wrong. */
async function completedLearner(weakClause: string) {
  seq += 1;
  const person = await createUser(t.app, { email: `spaced-${seq}@example.com`, name: `Spaced ${seq}` });
  const a = buildAssignment(
    { ...person, _id: person._id },
    { state: 'completed', completedAt, expiresAt: new Date('2027-01-10T00:00:00Z'), dueAt: null },
  );
  await t.app.db.models.Assignment.create(a);
  await t.app.db.models.Cycle.create(
    buildCycle(a, 1, { completedAt, expiresAt: a.expiresAt, startedAt: new Date('2026-01-09T10:00:00Z') }),
  );
  const reviews = course.clauses.map((c) => ({
    eventId: `attempt:${cycleKey(person._id, COURSE_ID, 1)}:1`,
    clauseId: c.id,
    at: completedAt,
    score: c.id === weakClause ? 0 : 1,
    source: 'quiz' as const,
  }));
  await t.app.services.learning.recordClauseReviews({
    userId: person._id,
    courseId: COURSE_ID,
    eventId: reviews[0]!.eventId,
    reviews,
    now: completedAt,
  });
  return person;
}

const spacedMail = (email: string) =>
  t.app.db.models.Outbox.find({ to: email, kind: 'spaced' }).sort({ createdAt: 1 }).lean<OutboxDoc[]>();

describe('spaced refresher sweep', () => {
  it('sends one e-mail per learner per period, exactly once, naming the weakest clause first', async () => {
    await setSpaced(3);
    const weak = course.clauses[4]!;
    const learner = await completedLearner(weak.id);

    await sweep('2026-04-09T20:00:00Z');
    expect(await spacedMail(learner.email)).toHaveLength(0);

    await sweep('2026-04-10T06:00:00Z');
    await sweep('2026-04-10T06:15:00Z');
    await sweep('2026-04-11T06:00:00Z');
    const first = await spacedMail(learner.email);
    expect(first).toHaveLength(1);
    expect(first[0]!.text).toContain(`${t.config.BASE_URL}/learn/${COURSE_ID}/practice`);
    expect(first[0]!.text).toContain(`This time: ${weak.title};`);
    expect(first[0]!.subject).toContain(course.title);

    await sweep('2026-07-10T06:00:00Z');
    await sweep('2026-07-10T09:00:00Z');
    expect(await spacedMail(learner.email)).toHaveLength(2);
  });

  it('sends nothing when the course has no spaced refreshers', async () => {
    await setSpaced(0);
    const learner = await completedLearner(course.clauses[0]!.id);
    await sweep('2026-04-10T06:00:00Z');
    await sweep('2026-07-10T06:00:00Z');
    expect(await spacedMail(learner.email)).toHaveLength(0);
  });
});
