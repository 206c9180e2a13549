import { openDb } from '../../src/db/connection.js';
import { startAppProcess } from './lib/app-process.js';
import { type BenchContext, openOrgFixture } from './lib/context.js';
import { waitForIdle } from './lib/cpu-split.js';
import { type BenchDatabase, benchDbName } from './lib/ferret.js';
import type { BenchPlan } from './lib/options.js';
import type { MeasureResult } from './lib/results.js';
import { measureBackup } from './measures/backup.js';
import { measureBulk } from './measures/bulk.js';
import { measureColdStart } from './measures/cold-start.js';
import { measureExamBurst } from './measures/exam-burst.js';
import { type HrTimings, hrReportsAt, hrRows } from './measures/hr-reports.js';
import { measureItemStats } from './measures/item-stats.js';
import { measureLessonPage } from './measures/lesson-page.js';
import { auditAppendAt, HOT_PATHS, type LookupTimings, lookupRows, lookupsAt } from './measures/lookups.js';
import { type PolicyPublishTimings, policyPublishAt, policyPublishRows } from './measures/policy-publish.js';
import { measureQuizSubmit } from './measures/quiz-submit.js';
import { measureRefresher } from './measures/refresher.js';
import { measureScim } from './measures/scim.js';
import { measureScormExport } from './measures/scorm-export.js';
import { type SweepOutcome, sweepInChild, sweepRows } from './measures/sweep.js';
import { measureWorkers, type WorkersOptions } from './measures/workers.js';
import { generateOrg } from './synthetic-org.js';

type Report = (r: MeasureResult) => void;

/** 1, 2, 6: the web measurements share one organisation and one app process, in this order. */
async function webPhase(ctx: BenchContext, plan: BenchPlan, report: Report): Promise<void> {
  ctx.log(`\n== web measurements on a ${plan.webOrg}-person organisation`);
  const fx = await openOrgFixture(ctx, {
    label: 'web',
    employees: plan.webOrg,
    audit: plan.webAudit,
    logLevel: plan.logLevel,
  });
  try {
    if (plan.only.has('lesson')) {
      report(
        await measureLessonPage(fx, {
          connections: plan.connections,
          durationS: plan.loadSeconds,
          sessions: 50,
          rounds: plan.rounds,
        }),
      );
    }
    if (plan.only.has('quiz')) {
      report(
        await measureQuizSubmit(fx, {
          connections: plan.connections,
          submissions: plan.quizSubmissions,
          durationS: plan.loadSeconds,
          drainS: plan.drainS,
        }),
      );
    }
    if (plan.only.has('burst')) {
      report(
        await measureExamBurst(fx, {
          learners: plan.burstLearners,
          windowS: plan.burstWindowS,
          thinkS: plan.burstThinkS,
          loginSample: plan.loginSample,
          deadlineS: plan.burstDeadlineS,
        }),
      );
    }
  } finally {
    await fx.close();
  }
}

/** 3, 4 and the index check: one organisation per size, each in its own database, dropped after use. */
async function scalePhase(
  ctx: BenchContext,
  plan: BenchPlan,
  database: BenchDatabase,
  report: Report,
): Promise<void> {
  const sweeps: SweepOutcome[] = [];
  const hr: HrTimings[] = [];
  const lookups: LookupTimings[] = [];
  const publishes: PolicyPublishTimings[] = [];
  for (const employees of plan.sweepSizes) {
    ctx.log(`\n== ${employees}-person organisation`);
    const dbName = benchDbName(`org${employees}`);
    const db = await openDb(ctx.mongoUri, dbName);
    try {
      const org = await generateOrg(db.models, {
        employees,
        course: ctx.course,
        now: new Date(),
        passwordHash: ctx.passwordHash,
        // The sweep and the reports never read the audit log; it is measured on its own below.
        audit: false,
        sessionShare: 0.2,
      });
      ctx.log(`  generated in ${(org.ms / 1000).toFixed(1)} s: ${JSON.stringify(org.counts)}`);
      if (plan.only.has('lookups'))
        lookups.push(await lookupsAt(db.models, employees, org.sample, ctx.course.id));
      if (plan.only.has('sweep')) {
        ctx.log('  sweeping…');
        const outcome = await sweepInChild(ctx, dbName, employees, database.pid, plan.sweepTimeoutS);
        sweeps.push(outcome);
        if (!outcome.finished) await waitForIdle(database.pid, 600_000);
        const secs = (run?: { wallMs: number }) =>
          run ? `${(run.wallMs / 1000).toFixed(1)} s` : 'did not finish';
        ctx.log(
          `  sweep: ${outcome.finished ? secs(outcome.runs[0]) : 'did not finish'}; nightly job: ${secs(outcome.nightly)}`,
        );
      }
      if (plan.only.has('hr')) {
        ctx.log('  HR dashboard and CSV…');
        const app = await startAppProcess({ mongoUri: ctx.mongoUri, dbName });
        try {
          hr.push(await hrReportsAt(ctx, db.models, app.url, employees, org.hr));
        } finally {
          await app.close();
        }
      }
      // Last on this organisation: each publish leaves a renewal campaign on the course settings.
      if (plan.only.has('policy')) {
        ctx.log('  publishing policy versions…');
        publishes.push(await policyPublishAt(ctx, dbName, employees, plan.quick ? 3 : 5));
      }
    } finally {
      await db.conn.dropDatabase().catch(() => {});
      await db.close();
    }
  }
  if (sweeps.length)
    report({
      id: 'sweep',
      title: 'Refresher sweep (jobs:run) per organisation size',
      rows: sweepRows(sweeps, plan.sweepTimeoutS),
      details: { sweeps },
    });
  if (hr.length)
    report({ id: 'hr-reports', title: 'HR dashboard and status CSV', rows: hrRows(hr), details: { hr } });
  if (publishes.length)
    report({
      id: 'policy-publish',
      title: 'Publishing a re-attest policy version (no scan per person)',
      rows: policyPublishRows(publishes),
      details: { publishes },
    });
  if (plan.only.has('lookups')) {
    const audits = [];
    for (const events of plan.auditSizes) {
      const db = await openDb(ctx.mongoUri, benchDbName(`audit${events}`));
      try {
        audits.push(await auditAppendAt(db.models, events));
      } finally {
        await db.conn.dropDatabase().catch(() => {});
        await db.close();
      }
    }
    report({
      id: 'lookups',
      title: 'Hot lookups by _id as data grows',
      rows: lookupRows(lookups, audits),
      details: { hotPaths: HOT_PATHS, lookups, audits },
    });
  }
}

/** The order of a run. Each result is reported as soon as it exists. */
export async function runPlan(
  ctx: BenchContext,
  plan: BenchPlan,
  database: BenchDatabase,
  report: Report,
): Promise<void> {
  if (['lesson', 'quiz', 'burst'].some((m) => plan.only.has(m as never))) await webPhase(ctx, plan, report);
  if (plan.only.has('scorm')) report(await measureScormExport(ctx.course, plan.quick ? 3 : 5));
  if (['sweep', 'hr', 'lookups', 'policy'].some((m) => plan.only.has(m as never)))
    await scalePhase(ctx, plan, database, report);
  if (plan.only.has('items')) report(await measureItemStats(ctx, plan.itemStatsSizes));
  if (plan.only.has('refresher'))
    report(await measureRefresher(ctx, plan.refresherSizes, plan.sweepSizes.slice(-2), plan.sweepTimeoutS));
  if (plan.only.has('scim')) report(await measureScim(ctx, plan.quick ? 200 : 1000));
  if (plan.only.has('backup')) report(await measureBackup(ctx, plan.backupSizes));
  if (plan.only.has('bulk')) report(await measureBulk(ctx, plan.bulkSizes));
  if (plan.only.has('cold')) report(await measureColdStart());
  if (plan.only.has('workers')) report(await measureWorkers(ctx, workersOptions(plan)));
}

/** Cluster mode, 1 vs 2 workers: the web measurements' loads, one round each, on the real server. */
function workersOptions(plan: BenchPlan): WorkersOptions {
  return {
    counts: plan.workerCounts,
    employees: plan.workersOrg,
    logLevel: plan.logLevel,
    lesson: { connections: plan.connections, durationS: plan.loadSeconds, sessions: 50, rounds: 1 },
    quiz: {
      connections: plan.connections,
      submissions: plan.quizSubmissions,
      durationS: plan.loadSeconds,
      drainS: plan.drainS,
    },
    burst: {
      learners: plan.workersBurstLearners,
      windowS: plan.burstWindowS,
      thinkS: plan.burstThinkS,
      loginSample: plan.quick ? 10 : 20,
      deadlineS: plan.burstDeadlineS,
    },
  };
}
