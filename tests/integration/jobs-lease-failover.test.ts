import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../src/db/ferretdb/launcher.js';
import { latestLease } from '../../src/db/job-leases.js';
import { runLeasedJob } from '../../src/jobs/scheduler.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { assignEveryone } from '../helpers/jobs.js';
import { type RunningServer, startServer, stopServer } from '../helpers/server-process.js';

// The failover (issue #30): a real server process holding the sweep's lease is killed mid-sweep;
// this instance takes the lease over once it expires, finishes the sweep, and no reminder goes twice.
let t: TestApp;
let dataDir: string;
let child: RunningServer | undefined;
let killedPid: number | undefined;

beforeAll(async () => {
  // The demo organisation assigned its training 60 days ago: at the real time the server sweeps, all are overdue.
  t = await createTestApp({
    label: 'lease_failover',
    clock: new TestClock(new Date(Date.now() - 60 * 86_400_000)),
    config: { JOB_LEASE_SECONDS: 1 },
  });
  await assignEveryone(t);
  dataDir = mkdtempSync(join(tmpdir(), 'lms-lease-'));
});

afterAll(async () => {
  if (child) await stopServer(child);
  if (killedPid) expect(() => process.kill(killedPid!, 0)).toThrow(); // gone, not left running
  await t?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The pid in the sweep lease's holder (`host:pid:random`), once a process other than this one holds it. */
async function sweepHolderPid(deadline: number): Promise<number> {
  while (Date.now() < deadline) {
    const lease = await latestLease(t.app.db.models, 'sweep');
    const pid = lease ? Number(lease.holder.split(':').at(-2)) : 0;
    if (pid && pid !== process.pid) return pid;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('the server never took the sweep lease');
}

describe('scheduler failover', () => {
  it('finishes the sweep of a killed leader after its lease expires, sending no reminder twice', async () => {
    const models = t.app.db.models;
    // The server sweeps every second from start; it is killed as soon as it holds the lease.
    const starting = startServer(await freePort(), dataDir, {
      MONGODB_URI: inject('mongoUri'),
      DB_NAME: t.config.DB_NAME,
      DEMO_DATA: 'false',
      SWEEP_SCHEDULE: '* * * * * *',
      NIGHTLY_SCHEDULE: 'off',
      XAPI_SCHEDULE: 'off',
      BACKUP_SCHEDULE: 'off',
      JOB_LEASE_SECONDS: '1',
      LOG_LEVEL: 'warn',
    }).then(
      (run) => {
        child = run;
      },
      () => {}, // killed before it answered /readyz
    );
    killedPid = await sweepHolderPid(Date.now() + 30_000);
    process.kill(killedPid, 'SIGKILL');
    await starting;
    const orphan = await latestLease(models, 'sweep');
    expect(orphan?.holder).toContain(`:${killedPid}:`); // it died holding the lease, mid-sweep

    // Refused while the dead holder's lease lives, taken over when it has expired.
    const sweep = () =>
      runLeasedJob(t.app, 'sweep', (lease) =>
        t.app.services.jobs.runSweep({ now: new Date(), checkLease: lease.check }),
      );
    expect(Date.now()).toBeLessThan(orphan!.expiresAt.getTime()); // renewed every 333 ms: 0.6 s or more left
    const first = await sweep();
    expect(first).toMatchObject({ ran: false, heldBy: orphan!.holder });
    const started = Date.now();
    let run = first;
    while (!run.ran && Date.now() - started < 5000) {
      await new Promise((r) => setTimeout(r, 100));
      run = await sweep();
    }
    expect(run.ran).toBe(true);

    const reminders = await models.Reminder.countDocuments();
    const mails = await models.Outbox.find({ reminderId: { $ne: null } }, { reminderId: 1 }).lean();
    expect(reminders).toBeGreaterThan(0);
    expect(new Set(mails.map((m) => m.reminderId)).size).toBe(mails.length); // none twice
    expect(mails.length).toBeLessThanOrEqual(reminders);
    // Killed before it claimed reminders (it is killed as soon as it holds the lease): the new
    // leader finishes the work and sends every one.
    const took = run.ran ? run.report : null;
    expect(took?.remindersSent).toBe(mails.length);
    // Nothing left over: one more sweep sends nothing.
    const again = await sweep();
    expect(again).toMatchObject({ ran: true, report: { remindersSent: 0 } });
    console.log(
      `[failover] leader pid ${killedPid} killed holding the lease; taken over after ${Date.now() - started} ms; ${reminders} reminders claimed, ${mails.length} mails, none twice`,
    );
  });
});
