import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminderKey } from '../../src/db/keys.js';
import type { UserDoc } from '../../src/db/models/user.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type Session, type TestApp } from '../helpers/app.js';

// Issue #28: a person's history reads as sentences with links; codes and ids only in a details
// toggle and the CSV. Ava's history is the demo's, written through the live code paths.
let t: TestApp;
let hr: Session;
let ava: UserDoc;
let hrUser: UserDoc;

beforeAll(async () => {
  t = await createTestApp({ label: 'hr-history' });
  await t.app.services.demo.seedDemoTraining({ now: t.clock.now() });
  const { User, Reminder } = t.app.db.models;
  ava = (await User.findOne({ email: 'ava.adams@demo.test' }).lean<UserDoc>())!;
  hrUser = (await User.findOne({ email: 'hr@demo.test' }).lean<UserDoc>())!;
  await loginAs(t.app, 'ava.adams@demo.test'); // login.success
  await Reminder.create({
    _id: reminderKey(ava._id, COURSE_ID, 1, { kind: 'overdue', day: '2026-02-20' }),
    userId: ava._id,
    courseId: COURSE_ID,
    cycleNo: 1,
    kind: 'overdue',
    day: '2026-02-20',
    createdAt: new Date('2026-02-20T06:00:00Z'),
  });
  await t.app.audit.append(
    {
      actorId: hrUser._id,
      action: 'person.updated',
      targetType: 'user',
      targetId: ava._id,
      subjectId: ava._id,
      details: { fields: ['department', 'managerId'] },
    },
    t.clock.now(),
  );
  hr = await loginAs(t.app, 'hr@demo.test');
});
afterAll(async () => t.close());

/** The history section's visible text with every details toggle removed. */
function visibleHistory(html: string): string {
  const start = html.indexOf('id="history"');
  expect(start).toBeGreaterThan(0);
  return html
    .slice(start)
    .replace(/<details[\s\S]*?<\/details>/g, '')
    .replace(/<[^>]+>/g, ' ');
}

describe('readable history', () => {
  it('tells what happened in sentences, with links to the attempt, certificate and evidence', async () => {
    const res = await hr.get(`/hr/employees/${ava._id}`);
    expect(res.statusCode).toBe(200);
    const text = visibleHistory(res.body);
    expect(text).toContain('Signed in');
    expect(text).toMatch(/Started quiz attempt 1/);
    expect(text).toMatch(/Passed the quiz with \d+ %/);
    expect(text).toMatch(/Attested policy version \d+/);
    expect(text).toContain('Certificate issued');
    expect(text).toContain('Completed the training');
    const firstLesson = t.app.courses.get(COURSE_ID)!.lessons[0]!;
    expect(text).toContain(`Read the lesson “${firstLesson.title}”`);
    expect(text).toContain('Reminder sent: overdue');
    expect(text).toContain('Details changed: department, manager');
    expect(text).toContain(`by ${hrUser.name}`);
    const html = res.body.slice(res.body.indexOf('id="history"'));
    expect(html).toContain(`href="/hr/people/${ava._id}/courses/${COURSE_ID}/attempts"`);
    expect(html).toMatch(/href="\/verify\/[A-Z0-9-]+"/);
    expect(html).toContain(`href="/hr/people/${ava._id}/attested/${COURSE_ID}/1"`);
    expect(html).toContain(`href="/hr/people/${ava._id}/evidence/${COURSE_ID}/1"`);
  });

  it('keeps codes and ids inside the details toggle only', async () => {
    const html = (await hr.get(`/hr/employees/${ava._id}`)).body;
    const text = visibleHistory(html);
    for (const code of [
      'login.success',
      'attempt.submitted',
      'certificate.issued',
      'attested',
      `${ava._id}:`,
    ])
      expect(text, code).not.toContain(code);
    const toggles = html.slice(html.indexOf('id="history"')).match(/<details[\s\S]*?<\/details>/g) ?? [];
    expect(toggles.join('\n')).toContain('attempt.submitted');
    expect(toggles.join('\n')).toContain(`${ava._id}:${COURSE_ID}:1:1`);
    expect(html).toContain(`href="/hr/employees/${ava._id}/history.csv"`);
  });

  it('exports the same history as CSV with the codes, ids and details', async () => {
    const res = await hr.get(`/hr/employees/${ava._id}/history.csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('attachment');
    const rows = parse(res.body, { columns: true, bom: true }) as Array<Record<string, string>>;
    const submitted = rows.find((r) => r.action === 'attempt.submitted');
    expect(submitted?.what).toMatch(/Passed the quiz/);
    expect(submitted?.target_id).toBe(`${ava._id}:${COURSE_ID}:1:1`);
    expect(JSON.parse(submitted?.details ?? '{}')).toHaveProperty('score');
    expect(rows.find((r) => r.what === 'Reminder sent: overdue')?.action).toBe('reminder');
    expect(rows.find((r) => r.action === 'person.updated')?.by).toBe(hrUser.name);
  });

  it("shows HR's reason from the event's personal part, and who gave it", async () => {
    const elena = (await t.app.db.models.User.findOne({ email: 'elena.evans@demo.test' }).lean<UserDoc>())!;
    await t.app.services.assignments.extendDueDate({
      actorId: hrUser._id,
      userId: elena._id,
      courseId: COURSE_ID,
      dueAt: new Date('2026-04-30T00:00:00Z'),
      reason: 'Parental leave',
      now: t.clock.now(),
    });
    const text = visibleHistory((await hr.get(`/hr/employees/${elena._id}`)).body);
    expect(text).toMatch(/Due date moved from \d+ \w+ 2026 to 30 April 2026: “Parental leave”\s+by /);
    expect(text).toContain(`by ${hrUser.name}`);
  });

  it('refuses the CSV to an employee', async () => {
    const employee = await loginAs(t.app, 'employee@demo.test');
    expect((await employee.get(`/hr/employees/${ava._id}/history.csv`)).statusCode).toBe(403);
  });
});
