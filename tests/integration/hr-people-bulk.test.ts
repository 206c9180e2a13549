import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentKey } from '../../src/db/keys.js';
import type { UserDoc } from '../../src/db/models/user.js';
import { buildAssignment, buildCycle, buildPerson, COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type Session, type TestApp } from '../helpers/app.js';

/**
 * HR's people list as a working view (issue #28): filters as a GET query, the training column,
 * paging that keeps the filters, and bulk actions (preview, confirm, audited once per person).
 */

let t: TestApp;
let hr: Session;
const DEPT = 'Bulk Sales';
let boss: UserDoc;
let overdue: UserDoc[];
let dueSoon: UserDoc;
let unassigned: UserDoc[];
/** More people than a request handles at once: their bulk actions run in the background. */
const crowd = Array.from({ length: 520 }, (_, i) =>
  buildPerson({ name: `Crowd ${String(i).padStart(3, '0')}`, department: 'Bulk Crowd' }),
);

/** The names in the list's table, in order. */
const namesIn = (html: string) =>
  [...html.matchAll(/<td><a href="\/hr\/people\/[^"]+\/edit">([^<]+)<\/a><\/td>/g)].map((m) => m[1]!);

const auditOf = (action: string) =>
  t.app.db.models.AuditEvent.find({ action }).lean<
    { subjectId: string; details: { reason?: string }; personal?: { reason?: string } }[]
  >();

/** Starts a bulk action from the list (a POST like the list's buttons) and returns the job's page. */
async function startBulk(form: Record<string, string | string[]>, listUrl = '/hr/people') {
  const res = await hr.post('/hr/people/bulk', form, listUrl);
  expect(res.statusCode).toBe(303);
  const url = res.headers.location as string;
  expect(url).toMatch(/^\/hr\/people\/bulk\/[a-f0-9]{24}$/);
  return url;
}

beforeAll(async () => {
  t = await createTestApp({ label: 'hr-people-bulk' });
  const models = t.app.db.models;
  boss = buildPerson({ name: 'Bulk Boss', department: 'Bulk Leads' });
  overdue = [1, 2, 3].map((i) =>
    buildPerson({ name: `Bulk Late ${i}`, department: DEPT, managerId: boss._id }),
  );
  dueSoon = buildPerson({ name: 'Bulk Soon', department: DEPT });
  unassigned = [1, 2].map((i) => buildPerson({ name: `Bulk New ${i}`, department: 'Bulk Ops' }));
  const gone = buildPerson({ name: 'Bulk Gone', department: DEPT, active: false });
  await models.User.insertMany([boss, ...overdue, dueSoon, ...unassigned, gone]);
  await models.Assignment.insertMany([
    ...overdue.map((p) => buildAssignment(p, { state: 'overdue' })),
    buildAssignment(dueSoon, { state: 'due-soon', dueAt: new Date('2026-03-05T00:00:00Z') }),
    buildAssignment(gone, { state: 'overdue', active: false }),
  ]);
  await models.Cycle.insertMany(overdue.map((p) => buildCycle(p, 1)));
  await models.User.insertMany(crowd);
  await models.Assignment.insertMany(crowd.map((p) => buildAssignment(p, { state: 'overdue' })));
  hr = await loginAs(t.app, 'hr@demo.test');
});
afterAll(async () => t.close());

describe('the people list as a working view', () => {
  it('filters by department, state, manager and active as a GET query, with the training column', async () => {
    const res = await hr.get(`/hr/people?department=${encodeURIComponent(DEPT)}&state=overdue`);
    expect(res.statusCode).toBe(200);
    expect(namesIn(res.body)).toEqual(['Bulk Late 1', 'Bulk Late 2', 'Bulk Late 3']);
    expect(res.body).toContain('Overdue, due 15 February 2026');
    expect(res.body).toContain('3 people match');
    expect(namesIn((await hr.get(`/hr/people?manager=${boss._id}`)).body)).toHaveLength(3);
    const soon = await hr.get(`/hr/people?department=${encodeURIComponent(DEPT)}&state=due-soon`);
    expect(namesIn(soon.body)).toEqual(['Bulk Soon']);
    expect(namesIn((await hr.get('/hr/people?q=bulk&active=no')).body)).toEqual(['Bulk Gone']);
    expect((await hr.get('/hr/people?q=bulk&active=no')).body).toContain('Not assigned');
    // The department choices come from the departments that exist.
    expect(res.body).toContain(`<option value="${DEPT}" selected>`);
  });

  it('sorts by earliest due date and keeps the filters on every page link', async () => {
    const sorted = await hr.get(`/hr/people?department=${encodeURIComponent(DEPT)}&active=yes&sort=due`);
    expect(namesIn(sorted.body).at(-1)).toBe('Bulk Soon');
    const many = await hr.get('/hr/people?active=yes&sort=department');
    expect(many.body).toMatch(/href="\/hr\/people\?active=yes&amp;sort=department&amp;page=2"/);
  });

  it('refuses a state it does not know', async () => {
    expect((await hr.get('/hr/people?state=lost')).statusCode).toBe(400);
  });
});

describe('bulk actions', () => {
  it('reminds everyone overdue in a department exactly once, audited once per person', async () => {
    const list = `/hr/people?department=${encodeURIComponent(DEPT)}&state=overdue`;
    const job = await startBulk({ action: 'remind', department: DEPT, state: 'overdue' }, list);
    const preview = await hr.get(job);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('This will send a reminder now for 3 people');
    expect(await t.app.db.models.Outbox.countDocuments({ to: overdue[0]!.email })).toBe(0);

    const confirmed = await hr.post(job, {}, job);
    expect(confirmed.statusCode).toBe(303);
    const done = await hr.get(job);
    expect(done.body).toContain('Done');
    for (const p of overdue) expect(await t.app.db.models.Outbox.countDocuments({ to: p.email })).toBe(1);
    const events = await auditOf('reminder.sent');
    expect(events.map((e) => e.subjectId).sort()).toEqual(overdue.map((p) => p._id).sort());

    // Again the same day: nobody gets a second message, nothing more is audited.
    const again = await startBulk({ action: 'remind', department: DEPT, state: 'overdue' }, list);
    await hr.post(again, {}, again);
    for (const p of overdue) expect(await t.app.db.models.Outbox.countDocuments({ to: p.email })).toBe(1);
    expect(await auditOf('reminder.sent')).toHaveLength(3);
    expect((await hr.get(again)).body).toContain('3 already reminded today');
  });

  it('assigns a course with a due date to the people ticked', async () => {
    const job = await startBulk({ action: 'assign', ids: unassigned.map((p) => p._id) });
    const preview = await hr.get(job);
    expect(preview.body).toContain('This will assign a course for 2 people');
    const bad = await hr.post(job, { courseId: COURSE_ID, dueDate: '2020-01-01' }, job);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#dueDate"');
    expect(bad.body).toContain('The due date cannot be in the past.');
    expect((await hr.post(job, { courseId: COURSE_ID, dueDate: '2026-04-30' }, job)).statusCode).toBe(303);
    for (const p of unassigned) {
      const a = await t.app.db.models.Assignment.findById(assignmentKey(p._id, COURSE_ID)).lean();
      expect(a?.dueAt?.toISOString()).toBe('2026-04-30T00:00:00.000Z');
    }
    const events = await auditOf('assignment.assigned');
    expect(events.map((e) => e.subjectId).sort()).toEqual(unassigned.map((p) => p._id).sort());
  });

  it('extends the due date with a reason, through the one extension rule', async () => {
    const job = await startBulk({ action: 'extend', ids: overdue.slice(0, 2).map((p) => p._id) });
    const noReason = await hr.post(job, { courseId: COURSE_ID, dueDate: '2026-03-20', reason: ' ' }, job);
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Give a reason; it is kept in the audit log.');
    await hr.post(job, { courseId: COURSE_ID, dueDate: '2026-03-20', reason: 'Parental leave' }, job);
    const a = await t.app.db.models.Assignment.findById(assignmentKey(overdue[0]!._id, COURSE_ID)).lean();
    expect(a?.dueAt?.toISOString()).toBe('2026-03-20T00:00:00.000Z');
    expect(a?.state).not.toBe('overdue');
    const events = await auditOf('assignment.extended');
    // The reason is kept with the event (as personal data outside the hash where the log splits it).
    const reasons = events.map((e) => e.details.reason ?? e.personal?.reason);
    expect(reasons.filter((r) => r === 'Parental leave')).toHaveLength(2);
  });

  it('exports the filtered people as CSV, audited once per person', async () => {
    const job = await startBulk({ action: 'export', department: DEPT, active: 'yes' });
    expect((await hr.get(job)).body).toContain('This will export a CSV for 4 people');
    const csv = await hr.post(job, {}, job);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain('name,email');
    expect(await auditOf('person.exported')).toHaveLength(4);
  });

  it('runs a large selection in the background with a progress page that refreshes without JavaScript', async () => {
    const job = await startBulk({ action: 'remind', department: 'Bulk Crowd' });
    expect((await hr.get(job)).body).toContain('This will send a reminder now for 520 people');
    expect((await hr.post(job, {}, job)).statusCode).toBe(303);
    const id = job.split('/').at(-1)!;
    const running = await hr.get(job);
    // The POST answered before the run: it is still going (hundreds of writes), and the page says so.
    expect(running.body).toMatch(/<meta http-equiv="refresh" content="\d+">/);
    expect(running.body).toContain('in progress');
    // The refresh can be turned off (WCAG 2.2.1).
    expect((await hr.get(`${job}?refresh=off`)).body).not.toContain('http-equiv="refresh"');
    await t.app.services.people.waitForBulkJob({ jobId: id });
    const finished = await hr.get(job);
    expect(finished.body).not.toContain('http-equiv="refresh"');
    expect(finished.body).toContain('520 of 520');
    expect(await t.app.db.models.Outbox.countDocuments({ to: { $in: crowd.map((p) => p.email) } })).toBe(520);
  });
});
