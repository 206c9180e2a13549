import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentKey, cycleKey, reminderKey } from '../../src/db/keys.js';
import type { OutboxDoc } from '../../src/db/models/hr.js';
import type { AssignmentDoc, CycleDoc } from '../../src/db/models/training.js';
import { usersRepository } from '../../src/db/repositories/users.js';
import { expiryFor } from '../../src/domain/recertification.js';
import { recertificationPolicy } from '../../src/services/assignments/course-settings.js';
import { runNightly } from '../../src/services/jobs/nightly.js';
import { runSweep } from '../../src/services/jobs/sweep/index.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { cliContext } from '../helpers/cli.js';
import { courseSettingsForm } from '../helpers/course-settings-form.js';
import { jobContext } from '../helpers/jobs.js';

let t: TestApp;
let hr: Session;
let erinId: string;
let managerEmail: string;

beforeAll(async () => {
  t = await createTestApp({ label: 'hr-core-sweep', clock: undefined });
  t.clock.set('2026-03-02T09:00:00Z');
  // These tests read every mail the simulated years sent: the nightly retention rule would delete
  // outbox mails after 90 days (tested in privacy-retention.test.ts), so the outbox keeps 10 years.
  await t.app.db.models.RetentionSettings.create({ _id: 'retention', outboxDays: 3650 });
  hr = await loginAs(t.app, 'hr@demo.test');
  const users = usersRepository(t.app.db.models);
  erinId = (await users.findByEmail('employee@demo.test'))!._id;
  managerEmail = 'manager@demo.test';
});
afterAll(async () => t.close());

/**
 * Sweeps far in the simulated future delete every session (their expiry comes from the real time),
 * so HR signs in again with the app clock back at the start; services get their `now` directly.
 */
async function signInAgain() {
  t.clock.set('2026-03-02T09:00:00Z');
  hr = await loginAs(t.app, 'hr@demo.test');
}

/** What `jobs:run` does: the refresher sweep, then the nightly job (which works once per UTC day). */
async function sweep(at: string) {
  const deps = jobContext(t);
  const swept = await runSweep(deps, { now: new Date(at) });
  return { ...swept, ...(await runNightly(deps, { now: new Date(at) })) };
}

const assignment = (userId: string) =>
  t.app.db.models.Assignment.findById(assignmentKey(userId, COURSE_ID)).lean<AssignmentDoc>();

async function mailFor(userId: string): Promise<OutboxDoc[]> {
  return t.app.db.models.Outbox.find({ _id: new RegExp(`^${assignmentKey(userId, COURSE_ID)}:`) })
    .sort({ _id: 1 })
    .lean<OutboxDoc[]>();
}

/** What the completion service does when a cycle's requirements are met (lessons, quiz, attestation). */
async function complete(userId: string, at: string) {
  const a = (await assignment(userId))!;
  const id = cycleKey(userId, COURSE_ID, a.cycleNo);
  const previous =
    a.cycleNo > 1
      ? await t.app.db.models.Cycle.findById(cycleKey(userId, COURSE_ID, a.cycleNo - 1)).lean<CycleDoc>()
      : null;
  const policy = await recertificationPolicy(t.app.db.models, t.app.courses.get(COURSE_ID)!, new Date(at));
  const completedAt = new Date(at);
  const expiresAt = expiryFor(policy, completedAt, previous?.expiresAt ?? null);
  await t.app.db.models.Cycle.updateOne({ _id: id }, { $set: { completedAt, expiresAt } });
  await t.app.db.models.Assignment.updateOne(
    { _id: a._id },
    { $set: { state: 'completed', completedAt, expiresAt, updatedAt: completedAt } },
  );
}

describe('assignment rules', () => {
  it('assigns a course to a department with a due date, and audits it', async () => {
    const res = await hr.post(
      '/hr/assignments',
      {
        courseId: COURSE_ID,
        targetKind: 'departments',
        departments: 'Sales',
        emails: '',
        dueKind: 'after-assignment',
        dueDays: '30',
        dueDate: '',
        newHireWithinDays: '',
      },
      '/hr/assignments',
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/hr/assignments?done=created&n=10');
    const erin = await assignment(erinId);
    expect(erin).toMatchObject({
      source: 'department',
      department: 'Sales',
      cycleNo: 1,
      state: 'not-started',
    });
    expect(erin?.dueAt?.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(await t.app.db.models.Cycle.exists({ _id: cycleKey(erinId, COURSE_ID, 1) })).not.toBeNull();
    const engineer = await usersRepository(t.app.db.models).findByEmail('ben.bauer@demo.test');
    expect(await assignment(engineer!._id)).toBeNull();
    const audit = await t.app.db.models.AuditEvent.findOne({ action: 'assignment.created' }).lean();
    expect(audit?.details).toMatchObject({ courseId: COURSE_ID, assigned: 10 });
  });

  it('shows a clear error for a bad rule form', async () => {
    const res = await hr.post(
      '/hr/assignments',
      {
        courseId: COURSE_ID,
        targetKind: 'departments',
        departments: '',
        emails: '',
        dueKind: 'fixed',
        dueDays: '',
        dueDate: '2026-02-30',
        newHireWithinDays: 'x',
      },
      '/hr/assignments',
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter at least one department.');
    expect(res.body).toContain('Enter the due date as YYYY-MM-DD.');
  });

  it('catches new hires within N days of their hire date, not people hired long ago', async () => {
    const res = await hr.post(
      '/hr/assignments',
      {
        courseId: COURSE_ID,
        targetKind: 'departments',
        departments: 'Support',
        emails: '',
        dueKind: 'after-hire',
        dueDays: '14',
        dueDate: '',
        newHireWithinDays: '30',
      },
      '/hr/assignments',
    );
    expect(res.statusCode).toBe(303);
    // Added after the rule, straight into the database (as an HR system sync would), so only the sweep can catch them.
    const fresh = await createUser(t.app, {
      email: 'new.hire@demo.test',
      department: 'Support',
      hireDate: new Date('2026-03-01'),
    });
    const old = await createUser(t.app, {
      email: 'old.timer@demo.test',
      department: 'Support',
      hireDate: new Date('2019-06-01'),
    });
    const future = await createUser(t.app, {
      email: 'starts.later@demo.test',
      department: 'Support',
      hireDate: new Date('2026-03-20'),
    });
    const report = await sweep('2026-03-02T10:00:00Z');
    expect(report.assignedByRules).toBe(1);
    const a = await assignment(fresh._id);
    expect(a).toMatchObject({ source: 'rule', cycleNo: 1 });
    expect(a?.dueAt?.toISOString()).toBe('2026-03-15T00:00:00.000Z');
    expect(await assignment(old._id)).toBeNull();
    expect(await assignment(future._id)).toBeNull();
    await sweep('2026-03-20T10:00:00Z');
    expect((await assignment(future._id))?.dueAt?.toISOString()).toBe('2026-04-03T00:00:00.000Z');
  });
});

describe('simulated years of refresher sweeps', () => {
  it('runs one person through assignment, reminders, overdue, escalation and two cycles', async () => {
    // The sweep at 10:00 on 2 March (above) already sent the assignment notice.
    let mail = await mailFor(erinId);
    expect(mail.map((m) => m.kind)).toEqual(['assigned']);
    expect(mail[0]!.text).toContain(`${t.config.BASE_URL}/learn/${COURSE_ID}`);
    expect(mail[0]!.html).toContain(`href="${t.config.BASE_URL}/learn/${COURSE_ID}"`);
    expect(mail[0]!.to).toEqual(['employee@demo.test']);

    await sweep('2026-03-25T06:00:00Z');
    expect((await assignment(erinId))?.state).toBe('due-soon');
    await sweep('2026-04-01T06:00:00Z');
    await sweep('2026-04-02T06:00:00Z');
    expect((await assignment(erinId))?.state).toBe('overdue');
    await sweep('2026-04-09T06:00:00Z');
    await sweep('2026-04-16T06:00:00Z');
    expect((await assignment(erinId))?.state).toBe('expired');
    // Sweeps every 15 minutes on the same day send nothing new.
    await sweep('2026-04-16T06:15:00Z');
    await sweep('2026-04-16T23:45:00Z');

    mail = await mailFor(erinId);
    const summary = mail.map(
      (m) => `${m._id.split(':').slice(2).join(':')} to=${m.to.join()} cc=${m.cc.join()}`,
    );
    expect(summary).toEqual([
      '1:assigned:2026-03-02 to=employee@demo.test cc=',
      '1:before-due:2026-03-25 to=employee@demo.test cc=',
      '1:due-today:2026-04-01 to=employee@demo.test cc=',
      `1:escalation:2026-04-16 to=${managerEmail} cc=employee@demo.test`,
      '1:overdue:2026-04-02 to=employee@demo.test cc=',
      '1:overdue:2026-04-09 to=employee@demo.test cc=',
      `1:overdue:2026-04-16 to=employee@demo.test cc=${managerEmail}`,
    ]);

    await complete(erinId, '2026-04-20T14:00:00Z');
    const afterDone = await sweep('2026-04-21T06:00:00Z');
    expect(afterDone.remindersSent).toBeGreaterThan(0); // other Sales people are still overdue
    expect((await assignment(erinId))?.state).toBe('completed');
    expect((await mailFor(erinId)).length).toBe(7);

    // Valid until 2027-04-20; the 30-day window opens on 2027-03-21, not a day earlier.
    await sweep('2027-03-20T06:00:00Z');
    expect(await assignment(erinId)).toMatchObject({ cycleNo: 1, state: 'completed' });
    await sweep('2027-03-21T06:00:00Z');
    const renewed = await assignment(erinId);
    expect(renewed).toMatchObject({ cycleNo: 2, state: 'due-soon', completedAt: null });
    expect(renewed?.dueAt?.toISOString()).toBe('2027-04-19T00:00:00.000Z');
    const first = await t.app.db.models.Cycle.findById(cycleKey(erinId, COURSE_ID, 1)).lean<CycleDoc>();
    expect(first?.completedAt?.toISOString()).toBe('2026-04-20T14:00:00.000Z'); // history kept
    const second = await t.app.db.models.Cycle.findById(cycleKey(erinId, COURSE_ID, 2)).lean<CycleDoc>();
    expect(second).toMatchObject({ n: 2, requirement: 'full', completedAt: null });
    const opened = (await mailFor(erinId)).at(-1)!;
    expect(opened._id).toBe(reminderKey(erinId, COURSE_ID, 2, { kind: 'assigned', day: '2027-03-21' }));
    expect(opened.subject).toContain('Time to renew');

    await sweep('2027-04-20T06:00:00Z');
    expect((await assignment(erinId))?.state).toBe('overdue');
    await complete(erinId, '2027-04-25T08:00:00Z');
    await sweep('2027-05-01T06:00:00Z');
    const done = await assignment(erinId);
    expect(done).toMatchObject({ cycleNo: 2, state: 'completed' });
    expect(done?.expiresAt?.toISOString()).toBe('2028-04-25T00:00:00.000Z');
  });

  it('never sends twice when two sweeps run at the same moment', async () => {
    const before = await t.app.db.models.Outbox.countDocuments();
    const at = '2028-03-26T06:00:00Z'; // Erin's third window opens; others are long overdue
    const [a, b] = await Promise.all([sweep(at), sweep(at)]);
    const after = await t.app.db.models.Outbox.countDocuments();
    expect(a.remindersSent + b.remindersSent + a.digestsSent + b.digestsSent).toBe(after - before);
    expect(after - before).toBeGreaterThan(0);
    expect(a.cyclesOpened + b.cyclesOpened).toBe(1);
    expect(await assignment(erinId)).toMatchObject({ cycleNo: 3 });
    const reminders = await t.app.db.models.Reminder.find({ createdAt: new Date(at) }).lean();
    expect(new Set(reminders.map((r) => r._id)).size).toBe(reminders.length);
    // A third run (a restart) sends nothing either.
    const c = await sweep(at);
    expect(c.remindersSent).toBe(0);
    expect(await t.app.db.models.Outbox.countDocuments()).toBe(after);
  });

  it('sends HR one digest a week', async () => {
    const digests = await t.app.db.models.Outbox.find({ kind: 'digest' }).lean<OutboxDoc[]>();
    const weeks = digests.map((d) => d._id.split(':').at(-1));
    expect(new Set(weeks).size).toBe(weeks.length / 2); // hr@ and admin@ each get one per week
    expect(digests.some((d) => d.to[0] === 'hr@demo.test')).toBe(true);
  });
});

describe('extensions, retirement, inactive people, renewals', () => {
  it('extends one person’s due date with a reason, audited', async () => {
    // The sweeps above deleted sessions that expired during the simulated years: sign in again "now".
    await signInAgain();
    const before = await assignment(erinId);
    const noReason = await hr.post(
      '/hr/assignments/extend',
      { email: 'employee@demo.test', courseId: COURSE_ID, dueDate: '2028-06-30', reason: ' ' },
      '/hr/assignments',
    );
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Give a reason');
    const ok = await hr.post(
      '/hr/assignments/extend',
      { email: 'employee@demo.test', courseId: COURSE_ID, dueDate: '2028-06-30', reason: 'Parental leave' },
      '/hr/assignments',
    );
    expect(ok.statusCode).toBe(303);
    const after = await assignment(erinId);
    expect(after?.dueAt?.toISOString()).toBe('2028-06-30T00:00:00.000Z');
    expect(after?.state).toBe('not-started');
    const cycle = await t.app.db.models.Cycle.findById(
      cycleKey(erinId, COURSE_ID, before!.cycleNo),
    ).lean<CycleDoc>();
    expect(cycle?.dueAt?.toISOString()).toBe('2028-06-30T00:00:00.000Z');
    const event = await t.app.db.models.AuditEvent.findOne({
      action: 'assignment.extended',
      subjectId: erinId,
    }).lean();
    expect(event?.details).toMatchObject({ courseId: COURSE_ID });
    // HR's reason is about one person: in the event's erasable personal part (issue #25).
    expect(event?.personal).toEqual({ reason: 'Parental leave' });
  });

  it('sends nothing to inactive people or for a retired course', async () => {
    await signInAgain();
    const users = usersRepository(t.app.db.models);
    const someone = (await t.app.db.models.Assignment.findOne({
      state: 'expired',
      active: true,
    }).lean<AssignmentDoc>())!;
    // Deactivate an overdue person through the HR form.
    const person = (await users.findById(someone.userId))!;
    const res = await hr.post(
      `/hr/people/${person._id}/edit`,
      {
        email: person.email,
        name: person.name,
        employeeId: person.employeeId ?? '',
        department: person.department,
        managerEmail: '',
        hireDate: '',
        locale: 'en',
        role: 'employee',
      },
      `/hr/people/${person._id}/edit`,
    );
    expect(res.statusCode).toBe(303);
    expect((await assignment(person._id))?.active).toBe(false);
    const countFor = async (id: string) => (await mailFor(id)).length;
    const before = await countFor(person._id);
    await sweep('2028-04-02T06:00:00Z'); // a weekly overdue day for those due 2026-04-01
    expect(await countFor(person._id)).toBe(before);

    await signInAgain();
    const settings = await hr.get(`/hr/courses/${COURSE_ID}/settings`);
    expect(settings.statusCode).toBe(200);
    const save = await hr.post(
      `/hr/courses/${COURSE_ID}/settings`,
      courseSettingsForm({ overdueEveryDays: '1', retired: 'yes' }),
      `/hr/courses/${COURSE_ID}/settings`,
    );
    expect(save.statusCode).toBe(303);
    await signInAgain();
    const total = await t.app.db.models.Outbox.countDocuments({ kind: { $ne: 'digest' } });
    const report = await sweep('2028-04-03T06:00:00Z');
    expect(report.remindersSent).toBe(0);
    expect(await t.app.db.models.Outbox.countDocuments({ kind: { $ne: 'digest' } })).toBe(total);
  });

  it('a new policy version asks everyone who completed to re-attest, with its own due date', async () => {
    await signInAgain();
    await hr.post(
      `/hr/courses/${COURSE_ID}/settings`,
      courseSettingsForm(),
      `/hr/courses/${COURSE_ID}/settings`,
    );
    await complete(erinId, '2028-04-05T10:00:00Z');
    await signInAgain();
    const bad = await hr.post(
      `/hr/courses/${COURSE_ID}/renewal`,
      { requirement: 'attest-only', dueDate: '2028-05-15', reason: '' },
      `/hr/courses/${COURSE_ID}/settings`,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Say what changed');
    const hrId = (await usersRepository(t.app.db.models).findByEmail('hr@demo.test'))!._id;
    await t.app.services.assignments.requestRenewal({
      actorId: hrId,
      courseId: COURSE_ID,
      requirement: 'attest-only',
      dueAt: new Date('2028-05-15'),
      reason: 'Clause 4 rewritten',
      now: new Date('2028-04-10T09:00:00Z'),
    });
    await sweep('2028-04-10T10:00:00Z');
    const a = await assignment(erinId);
    expect(a).toMatchObject({ cycleNo: 4, state: 'not-started' });
    const cycle = await t.app.db.models.Cycle.findById(cycleKey(erinId, COURSE_ID, 4)).lean<CycleDoc>();
    expect(cycle).toMatchObject({ requirement: 'attest-only' });
    expect(cycle?.dueAt?.toISOString()).toBe('2028-05-15T00:00:00.000Z');
    // Only once: the next sweep does not open cycle 5.
    await sweep('2028-04-10T10:15:00Z');
    expect((await assignment(erinId))?.cycleNo).toBe(4);
    const opened = (await mailFor(erinId)).at(-1)!;
    expect(opened.subject).toContain('re-read and confirm');
  });

  it('jobs:run runs one sweep at the given time and rejects a bad date', async () => {
    const { command } = await import('../../src/cli/commands/jobs-run.js');
    const { ctx, lines } = cliContext(t);
    expect(await command.run(ctx, { positionals: [], flags: { now: '2028-04-11T06:00:00Z' } })).toBe(0);
    expect(lines.join('\n')).toContain('Sweep at 2028-04-11T06:00:00.000Z');
    await expect(command.run(ctx, { positionals: [], flags: { now: 'tomorrow-ish' } })).rejects.toThrow(
      /not a date/,
    );
  });

  it('the outbox page lists mail newest first, in small pages', async () => {
    await signInAgain();
    const page = await hr.get('/hr/outbox');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('rel="next"');
    const id = (await t.app.db.models.Outbox.findOne({ kind: 'overdue' }).lean<OutboxDoc>())!._id;
    const one = await hr.get(`/hr/outbox/${encodeURIComponent(id)}`);
    expect(one.statusCode).toBe(200);
    expect(one.body).toContain('Plain-text part');
  });
});
