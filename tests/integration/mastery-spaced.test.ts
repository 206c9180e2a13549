import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clauseMemoryKey, cycleKey, practiceSessionKey } from '../../src/db/keys.js';
import type { OutboxDoc } from '../../src/db/models/hr.js';
import type { ClauseMemoryDoc } from '../../src/db/models/mastery.js';
import type { PracticeSessionDoc } from '../../src/db/models/practice.js';
import type { Course } from '../../src/domain/course.js';
import { defaultSettings } from '../../src/services/assignments/course-settings.js';
import { buildAssignment, buildCycle, COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type TestApp } from '../helpers/app.js';
import { courseSettingsForm } from '../helpers/course-settings-form.js';
import { sweepAt } from '../helpers/jobs.js';

/** Spaced refreshers between cycles (issue #23): the sweep's one e-mail per learner per period. */

let t: TestApp;
let course: Course;
const completedAt = new Date('2026-01-10T15:30:00Z');

beforeAll(async () => {
  t = await createTestApp({ label: 'mastery-spaced', seed: false });
  course = t.app.courses.get(COURSE_ID)!;
});
afterAll(async () => t.close());

const sweep = (at: string) => sweepAt(t, at);

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

/** HTML entities back to text. */
const text = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The right form for the item on the page: the example's verdict, or the shown positions of the right options. */
function rightAnswer(
  html: string,
  session: PracticeSessionDoc,
  index: number,
): Record<string, string | string[]> {
  const item = session.items[index]!;
  if (item.kind === 'example') return { answer: course.examples.find((e) => e.id === item.id)!.verdict };
  const q = course.questions.find((x) => x.id === item.id)!;
  if (!('options' in q)) throw new Error('not a choice question');
  const shown = [...text(html).matchAll(/name="choice" value="(\d+)">\s*<label[^>]*>([^<]*)<\/label>/g)];
  const right = shown
    .filter(([, , label]) => q.options.find((o) => o.text === label)?.correct)
    .map(([, v]) => v!);
  return { choice: right.length === 1 ? right[0]! : right };
}

describe('the practice page', () => {
  beforeAll(async () => setSpaced(3));

  it('asks the most-due clauses one item at a time, checks each answer on the server, and feeds memory once', async () => {
    const weak = course.clauses[2]!;
    const learner = await completedLearner(weak.id);
    t.clock.set('2026-04-10T08:00:00Z');
    const session = await loginAs(t.app, learner.email);
    const url = `/learn/${COURSE_ID}/practice`;

    const first = await session.get(url);
    expect(first.statusCode).toBe(200);
    const practice = await t.app.db.models.PracticeSession.findById(
      practiceSessionKey(learner._id, COURSE_ID, '2026-04-10'),
    ).lean<PracticeSessionDoc>();
    expect(practice!.clauses).toHaveLength(3);
    expect(practice!.clauses[0]).toBe(weak.id);
    expect(practice!.items.length).toBeGreaterThanOrEqual(3);
    expect(first.body).toContain(`Item 1 of ${practice!.items.length}`);
    // Nothing of the answer before the learner answers.
    const item0 = practice!.items[0]!;
    const example0 = course.examples.find((e) => e.id === item0.id);
    if (item0.kind === 'example') expect(text(first.body)).not.toContain(example0!.reasons[0]!);
    expect(first.body).not.toContain('Correct');

    const memoryBefore = await t.app.db.models.ClauseMemory.findById(
      clauseMemoryKey(learner._id, COURSE_ID),
    ).lean<ClauseMemoryDoc>();
    let page = first.body;
    for (let i = 0; i < practice!.items.length; i += 1) {
      const res = await session.post(`${url}/${i + 1}`, rightAnswer(page, practice!, i), url);
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      expect(res.body).toContain('Correct');
      page = (await session.get(url)).body;
    }
    expect(text(page)).toContain("You have finished today's practice");

    const memory = await t.app.db.models.ClauseMemory.findById(
      clauseMemoryKey(learner._id, COURSE_ID),
    ).lean<ClauseMemoryDoc>();
    expect(memory!.applied.length).toBe(memoryBefore!.applied.length + practice!.items.length);
    expect(memory!.clauses[weak.id]!.reps).toBeGreaterThan(memoryBefore!.clauses[weak.id]!.reps);

    // Answering an item again changes nothing: the first answer counts.
    const again = await session.post(`${url}/1`, rightAnswer(first.body, practice!, 0), url);
    expect(again.body).toContain('your first answer is the one that counts');
    const after = await t.app.db.models.ClauseMemory.findById(
      clauseMemoryKey(learner._id, COURSE_ID),
    ).lean<ClauseMemoryDoc>();
    expect(after!.applied).toEqual(memory!.applied);
  });

  it('a wrong answer is marked wrong with the reason, and an empty answer asks again', async () => {
    const learner = await completedLearner(course.clauses[0]!.id);
    t.clock.set('2026-04-10T08:00:00Z');
    const session = await loginAs(t.app, learner.email);
    const url = `/learn/${COURSE_ID}/practice`;
    await session.get(url);
    const empty = await session.post(`${url}/1`, {}, url);
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Choose an answer, then check it.');
    const practice = await t.app.db.models.PracticeSession.findById(
      practiceSessionKey(learner._id, COURSE_ID, '2026-04-10'),
    ).lean<PracticeSessionDoc>();
    const item = practice!.items[0]!;
    const wrong: Record<string, string> =
      item.kind === 'example'
        ? {
            answer:
              course.examples.find((e) => e.id === item.id)!.verdict === 'acceptable'
                ? 'unacceptable'
                : 'acceptable',
          }
        : { choice: '99' };
    const res = await session.post(`${url}/1`, wrong, url);
    if (item.kind === 'example') {
      expect(res.body).toContain('Not quite');
      expect(text(res.body)).toContain(course.examples.find((e) => e.id === item.id)!.reasons[0]!);
    } else expect(res.statusCode).toBe(400);
    expect((await session.post(`${url}/40`, { answer: 'acceptable' }, url)).statusCode).toBe(404);
  });
});

/** Today's practice session of a learner (the page drew it). */
const practiceOf = (userId: string, day: string) =>
  t.app.db.models.PracticeSession.findById(
    practiceSessionKey(userId, COURSE_ID, day),
  ).lean<PracticeSessionDoc>();

describe('who may practise, and what (review fix 1)', () => {
  const url = `/learn/${COURSE_ID}/practice`;

  it('refuses a learner whose refresher cycle is open, a learner with no assignment, and a course with spaced refreshers off', async () => {
    await setSpaced(3);
    t.clock.set('2026-04-10T08:00:00Z');
    const open = await completedLearner(course.clauses[0]!.id);
    await t.app.db.models.Assignment.updateOne(
      { userId: open._id, courseId: COURSE_ID },
      { $set: { cycleNo: 2, state: 'in-progress', completedAt: null } },
    );
    await t.app.db.models.Cycle.create(
      buildCycle({ userId: open._id, courseId: COURSE_ID }, 2, {
        startedAt: new Date('2026-04-01T00:00:00Z'),
      }),
    );
    const fresh = await createUser(t.app, { email: `spaced-new-${seq}@example.com` });
    const done = await completedLearner(course.clauses[0]!.id);
    for (const who of [open, fresh]) {
      const s = await loginAs(t.app, who.email);
      expect((await s.get(url)).statusCode).toBe(404);
      expect((await s.post(`${url}/1`, { answer: 'acceptable' }, `/learn/${COURSE_ID}`)).statusCode).toBe(
        404,
      );
      expect(await practiceOf(who._id, '2026-04-10')).toBeNull();
    }
    await setSpaced(0);
    const off = await loginAs(t.app, done.email);
    expect((await off.get(url)).statusCode).toBe(404);
    expect(await practiceOf(done._id, '2026-04-10')).toBeNull();
    await setSpaced(3);
    expect((await off.get(url)).statusCode).toBe(200);
  });

  it('never draws a question for another jurisdiction', async () => {
    await setSpaced(3);
    const learner = await completedLearner('SMP-06');
    await t.app.db.models.Assignment.updateOne(
      { userId: learner._id, courseId: COURSE_ID },
      { $set: { region: 'uk' } },
    );
    const s = await loginAs(t.app, learner.email);
    const drawn = new Set<string>();
    for (let d = 0; d < 30; d += 1) {
      const day = new Date(Date.UTC(2026, 3, 10 + d, 8));
      t.clock.set(day.toISOString());
      expect((await s.get(url)).statusCode).toBe(200);
      const p = await practiceOf(learner._id, day.toISOString().slice(0, 10));
      for (const item of p!.items) if (item.kind === 'question') drawn.add(item.id);
    }
    const foreign = course.questions.filter(
      (q) => q.jurisdictions?.length && !q.jurisdictions.includes('uk'),
    );
    expect(foreign.length).toBeGreaterThan(0);
    for (const q of foreign) expect(drawn.has(q.id), q.id).toBe(false);
  });

  it('practises the clauses the e-mail named, even when memory changed since', async () => {
    await setSpaced(3);
    const weak = course.clauses[5]!;
    const learner = await completedLearner(weak.id);
    await sweep('2026-04-10T06:00:00Z');
    const mail = (await spacedMail(learner.email))[0]!;
    const reminder = await t.app.db.models.Reminder.findOne({ userId: learner._id, kind: 'spaced' }).lean();
    const named = (reminder as { clauses?: string[] } | null)?.clauses ?? [];
    expect(named).toHaveLength(3);
    for (const id of named) expect(mail.text).toContain(course.clauses.find((c) => c.id === id)!.title);
    // The weak clause is learnt well after the e-mail: today's memory would pick other clauses.
    const at = new Date('2026-04-10T07:00:00Z');
    for (let i = 0; i < 4; i += 1) {
      const eventId = `attempt:later-${learner._id}-${i}`;
      const reviews = [
        {
          eventId,
          clauseId: weak.id,
          at: new Date(at.getTime() + i * 86_400_000),
          score: 1,
          source: 'quiz' as const,
        },
      ];
      await t.app.services.learning.recordClauseReviews({
        userId: learner._id,
        courseId: COURSE_ID,
        eventId,
        reviews,
        now: at,
      });
    }
    t.clock.set('2026-04-11T09:00:00Z');
    const s = await loginAs(t.app, learner.email);
    expect((await s.get(url)).statusCode).toBe(200);
    expect((await practiceOf(learner._id, '2026-04-11'))!.clauses).toEqual(named);
  });

  it('two sweeps at once send one spaced e-mail', async () => {
    await setSpaced(3);
    const learner = await completedLearner(course.clauses[3]!.id);
    await Promise.all([sweep('2026-04-10T06:00:00Z'), sweep('2026-04-10T06:00:00Z')]);
    expect(await spacedMail(learner.email)).toHaveLength(1);
  });
});

describe("HR's spaced refresher setting", () => {
  const settingsUrl = `/hr/courses/${COURSE_ID}/settings`;
  const form = (spacedEveryMonths: string) => courseSettingsForm({ testOut: 'yes', spacedEveryMonths });

  it('is set per course on the settings page, checked, and the sweep follows it', async () => {
    await setSpaced(0);
    t.clock.set('2026-03-02T09:00:00Z');
    await createUser(t.app, { email: 'hr-spaced@example.com', role: 'hr' });
    const hr = await loginAs(t.app, 'hr-spaced@example.com');
    const page = await hr.get(settingsUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="spacedEveryMonths" type="number" value="0"');

    const bad = await hr.post(settingsUrl, form('13'), settingsUrl);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Spaced refreshers must be a whole number from 0 to 12.');
    expect(bad.body).toContain('value="13"');

    expect((await hr.post(settingsUrl, form('3'), settingsUrl)).statusCode).toBe(303);
    const stored = await t.app.db.models.CourseSettings.findById(COURSE_ID).lean();
    expect(stored!.spacedEveryMonths).toBe(3);
    expect((await hr.get(settingsUrl)).body).toContain('name="spacedEveryMonths" type="number" value="3"');

    const learner = await completedLearner(course.clauses[1]!.id);
    await sweep('2026-04-10T06:00:00Z');
    expect(await spacedMail(learner.email)).toHaveLength(1);

    // A form without the field (older pages, other tests) leaves spaced refreshers off.
    const { spacedEveryMonths: _omit, ...without } = form('3');
    expect((await hr.post(settingsUrl, without, settingsUrl)).statusCode).toBe(303);
    expect((await t.app.db.models.CourseSettings.findById(COURSE_ID).lean())!.spacedEveryMonths).toBe(0);
  });
});

describe('questions seen in practice (for the pre-assessment draw)', () => {
  it('lists the question ids of every practice the learner was shown', async () => {
    await setSpaced(3);
    const learner = await completedLearner(course.clauses[1]!.id);
    t.clock.set('2026-04-12T08:00:00Z');
    const s = await loginAs(t.app, learner.email);
    expect((await s.get(`/learn/${COURSE_ID}/practice`)).statusCode).toBe(200);
    const p = await practiceOf(learner._id, '2026-04-12');
    const seen = await t.app.services.learning.practiceQuestionsSeen({
      userId: learner._id,
      courseId: COURSE_ID,
    });
    expect([...seen].sort()).toEqual(
      p!.items
        .filter((i) => i.kind === 'question')
        .map((i) => i.id)
        .sort(),
    );
    expect(seen.size).toBeGreaterThan(0);
  });
});
