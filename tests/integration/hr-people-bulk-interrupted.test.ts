import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkJobDoc } from '../../src/db/models/bulk-job.js';
import { buildAssignment, buildPerson } from '../factories.js';
import { createTestApp, loginAs, type Session, type TestApp } from '../helpers/app.js';

/** A background bulk run that failed, or was cut off by a restart, says so and can be started again. */
let t: TestApp;
let hr: Session;
const NOW = new Date('2026-03-02T09:00:00Z');
const MINUTE = 60_000;
const people = [1, 2].map((i) => buildPerson({ name: `Cut ${i}`, department: 'Cut Off' }));

function job(over: Partial<BulkJobDoc>): BulkJobDoc {
  return {
    _id: 'a'.repeat(24),
    action: 'remind',
    status: 'running',
    createdBy: people[0]!._id,
    createdAt: new Date(NOW.getTime() - 20 * MINUTE),
    filterQuery: 'department=Cut+Off',
    scope: 'filtered',
    userIds: people.map((p) => p._id),
    total: people.length,
    courses: [],
    params: { courseId: null, dueAt: null, reason: '' },
    done: 0,
    changed: 0,
    skipped: 0,
    startedAt: new Date(NOW.getTime() - 20 * MINUTE),
    finishedAt: null,
    error: null,
    ...over,
  };
}

beforeAll(async () => {
  t = await createTestApp({ label: 'hr-bulk-interrupted' });
  t.clock.set(NOW);
  await t.app.db.models.User.insertMany(people);
  await t.app.db.models.Assignment.insertMany(people.map((p) => buildAssignment(p, { state: 'overdue' })));
  hr = await loginAs(t.app, 'hr@demo.test');
});
afterAll(async () => t.close());

describe('a bulk run that did not finish', () => {
  it('still running with recent progress: refreshes and says in progress', async () => {
    const id = 'b'.repeat(24);
    await t.app.db.models.BulkJob.create(job({ _id: id, progressAt: new Date(NOW.getTime() - MINUTE) }));
    const page = (await hr.get(`/hr/people/bulk/${id}`)).body;
    expect(page).toContain('in progress');
    expect(page).toContain('http-equiv="refresh"');
  });

  it('no progress for minutes (a restart): interrupted, no refresh, and starting it again finishes it', async () => {
    const id = 'c'.repeat(24);
    await t.app.db.models.BulkJob.create(job({ _id: id, progressAt: new Date(NOW.getTime() - 10 * MINUTE) }));
    const url = `/hr/people/bulk/${id}`;
    const page = (await hr.get(url)).body;
    expect(page).toContain('interrupted');
    expect(page).not.toContain('http-equiv="refresh"');
    expect(page).toContain(`action="${url}"`);
    expect(page).toContain('Start again');
    expect((await hr.post(url, {}, url)).statusCode).toBe(303);
    expect((await hr.get(url)).body).toContain('Done');
    for (const p of people) expect(await t.app.db.models.Outbox.countDocuments({ to: p.email })).toBe(1);
  });

  it('failed: says so, with the reason kept, and can be started again', async () => {
    const id = 'd'.repeat(24);
    await t.app.db.models.BulkJob.create(job({ _id: id, status: 'failed', error: 'Database went away' }));
    const page = (await hr.get(`/hr/people/bulk/${id}`)).body;
    expect(page).toContain('failed');
    expect(page).not.toContain('http-equiv="refresh"');
    expect(page).toContain('Start again');
  });
});
