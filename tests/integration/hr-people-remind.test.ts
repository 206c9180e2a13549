import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAssignment, buildPerson, COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { sweepAt } from '../helpers/jobs.js';

/** HR's "remind now" from the people list (issue #28): which course, whom, and which reminder. */
let t: TestApp;
let hr: Session;
const SECOND = 'remind-second-course';
const NOW = '2026-03-02T09:00:00Z';
const old = new Date('2026-01-05T00:00:00Z');
const twoCourses = buildPerson({ name: 'Remind Two', department: 'Remind Two' });
const gone = buildPerson({ name: 'Remind Gone', department: 'Remind Mixed', active: false });
const here = buildPerson({ name: 'Remind Here', department: 'Remind Mixed' });
const dueToday = buildPerson({ name: 'Remind Today', department: 'Remind Today' });

/** Starts a bulk action from the list and returns the job's page. */
async function startBulk(form: Record<string, string | string[]>) {
  const res = await hr.post('/hr/people/bulk', form, '/hr/people');
  expect(res.statusCode).toBe(303);
  return res.headers.location as string;
}

/** What the confirm form sends as it stands: the checked course radio, if any. */
function defaults(html: string): Record<string, string> {
  const checked = [...html.matchAll(/<input[^>]*>/g)]
    .map((m) => m[0])
    .find((tag) => tag.includes('name="courseId"') && /\bchecked\b/.test(tag));
  const value = checked && /value="([^"]*)"/.exec(checked)?.[1];
  return value === undefined ? {} : { courseId: value };
}

const mailsTo = (email: string) => t.app.db.models.Outbox.countDocuments({ to: email });

beforeAll(async () => {
  t = await createTestApp({ label: 'hr-people-remind' });
  t.clock.set(NOW);
  const base = t.app.courses.get(COURSE_ID)!;
  t.app.courses.set(SECOND, { ...base, id: SECOND, title: 'Remind second course' });
  const { Assignment, User } = t.app.db.models;
  await User.insertMany([twoCourses, gone, here, dueToday]);
  await Assignment.insertMany([
    buildAssignment(twoCourses, { state: 'overdue', assignedAt: old }),
    buildAssignment(twoCourses, { courseId: SECOND, state: 'overdue', assignedAt: old }),
    // No copy of the person on the assignment: the mail reads the person, who has left.
    buildAssignment(gone, { state: 'overdue', assignedAt: old, email: '' }),
    buildAssignment(here, { state: 'overdue', assignedAt: old }),
    buildAssignment(dueToday, {
      state: 'due-soon',
      assignedAt: old,
      dueAt: new Date('2026-03-02T00:00:00Z'),
    }),
  ]);
  hr = await loginAs(t.app, 'hr@demo.test');
});
afterAll(async () => t.close());

describe('remind now', () => {
  it('defaults to the course the list is filtered by', async () => {
    const job = await startBulk({
      action: 'remind',
      department: 'Remind Two',
      course: SECOND,
      state: 'overdue',
    });
    const preview = await hr.get(job);
    expect(preview.body).toContain('This will send a reminder now for 1 person');
    expect((await hr.post(job, defaults(preview.body), job)).statusCode).toBe(303);
    expect(await mailsTo(twoCourses.email)).toBe(1);
    const claimed = await t.app.db.models.Reminder.find({ userId: twoCourses._id }).lean();
    expect(claimed.map((r) => r.courseId)).toEqual([SECOND]);
  });

  it('counts and audits only the people actually mailed', async () => {
    const job = await startBulk({ action: 'remind', ids: [gone._id, here._id], course: COURSE_ID });
    const preview = await hr.get(job);
    await hr.post(job, defaults(preview.body), job);
    expect(await mailsTo(here.email)).toBe(1);
    expect(await mailsTo(gone.email)).toBe(0);
    const events = await t.app.db.models.AuditEvent.find({ action: 'reminder.sent' }).lean<
      { subjectId: string }[]
    >();
    expect(events.map((e) => e.subjectId)).toContain(here._id);
    expect(events.map((e) => e.subjectId)).not.toContain(gone._id);
    expect(await t.app.db.models.Reminder.countDocuments({ userId: gone._id })).toBe(0);
    expect((await hr.get(job)).body).toContain('1 reminded; 1 already reminded');
  });

  it('on the due day sends the reminder the sweep would, so the sweep sends no second one', async () => {
    const job = await startBulk({ action: 'remind', department: 'Remind Today' });
    const preview = await hr.get(job);
    await hr.post(job, defaults(preview.body), job);
    expect(await mailsTo(dueToday.email)).toBe(1);
    await sweepAt(t, NOW);
    expect(await mailsTo(dueToday.email)).toBe(1);
  });
});
