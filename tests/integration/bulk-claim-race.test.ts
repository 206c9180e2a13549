import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkJobDoc } from '../../src/db/models/bulk-job.js';
import { claimOnce } from '../../src/db/once-claims.js';
import { NO_FILTERS } from '../../src/domain/people/list-filters.js';
import { buildPerson, COURSE_ID } from '../factories.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/**
 * A bulk action confirmed several times at once (a double click, two tabs, two instances) runs
 * once (issue #30). The claim was a filtered update, which FerretDB v1 does not make atomic
 * (measured: 3 racing claims of one document, more than one "won" in 51 of 200 rounds), so a job
 * could run twice and its counts (`$inc`) show twice its people.
 */
let t: TestApp;
const people = [1, 2].map((i) => buildPerson({ name: `Claim Race ${i}`, department: 'Claim Race' }));

beforeAll(async () => {
  t = await createTestApp({ label: 'bulk-claim-race', seed: false });
  await t.app.db.models.User.insertMany(people);
});
afterAll(async () => t?.close());

describe('a bulk job confirmed three times at once', () => {
  it('runs once: its progress counts each person once', async () => {
    const now = t.clock.now();
    const dueDate = new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
    const bulk = t.app.services.people;
    const counted: number[] = [];
    for (let round = 0; round < 20; round++) {
      const { jobId } = await bulk.previewBulk({
        actorId: 'hr-claim-race',
        action: 'assign',
        filters: NO_FILTERS,
        ids: people.map((p) => p._id),
        now,
      });
      const confirm = () =>
        bulk.confirmBulk({ jobId, actorId: 'hr-claim-race', form: { courseId: COURSE_ID, dueDate }, now });
      await Promise.all([confirm(), confirm(), confirm()]);
      const job = await t.app.db.models.BulkJob.findById(jobId).lean<BulkJobDoc>();
      counted.push(job!.done);
    }
    expect(counted).toEqual(counted.map(() => people.length));
  });
});

/**
 * Review 31b-3: a claimant that died between its run claim and the job's status write left the job
 * as it was, and every later confirm or restart found the claim taken and did nothing, for good.
 * A claim an hour old with the job unchanged is taken for a dead claimant's.
 */
describe('a bulk job whose run claim was taken by a process that died before the status write', () => {
  const HOUR = 3_600_000;
  const dueDateOf = (now: Date) => new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
  const preview = (now: Date) =>
    t.app.services.people.previewBulk({
      actorId: 'hr-claim-race',
      action: 'assign',
      filters: NO_FILTERS,
      ids: people.map((p) => p._id),
      now,
    });
  const confirm = (jobId: string, now: Date) =>
    t.app.services.people.confirmBulk({
      jobId,
      actorId: 'hr-claim-race',
      form: { courseId: COURSE_ID, dueDate: dueDateOf(now) },
      now,
    });
  const jobOf = async (jobId: string) => (await t.app.db.models.BulkJob.findById(jobId).lean<BulkJobDoc>())!;

  it('runs when confirmed: the first run claim was taken an hour ago', async () => {
    const now = t.clock.now();
    const { jobId } = await preview(now);
    await claimOnce(t.app.db.models, `bulk-job:${jobId}:1`, new Date(now.getTime() - HOUR));
    await confirm(jobId, now);
    expect(await jobOf(jobId)).toMatchObject({ status: 'done', runs: 1, done: people.length });
  });

  it('restarts a failed job: the next run claim was taken an hour ago', async () => {
    const now = t.clock.now();
    const { jobId } = await preview(now);
    await confirm(jobId, now);
    await t.app.db.models.BulkJob.updateOne({ _id: jobId }, { $set: { status: 'failed', error: 'cut off' } });
    await claimOnce(t.app.db.models, `bulk-job:${jobId}:2`, new Date(now.getTime() - HOUR));
    await confirm(jobId, now);
    expect(await jobOf(jobId)).toMatchObject({ status: 'done', runs: 2, done: people.length });
  });

  it('does nothing while the claim is fresh: its claimant may still be writing', async () => {
    const now = t.clock.now();
    const { jobId } = await preview(now);
    await claimOnce(t.app.db.models, `bulk-job:${jobId}:1`, new Date(now.getTime() - 1_000));
    await confirm(jobId, now);
    expect(await jobOf(jobId)).toMatchObject({ status: 'preview' });
  });
});
