/**
 * Child process: one refresher sweep (the app's runSweep, as `jobs:run --job sweep` runs it) over an
 * existing database, then a second one at the same time (the idempotent re-run a 15-minute schedule
 * mostly is), then the nightly job (runNightly) on its own. Prints one JSON line: wall and CPU time
 * of each run, peak RSS after the sweeps and after the nightly job, and where database time went
 * per command and collection (from the driver's command monitoring).
 */
import mongoose from 'mongoose';
import { defaultCoursesDir, loadCourses } from '../../../src/content/index.js';
import { defineModels } from '../../../src/db/models/index.js';
import { systemClock } from '../../../src/domain/clock.js';
import { outboxMailer } from '../../../src/mail/transport.js';
import { createAuditLog } from '../../../src/services/audit/log.js';
import { createCatalogue } from '../../../src/services/courses/index.js';
import { runNightly } from '../../../src/services/jobs/nightly.js';
import { runSweep } from '../../../src/services/jobs/sweep/index.js';

interface Options {
  mongoUri: string;
  dbName: string;
  /**
   * Issue #23: after the repeat sweep, turn every course's spaced refreshers off and sweep once
   * more ('repeat-spaced-off'), the same-process baseline for the spaced step's cost.
   */
  spacedOffRepeat?: boolean;
  /** False: skip the nightly job (measured elsewhere). */
  nightly?: boolean;
}

type Tally = Record<string, { n: number; ms: number }>;

async function main(): Promise<void> {
  const opts = JSON.parse(process.env.BENCH_SWEEP ?? '{}') as Options;
  // The same connection settings as db/connection.ts, plus command monitoring for the time split.
  const conn = mongoose.createConnection(opts.mongoUri, {
    dbName: opts.dbName,
    bufferCommands: false,
    autoIndex: false,
    retryWrites: false,
    writeConcern: { w: 1 },
    monitorCommands: true,
  });
  await conn.asPromise();
  const models = defineModels(conn);
  const courses = await loadCourses(defaultCoursesDir);
  const started = new Map<number, { key: string; at: number }>();
  let tally: Tally = {};
  const client = conn.getClient();
  client.on('commandStarted', (e) => {
    // getMore carries the cursor id first and the collection in its own field.
    const target = e.commandName === 'getMore' ? e.command.collection : e.command[e.commandName];
    started.set(e.requestId, {
      key: `${e.commandName} ${typeof target === 'string' ? target : ''}`.trim(),
      at: performance.now(),
    });
  });
  client.on('commandSucceeded', (e) => {
    const key = started.get(e.requestId)?.key ?? e.commandName;
    started.delete(e.requestId);
    const t = tally[key] ?? { n: 0, ms: 0 };
    tally[key] = { n: t.n + 1, ms: t.ms + e.duration };
  });
  const deps = {
    models,
    courses,
    catalogue: createCatalogue({ models, served: courses, clock: systemClock }),
    mailer: outboxMailer(models),
    audit: createAuditLog(models),
    baseUrl: 'http://127.0.0.1:3000',
  };
  // Progress every few seconds, so a sweep killed at the time limit still says where it was.
  let label = 'first';
  const progress = setInterval(() => {
    const now = performance.now();
    const inflight = [...started.values()].map((c) => ({ key: c.key, ageMs: Math.round(now - c.at) }));
    process.send?.({ type: 'progress', label, tally, inflight });
  }, 5000);
  const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
  const now = new Date();
  const timed = async (run: string, job: () => Promise<object>) => {
    label = run;
    tally = {};
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const report = await job();
    const wallMs = performance.now() - t0;
    const used = process.cpuUsage(cpu);
    const result = { label, wallMs, nodeCpuMs: (used.user + used.system) / 1000, report, db: tally };
    // Each run as it ends, so a nightly job killed at the time limit still leaves the sweeps' figures.
    process.send?.({
      type: 'sweep-done',
      label,
      run: result,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    });
    return result;
  };
  const runs = [];
  for (const run of ['first', 'repeat']) runs.push(await timed(run, () => runSweep(deps, { now })));
  if (opts.spacedOffRepeat) {
    await models.CourseSettings.updateMany({}, { $set: { spacedEveryMonths: 0 } });
    runs.push(await timed('repeat-spaced-off', () => runSweep(deps, { now })));
  }
  // The peak so far is the sweep's; the nightly job may raise it (it is reported on its own).
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const nightly =
    opts.nightly === false ? undefined : await timed('nightly', () => runNightly(deps, { now }));
  clearInterval(progress);
  await conn.close();
  const out = {
    rssBeforeMb,
    maxRssMb,
    runs,
    nightly,
    nightlyMaxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
