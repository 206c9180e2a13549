import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDb } from '../../src/db/connection.js';
import { type BenchContext, createContext, type OrgFixture, openOrgFixture } from '../bench/lib/context.js';
import { benchDbName } from '../bench/lib/ferret.js';
import { formatTable, type MeasureResult } from '../bench/lib/results.js';
import { backupAt, backupRows } from '../bench/measures/backup.js';
import { measureBulk } from '../bench/measures/bulk.js';
import { measureColdStart } from '../bench/measures/cold-start.js';
import { measureExamBurst } from '../bench/measures/exam-burst.js';
import { hrReportsAt, hrRows } from '../bench/measures/hr-reports.js';
import { itemStatsAt, itemStatsRows } from '../bench/measures/item-stats.js';
import { measureLessonPage } from '../bench/measures/lesson-page.js';
import { auditAppendAt, lookupRows, lookupsAt } from '../bench/measures/lookups.js';
import { policyPublishAt, policyPublishRows } from '../bench/measures/policy-publish.js';
import { measureQuizSubmit } from '../bench/measures/quiz-submit.js';
import { refresherAt, refresherRows, spacedSweepAt, spacedSweepRows } from '../bench/measures/refresher.js';
import { scimProvisioningAt, scimRows } from '../bench/measures/scim.js';
import { measureScormExport } from '../bench/measures/scorm-export.js';
import { sweepInChild, sweepRows } from '../bench/measures/sweep.js';
import { workerRows, workersRunAt } from '../bench/measures/workers.js';
import { generateOrg } from '../bench/synthetic-org.js';

/**
 * Every benchmark measurement at toy sizes, so the bench code cannot rot between full runs
 * (`npm run bench`). Checks that each one runs end to end and reports sane rows; says nothing about speed.
 */

function expectRows(result: MeasureResult, ids: string[] = []) {
  expect(result.rows.length).toBeGreaterThan(0);
  for (const row of result.rows) expect(typeof row.value).toBe('number');
  expect(formatTable([result])).toContain(result.rows[0]!.metric);
  for (const id of ids) expect(result.rows.map((r) => r.metric).join('\n')).toContain(id);
}

describe.concurrent('bench smoke', () => {
  let ctx: BenchContext;
  let fx: OrgFixture;

  beforeAll(async () => {
    ctx = await createContext(inject('mongoUri'), () => {});
    fx = await openOrgFixture(ctx, { label: 'smoke', employees: 30 });
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('runs the web measurements: lesson page, quiz submission, exam-day burst', async () => {
    const lesson = await measureLessonPage(fx, {
      connections: 4,
      durationS: 1,
      sessions: 3,
      rounds: 1,
      maxRequests: 20,
    });
    expectRows(lesson);
    expect(lesson.rows.find((r) => r.metric === 'failed responses')?.value).toBe(0);

    const quiz = await measureQuizSubmit(fx, { connections: 2, submissions: 4, durationS: 2, drainS: 10 });
    expectRows(quiz);
    expect(quiz.rows.find((r) => r.metric.startsWith('graded answers'))?.met).toBe(true);

    const burst = await measureExamBurst(fx, {
      learners: 6,
      windowS: 0.3,
      thinkS: 0.2,
      loginSample: 2,
      deadlineS: 20,
      soloLearners: 1,
    });
    expectRows(burst);
    expect(burst.rows.find((r) => r.metric === 'errors')?.value).toBe(0);
    expect(burst.details?.logins).toMatchObject({ failures: 0 });
    // The app's listening socket was found in /proc/net/tcp (null would mean the reading broke).
    expect(burst.details?.acceptQueuePeak).toBeGreaterThanOrEqual(0);
  });

  it('runs the scale measurements on the same organisation: lookups, sweep in a child, HR reports', async () => {
    const { db, org } = fx;
    expect(org.counts.Assignment).toBeGreaterThan(20);
    expect(org.counts.AttemptResult).toBeGreaterThan(20);
    const lookups = await lookupsAt(db.models, org.employees, org.sample, ctx.course.id);
    const sweep = await sweepInChild(ctx, fx.dbName, org.employees, null, 60);
    expect(sweep.finished).toBe(true);
    expect(sweep.runs[0]?.report.assignments).toBeGreaterThan(20);
    expect(sweep.nightly?.report).toMatchObject({ ran: true });
    const hr = await hrReportsAt(ctx, db.models, fx.app.url, org.employees, org.hr);
    expect([hr.dashboard.status, hr.csv.status, hr.dashboardCold.status]).toEqual([200, 200, 200]);
    expect([hr.people.status, hr.peopleSearch.status]).toEqual([200, 200]);
    expect(hr.csv.rows).toBeGreaterThan(20);
    expectRows({ id: 'sweep', title: '', rows: sweepRows([sweep], 60) });
    expectRows({ id: 'hr', title: '', rows: hrRows([hr, hr]) });
    const auditDb = await openDb(ctx.mongoUri, benchDbName('smoke_audit'));
    try {
      const audit = await auditAppendAt(auditDb.models, 50);
      expectRows({ id: 'lookups', title: '', rows: lookupRows([lookups, lookups], [audit, audit]) });
    } finally {
      await auditDb.conn.dropDatabase().catch(() => {});
      await auditDb.close();
    }
  });

  it('runs the item statistics measurement', async () => {
    const small = await itemStatsAt(ctx, 20);
    expect(small.written).toBe(ctx.course.questions.length);
    expect(small.computeMs).toBeGreaterThan(0);
    expectRows({ id: 'items', title: '', rows: itemStatsRows([small, small]) }, ['graded attempts']);
  });

  it('runs the refresher measurements (spaced selection, path from stored state)', async () => {
    const small = await refresherAt(ctx, 20);
    const large = await refresherAt(ctx, 40);
    expect(large.due).toBeGreaterThan(0);
    expect(large.pathMs.p50).toBeGreaterThan(0);
    expectRows({ id: 'refresher', title: 'refreshers', rows: refresherRows([small, large]) }, ['40/20 time']);
    const sweep = await spacedSweepAt(ctx, 30, 120);
    expect(sweep.outcome.runs.map((r) => r.label)).toEqual(['first', 'repeat', 'repeat-spaced-off']);
    expect(sweep.memories).toBeGreaterThan(20);
    expectRows({ id: 'refresher', title: 'spaced sweep', rows: spacedSweepRows([sweep], 120) }, [
      '30: first sweep',
      '30: nightly knowledge snapshots',
    ]);
  });

  it('runs the policy publish measurement on an organisation of its own', async () => {
    const dbName = benchDbName('smoke_policy');
    const db = await openDb(ctx.mongoUri, dbName);
    try {
      await generateOrg(db.models, {
        employees: 40,
        course: ctx.course,
        now: new Date(),
        passwordHash: ctx.passwordHash,
        audit: false,
        sessionShare: 0,
      });
      const publish = await policyPublishAt(ctx, dbName, 40, 1);
      expect(publish.perPersonCommands).toBe(0);
      expect(publish.reattestCommands).toHaveProperty('update course_settings');
      expect(await db.models.PolicyVersion.countDocuments()).toBe(2);
      expectRows({ id: 'policy', title: '', rows: policyPublishRows([publish, publish]) }, [
        're-attest publish',
      ]);
    } finally {
      await db.conn.dropDatabase().catch(() => {});
      await db.close();
    }
  });

  it('runs the people list and bulk actions measurement (preview, background run, progress)', async () => {
    const bulk = await measureBulk(ctx, [40]);
    expectRows(bulk, ['preview', 'run to the end', 'filtered by state']);
  });

  it('runs the SCORM export measurement', async () => {
    expectRows(await measureScormExport(ctx.course, 1), ['zipped size']);
  });

  it('runs the SCIM provisioning measurement (create then update over HTTP)', async () => {
    const timings = await scimProvisioningAt(ctx, 12, 3);
    expect(timings.create.failures).toBe(0);
    expect(timings.update.failures).toBe(0);
    expect(timings.get.failures).toBe(0);
    expect(timings.missByUserName.failures).toBe(0);
    expect(timings.hitByExternalId.failures).toBe(0);
    expect(timings.updatedInDb).toBe(12);
    expectRows({ id: 'scim', title: 'SCIM', rows: scimRows(timings) });
  });

  it('runs the backup and restore measurement (each in a child process)', async () => {
    const timing = await backupAt(ctx, 20);
    expect(timing.restore.documents).toBe(timing.documents);
    expect(timing.backup.peakMb).toBeGreaterThan(0);
    expectRows({ id: 'backup', title: 'Backup', rows: backupRows([timing, timing]) }, ['backup peak RSS']);
  });

  it('runs the cluster measurement: the real src/server.ts with WORKERS=2 through the three web loads', async () => {
    // One server only (each start costs seconds); the rows compare the run with itself.
    const run = await workersRunAt(
      ctx,
      2,
      {
        counts: [2],
        employees: 20,
        lesson: { connections: 4, durationS: 1, sessions: 3, rounds: 1, maxRequests: 20 },
        quiz: { connections: 2, submissions: 4, durationS: 2, drainS: 10 },
        burst: { learners: 6, windowS: 0.3, thinkS: 0.2, loginSample: 1, deadlineS: 20, soloLearners: 1 },
      },
      new Date(),
    );
    // The primary and two workers, all counted in the CPU split.
    expect(run.processes).toBe(3);
    expect(Object.keys(run.lesson.cpu?.appByPid ?? {})).toHaveLength(3);
    expect(run.lesson.cpu?.appCpuMs).toBeGreaterThan(0);
    expect(run.lesson.failures).toBe(0);
    expect(run.quiz.graded).toBe(4);
    expect(run.quiz.stored).toBe(4);
    expect(run.burst.errors).toBe(0);
    expect(run.burst.toStart.p99).toBeGreaterThan(0);
    expectRows({ id: 'workers', title: '', rows: workerRows([{ ...run, workers: 1 }, run]) }, [
      'lesson page req/s',
      'learners admitted/s',
    ]);
  });

  it('runs the cold-start measurement', async () => {
    const cold = await measureColdStart({ restart: false, baseline: false });
    expect(cold.rows[0]!.value).toBeGreaterThan(0);
  });
});
