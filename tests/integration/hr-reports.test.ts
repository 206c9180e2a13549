import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentKey, reminderKey } from '../../src/db/keys.js';
import type { UserDoc } from '../../src/db/models/user.js';
import { refreshSettled } from '../../src/services/reporting/summaries.js';
import {
  buildAttempt,
  buildAttemptResult,
  buildClassificationAnswer,
  buildCycle,
  COURSE_ID,
} from '../factories.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { assignment, demoDepartment, tableRow } from './hr-reports-support.js';

let t: TestApp;
let hr: Session;
let sales: UserDoc[];
let eng: UserDoc[];

beforeAll(async () => {
  t = await createTestApp({ label: 'hr-reports' });
  const { Assignment } = t.app.db.models;
  sales = (await demoDepartment(t.app, 'Sales')).filter((u) => u.managerId);
  eng = (await demoDepartment(t.app, 'Engineering')).filter((u) => u.managerId);
  await Assignment.insertMany([
    assignment(sales[0]!, 'completed'),
    assignment(sales[1]!, 'completed'),
    assignment(sales[2]!, 'overdue', { dueAt: new Date('2026-02-10T00:00:00Z') }),
    assignment(sales[3]!, 'due-soon', { dueAt: new Date('2026-03-20T00:00:00Z') }),
    assignment(eng[0]!, 'completed'),
    assignment(eng[1]!, 'not-started', { dueAt: new Date('2026-04-01T00:00:00Z') }),
    assignment(eng[2]!, 'expired'),
  ]);
  hr = await loginAs(t.app, 'hr@demo.test');
});
afterAll(async () => t.close());

const stat = (html: string, label: string) =>
  Number(
    new RegExp(`<span class="stat-n">(\\d+)</span> <span class="stat-label">${label}</span>`).exec(html)?.[1],
  );

describe('dashboard', () => {
  it('says the figures are being counted on a first visit, and shows them once counted', async () => {
    expect(await t.app.db.models.ReportSummary.countDocuments()).toBe(0);
    const first = await hr.get('/hr/dashboard');
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('being counted for the first time');
    expect(first.body).toContain('href="/hr/dashboard?course=social-media-policy"');
    // The visit started the count in the background; once it ends, the page shows the figures.
    await refreshSettled(t.app.db.models);
    expect(await t.app.db.models.ReportSummary.countDocuments()).toBe(1);
    expect(stat((await hr.get('/hr/dashboard')).body, 'Assigned')).toBe(7);
  });

  it('shows counts by state and completion by department for the seeded data', async () => {
    const res = await hr.get('/hr/dashboard');
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(stat(html, 'Assigned')).toBe(7);
    expect(stat(html, 'Completed')).toBe(3);
    expect(stat(html, 'Overdue')).toBe(1);
    expect(stat(html, 'Due soon')).toBe(1);
    expect(stat(html, 'Not started')).toBe(1);
    expect(stat(html, 'Expired')).toBe(1);
    expect(stat(html, 'In progress')).toBe(0);
    expect(tableRow(html, 'Sales')).toEqual(['4', '2', '50%']);
    expect(tableRow(html, 'Engineering')).toEqual(['3', '1', '33%']);
    expect(html).toMatch(/<svg [^>]*role="img"/);
    expect(html).toContain('Sales 50%');
    expect(html).not.toMatch(/style=/);
  });

  it('lists overdue and due-soon people with their managers, linking to their history', async () => {
    const html = (await hr.get('/hr/dashboard')).body;
    const overdue = html.slice(html.indexOf('id="list-overdue"'), html.indexOf('id="list-due-soon"'));
    expect(overdue).toContain(sales[2]!.name);
    expect(overdue).toContain('Morgan Lee');
    expect(overdue).toContain(`/hr/employees/${sales[2]!._id}`);
    expect(overdue).toContain('2026-02-10');
    const dueSoon = html.slice(html.indexOf('id="list-due-soon"'));
    expect(dueSoon).toContain(sales[3]!.name);
    expect(dueSoon).not.toContain(sales[2]!.name);
  });

  it('filters every figure by department and due month', async () => {
    const eng = (await hr.get('/hr/dashboard?department=Engineering')).body;
    expect(stat(eng, 'Assigned')).toBe(3);
    expect(tableRow(eng, 'Sales')).toBeNull();
    const feb = (await hr.get('/hr/dashboard?from=2026-02&to=2026-02')).body;
    // Due in February: the five with the default due date and the overdue one.
    expect(stat(feb, 'Assigned')).toBe(5);
    expect(stat(feb, 'Due soon')).toBe(0);
  });

  it('lists any single state when the state filter asks for it', async () => {
    const html = (await hr.get('/hr/dashboard?state=not-started')).body;
    expect(html).toContain('id="list-not-started"');
    expect(html).toContain(eng[1]!.name);
    expect(html).not.toContain('id="list-overdue"');
  });

  it('rejects bad filters with a 400 and a clear message', async () => {
    const cases: Array<[string, string]> = [
      ['/hr/dashboard?course=nope', 'There is no course'],
      ['/hr/dashboard?from=2026-13', 'from'],
      ['/hr/dashboard?from=2026-05&to=2026-01', 'is after'],
      ['/hr/dashboard?state=sleeping', 'state'],
      ['/hr/dashboard?overduePage=0', 'overduePage'],
    ];
    for (const [url, message] of cases) {
      const res = await hr.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.body, url).toContain(message);
      expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    }
  });

  it('serves the stored summary, and shows new data after a refresh', async () => {
    const extra = await createUser(t.app, {
      email: 'late@example.com',
      name: 'Late Joiner',
      department: 'Sales',
    });
    await t.app.db.models.Assignment.create(assignment(extra, 'overdue'));
    expect(stat((await hr.get('/hr/dashboard')).body, 'Overdue')).toBe(1);
    const html = (await hr.get('/hr/dashboard')).body;
    const res = await hr.post('/hr/dashboard/refresh', { course: COURSE_ID }, '/hr/dashboard');
    expect(res.statusCode).toBe(303);
    // The refresh runs in the background (HR is not kept waiting); the new figures follow it.
    await refreshSettled(t.app.db.models);
    const after = (await hr.get('/hr/dashboard')).body;
    expect(stat(after, 'Overdue')).toBe(2);
    expect(after).toContain('Late Joiner');
    expect(html).toContain('Figures as of');
    await t.app.db.models.Assignment.deleteOne({ _id: assignmentKey(extra._id, COURSE_ID) });
    await t.app.services.reporting.recomputeSummaries({ now: t.clock.now() });
  });

  it('counts clause misses from quiz results and example answers', async () => {
    const { AttemptResult, ClassificationAnswer } = t.app.db.models;
    const u = sales[0]!;
    await AttemptResult.create(
      buildAttemptResult(buildCycle(u, 1), 1, {
        contentVersion: 'v',
        score: 50,
        clauses: { 'SMP-03': { correct: 0, total: 3 }, 'SMP-01': { correct: 2, total: 2 } },
        startedAt: t.clock.now(),
        submittedAt: t.clock.now(),
        receivedAt: t.clock.now(),
      }),
    );
    await ClassificationAnswer.create(
      buildClassificationAnswer(u, 'ex1', { contentVersion: 'v', clauses: ['SMP-01'], at: t.clock.now() }),
    );
    const [summary] = await t.app.services.reporting.recomputeSummaries({ now: t.clock.now() });
    expect(summary!.clauseMisses).toEqual(
      expect.arrayContaining([
        { clauseId: 'SMP-03', wrong: 3, total: 3 },
        { clauseId: 'SMP-01', wrong: 1, total: 3 },
      ]),
    );
    const html = (await hr.get('/hr/dashboard')).body;
    const section = html.slice(html.indexOf('id="clauses-h"'));
    const rows = [...section.matchAll(/<th scope="row">([^<]+)<\/th>\s*<td class="num">([\d.]+)<\/td>/g)];
    const title = (id: string) => t.app.courses.get(COURSE_ID)!.clauses.find((c) => c.id === id)!.title;
    expect(rows.map((r) => r[2])).toEqual(['3', '1']);
    expect(rows[0]![1]).toContain(title('SMP-03'));
    expect(rows[1]![1]).toContain(title('SMP-01'));
  });

  it('is for HR only', async () => {
    const employee = await loginAs(t.app, 'employee@demo.test');
    expect((await employee.get('/hr/dashboard')).statusCode).toBe(403);
    expect((await employee.get(`/hr/reports/status.csv?course=${COURSE_ID}`)).statusCode).toBe(403);
  });
});

describe('status CSV export', () => {
  it('streams one neutralised row per assignment with the person, manager and score', async () => {
    const evil = await createUser(t.app, {
      email: 'evil@example.com',
      name: "=cmd|' /C calc'!A0",
      department: '+Ops',
      employeeId: '@E9',
      managerId: sales[0]!.managerId,
      locale: 'de',
    });
    await t.app.db.models.Assignment.create(
      assignment(evil, 'completed', { cycleNo: 2, completedAt: new Date('2026-02-20T12:00:00Z') }),
    );
    await t.app.db.models.Cycle.create(buildCycle(evil, 2, { score: 92.5 }));

    const res = await hr.get(`/hr/reports/status.csv?course=${COURSE_ID}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="training-status-social-media-policy-2026-03-02\.csv"/,
    );
    const rows: string[][] = parse(res.body, { bom: true });
    expect(rows[0]).toEqual([
      'employee id',
      'name',
      'email',
      'department',
      'manager',
      'course',
      'cycle',
      'state',
      'due',
      'completed',
      'expires',
      'score',
      'language',
    ]);
    expect(rows).toHaveLength(1 + 8);
    const row = rows.find((r) => r[2] === 'evil@example.com');
    expect(row).toEqual([
      "'@E9",
      "'=cmd|' /C calc'!A0",
      'evil@example.com',
      "'+Ops",
      'Morgan Lee',
      COURSE_ID,
      '2',
      'completed',
      '2026-02-15',
      '2026-02-20',
      '2027-02-01',
      '92.5',
      'de',
    ]);
    // A person who chose no language: the column is empty.
    expect(rows.find((r) => r[2] === sales[0]!.email)?.at(-1)).toBe('');
    for (const r of rows) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('filters by department and state, and rejects an unknown course', async () => {
    const overdue = parse((await hr.get(`/hr/reports/status.csv?course=${COURSE_ID}&state=overdue`)).body, {
      bom: true,
    });
    expect(overdue.map((r: string[]) => r[1])).toEqual(['name', sales[2]!.name]);
    const engRows = parse((await hr.get('/hr/reports/status.csv?department=Engineering')).body, {
      bom: true,
    });
    expect(engRows).toHaveLength(1 + 3);
    const bad = await hr.get('/hr/reports/status.csv?course=nope');
    expect(bad.statusCode).toBe(400);
  });
});

describe('employee history', () => {
  it('shows assignments, cycles, attempts, attestation, certificate and links to evidence and grants', async () => {
    const { Assignment, Cycle, Attempt, AttemptResult, Attestation, CertificateByCycle, Certificate } =
      t.app.db.models;
    const u = eng[0]!;
    const first = buildCycle(u, 1, { passedAt: new Date('2025-02-01T00:00:00Z'), score: 90 });
    const c1 = first._id;
    await Assignment.updateOne({ _id: assignmentKey(u._id, COURSE_ID) }, { $set: { cycleNo: 2 } });
    await Cycle.create(first);
    await Cycle.create(buildCycle(u, 2, { requirement: 'attest-only' }));
    const at = new Date('2025-02-01T10:00:00Z');
    await Attempt.create(
      buildAttempt(first, 1, { contentVersion: 'v', seed: 's', startedAt: at, status: 'graded' }),
    );
    await AttemptResult.create(
      buildAttemptResult(first, 1, {
        contentVersion: 'v',
        score: 90,
        passed: true,
        startedAt: at,
        submittedAt: at,
        receivedAt: at,
      }),
    );
    await Attestation.create({
      _id: c1,
      cycleId: c1,
      cycleNo: 1,
      userId: u._id,
      courseId: COURSE_ID,
      contentVersion: 'abcdef1234567890',
      policyTitle: 'P',
      typedName: u.name,
      statement: 'I agree',
      at,
      ip: '',
      userAgent: '',
    });
    await CertificateByCycle.create({
      _id: c1,
      code: 'K7QF-2MZD-9XRT-4HBC',
      completedAt: at,
      expiresAt: null,
    });
    await Certificate.create({
      _id: 'K7QF-2MZD-9XRT-4HBC',
      cycleId: c1,
      cycleNo: 1,
      userId: u._id,
      courseId: COURSE_ID,
      name: u.name,
      courseTitle: 'SMP',
      contentVersion: 'v',
      score: 90,
      completedAt: at,
      expiresAt: null,
      issuedAt: at,
    });
    await t.app.db.models.Reminder.create({
      _id: reminderKey(u._id, COURSE_ID, 2, { kind: 'before-due', day: '2026-03-01' }),
      userId: u._id,
      courseId: COURSE_ID,
      cycleNo: 2,
      kind: 'before-due',
      day: '2026-03-01',
      createdAt: at,
    });
    await t.app.audit.append(
      { actorId: null, action: 'reminder.sent', targetType: 'cycle', targetId: c1, subjectId: u._id },
      at,
    );

    const res = await hr.get(`/hr/employees/${u._id}`);
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain(`<h1>${u.name}</h1>`);
    expect(html).toContain('Cycle 2 (re-attestation only)');
    expect(html).toContain('Cycle 1');
    expect(html).toContain('90%');
    expect(html).toContain('Passed');
    expect(html).toContain(`signed “${u.name}”`);
    expect(html).toContain('K7QF-2MZD-9XRT-4HBC');
    expect(html).toContain('reminder.sent');
    expect(html).toContain('Reminder sent: due soon');
    expect(html).toContain(`/hr/people/${u._id}/evidence/${COURSE_ID}/1`);
    expect(html).toContain(`/hr/people/${u._id}/courses/${COURSE_ID}/attempts`);
    expect(html.indexOf('Cycle 2')).toBeLessThan(html.indexOf('Cycle 1<'));
  });

  it('answers 404 for an unknown person and 400 for a malformed id', async () => {
    expect((await hr.get('/hr/employees/0123456789abcdef01234567')).statusCode).toBe(404);
    expect((await hr.get('/hr/employees/%24where')).statusCode).toBe(400);
  });
});

describe("manager's team view", () => {
  it('shows a manager only their own direct reports, read-only', async () => {
    const manager = await loginAs(t.app, 'manager@demo.test');
    const res = await manager.get('/team');
    expect(res.statusCode).toBe(200);
    for (const u of sales) expect(res.body).toContain(u.email);
    expect(res.body).toContain('employee@demo.test');
    for (const u of eng) expect(res.body).not.toContain(u.email);
    // The sign-out and language-switcher forms are on every page; nothing else is posted from here.
    expect(res.body).not.toMatch(/<form method="post" action="\/(?!logout|language)/);
    expect(res.body).toContain('Overdue');
  });

  it('gives someone without reports a 403 page that explains why', async () => {
    const employee = await loginAs(t.app, 'employee@demo.test');
    const res = await employee.get('/team');
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('nobody who reports to you');
  });
});

describe('feedback inbox', () => {
  it('lists open feedback, marks it handled once (audited), and moves it to the handled list', async () => {
    const u = sales[1]!;
    await t.app.db.models.PolicyFeedback.create({
      _id: `${u._id}:sub-1`,
      userId: u._id,
      userName: u.name,
      department: 'Sales',
      courseId: COURSE_ID,
      lessonId: 'think-before-you-post',
      contentVersion: 'v',
      kind: 'question',
      message: 'Can I <b>like</b> a competitor post?',
      status: 'open',
      createdAt: t.clock.now(),
      handledAt: null,
      handledBy: null,
    });
    const open = await hr.get('/hr/feedback');
    expect(open.statusCode).toBe(200);
    expect(open.body).toContain('Can I &lt;b&gt;like&lt;/b&gt; a competitor post?');

    const id = encodeURIComponent(`${u._id}:sub-1`);
    const res = await hr.post(`/hr/feedback/${id}/handled`, {}, '/hr/feedback');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('done=handled');
    expect((await hr.get('/hr/feedback')).body).not.toContain('competitor post');
    expect((await hr.get('/hr/feedback?status=handled')).body).toContain('competitor post');
    const again = await hr.post(`/hr/feedback/${id}/handled`, {}, '/hr/feedback');
    expect(again.headers.location).toContain('done=already-handled');
    const events = await t.app.db.models.AuditEvent.find({ action: 'feedback.handled' }).lean();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ targetId: `${u._id}:sub-1`, subjectId: u._id });
  });

  it('answers 404 for unknown items, 403 without a CSRF token, and 403 for employees', async () => {
    expect((await hr.post('/hr/feedback/nope:1/handled', {}, '/hr/feedback')).statusCode).toBe(404);
    expect((await hr.post('/hr/feedback/nope:1/handled', { _csrf: 'forged' })).statusCode).toBe(403);
    const employee = await loginAs(t.app, 'employee@demo.test');
    expect((await employee.get('/hr/feedback')).statusCode).toBe(403);
  });
});

describe('HR home', () => {
  it('links to every HR area and the per-course pages', async () => {
    const html = (await hr.get('/hr')).body;
    for (const href of [
      '/hr/dashboard',
      '/hr/people',
      '/hr/assignments',
      '/hr/outbox',
      '/hr/feedback',
      '/hr/reports',
    ]) {
      expect(html).toContain(`href="${href}"`);
    }
    expect(html).toContain(`/hr/courses/${COURSE_ID}/scorm`);
    expect(html).toContain(`/hr/courses/${COURSE_ID}/settings`);
  });
});
