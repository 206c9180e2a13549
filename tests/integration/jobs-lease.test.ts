import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobLeases, latestLease } from '../../src/db/job-leases.js';
import { LeaseLostError, leaseKey } from '../../src/domain/lease.js';
import { jobHolder, runLeasedJob } from '../../src/jobs/scheduler.js';
import { createSecondApp, createTestApp, type TestApp } from '../helpers/app.js';
import { cliContext } from '../helpers/cli.js';
import { assignEveryone } from '../helpers/jobs.js';

// Two app instances on one database (issue #30): the job lease lets one of them run a job at a time.
let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  a = await createTestApp({
    label: 'job_lease',
    config: { JOB_LEASE_SECONDS: 1, METRICS_TOKEN: 'metrics-token-'.padEnd(32, 'x') },
  });
  b = await createSecondApp(a);
  await assignEveryone(a);
  a.clock.advanceDays(60); // every demo assignment overdue: the sweep has reminders to send
});

afterAll(async () => {
  await b?.close();
  await a?.close();
});

const leaderGauge = async (t: TestApp) =>
  (await t.app.metrics!.registry.getSingleMetricAsString('lms_job_leader')).match(
    /lms_job_leader\{job="sweep"\} (\d)/,
  )?.[1];

describe('one scheduler across instances', () => {
  it('runs a job in one instance at a time: the other is refused with the holder named', async () => {
    const models = a.app.db.models;
    const gauges: Array<string | undefined> = [];
    const sweep = (t: TestApp) =>
      runLeasedJob(t.app, 'sweep', async (lease) => {
        gauges.push(await leaderGauge(t), await leaderGauge(t === a ? b : a));
        return t.app.services.jobs.runSweep({ now: t.clock.now(), checkLease: lease.check });
      });
    const runs = await Promise.all([sweep(a), sweep(b)]);

    const ran = runs.filter((r) => r.ran);
    expect(ran).toHaveLength(1);
    const refused = runs.find((r) => !r.ran)!;
    const winner = runs[0]!.ran ? a : b;
    expect(refused).toMatchObject({ ran: false, heldBy: jobHolder(winner.app) });
    expect(gauges).toEqual(['1', '0']); // the leader shows 1 while it runs, the other 0
    const sent = await models.Outbox.countDocuments({ reminderId: { $ne: null } });
    expect(sent).toBeGreaterThan(0);

    // Released at the end (its generation marked, left as the newest): the other instance runs
    // next, and finds nothing left to send.
    expect(await latestLease(models, 'sweep')).toMatchObject({ holder: jobHolder(winner.app) });
    expect((await latestLease(models, 'sweep'))?.releasedAt).toBeInstanceOf(Date);
    expect(await leaderGauge(winner)).toBe('0');
    const next = await sweep(winner === a ? b : a);
    expect(next).toMatchObject({ ran: true, report: { remindersSent: 0 } });
    expect(await models.Outbox.countDocuments({ reminderId: { $ne: null } })).toBe(sent);
  });

  it('a holder whose lease was taken over stops before its next write batch', async () => {
    const models = a.app.db.models;
    a.clock.advanceDays(30); // a month on: new reminders are due again
    const reminders = await models.Reminder.countDocuments();
    const run = runLeasedJob(a.app, 'sweep', async (lease) => {
      // What another instance's takeover does once it judged the lease expired (a paused holder):
      // it inserts the next generation.
      const held = (await latestLease(models, 'sweep'))!;
      const gen = held.gen! + 1;
      await jobLeases(models).insertOne({
        _id: leaseKey('sweep', gen),
        job: 'sweep',
        gen,
        holder: 'other-host:1:takeover',
        expiresAt: new Date(Date.now() + 60_000),
        takenAt: new Date(),
      });
      const state = () => {
        try {
          lease.check();
          return 'held';
        } catch (err) {
          return err instanceof LeaseLostError ? 'lost' : String(err);
        }
      };
      // Its next renewal (every third of the 1 s lease) finds the lease gone.
      await expect.poll(state, { timeout: 2000, interval: 50 }).toBe('lost');
      return a.app.services.jobs.runSweep({ now: a.clock.now(), checkLease: lease.check });
    });
    await expect(run).rejects.toThrow(LeaseLostError);
    expect(await models.Reminder.countDocuments()).toBe(reminders);
    // The new holder's lease is left alone by the one that lost it (not released, not deleted).
    const taken = await latestLease(models, 'sweep');
    expect(taken).toMatchObject({ holder: 'other-host:1:takeover' });
    expect(taken?.releasedAt).toBeUndefined();
  });

  it('jobs:run takes the lease too: refused, it names the holder and runs nothing', async () => {
    const models = a.app.db.models;
    const { command } = await import('../../src/cli/commands/jobs-run.js');
    const until = new Date(Date.now() + 60_000);
    await jobLeases(models).deleteMany({});
    // The single lease document the earlier version wrote (a rolling upgrade): read as generation 0.
    await jobLeases(models).insertOne({
      _id: 'sweep',
      holder: 'web-2:4321:cafe0001',
      expiresAt: until,
      takenAt: new Date(),
    });
    const reminders = await models.Reminder.countDocuments();
    const { ctx, lines } = cliContext(a);
    const at = a.clock.now().toISOString();
    expect(await command.run(ctx, { positionals: [], flags: { now: at, job: 'sweep' } })).toBe(0);
    expect(lines.join('\n')).toContain(
      `Sweep not run: another instance runs it now (web-2:4321:cafe0001, lease until ${until.toISOString()})`,
    );
    expect(await models.Reminder.countDocuments()).toBe(reminders);

    // Free again: jobs:run runs it and releases the lease.
    await jobLeases(models).deleteOne({ _id: 'sweep' });
    expect(await command.run(ctx, { positionals: [], flags: { now: at, job: 'sweep' } })).toBe(0);
    expect(lines.join('\n')).toContain(`Sweep at ${at}`);
    // The earlier version's document superseded (deleted), the new generation released.
    expect(await jobLeases(models).findOne({ _id: 'sweep' })).toBeNull();
    expect((await latestLease(models, 'sweep'))?.releasedAt).toBeInstanceOf(Date);
  });
});
