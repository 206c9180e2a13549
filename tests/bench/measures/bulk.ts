import { openDb } from '../../../src/db/connection.js';
import { systemClock } from '../../../src/domain/clock.js';
import { NO_FILTERS, type PeopleFilters } from '../../../src/domain/people/list-filters.js';
import { outboxMailer } from '../../../src/mail/transport.js';
import { createAuditLog } from '../../../src/services/audit/log.js';
import type { ServiceContext } from '../../../src/services/context.js';
import { createCatalogue } from '../../../src/services/courses/index.js';
import { bulkJob, confirmBulk, previewBulk, waitForBulkJob } from '../../../src/services/people/bulk.js';
import { peopleView } from '../../../src/services/people/list-view.js';
import type { BenchContext } from '../lib/context.js';
import { benchDbName } from '../lib/ferret.js';
import { below, type MeasureResult, type Row } from '../lib/results.js';
import { round } from '../lib/stats.js';
import { generateOrg } from '../synthetic-org.js';

/**
 * HR's bulk actions from the people list (issue #28) on a synthetic organisation, in this process
 * through the people service (what the routes call): the list's first view (directory load), a
 * filtered view (one pass over the assignment summaries), the preview of an action on everyone
 * active (target < 5 s at 10k), then each action run to the end in the background while its
 * progress is read from the job document, as the status page does.
 */

export interface BulkRun {
  action: string;
  previewMs: number;
  runMs: number;
  selected: number;
  changed: number;
  skipped: number;
  /** Distinct progress values the job document showed while the run went on (the status page's view). */
  progressSeen: number[];
}

export interface BulkTimings {
  employees: number;
  listFirstMs: number;
  listFilteredMs: number;
  /** The preview of a reminder to everyone overdue (a state-filtered selection). */
  overduePreview: { ms: number; selected: number };
  runs: BulkRun[];
}

async function serviceContext(bench: BenchContext, dbName: string) {
  const db = await openDb(bench.mongoUri, dbName);
  const served = new Map(bench.courses);
  const catalogue = createCatalogue({ models: db.models, served, clock: systemClock });
  await catalogue.refresh({ force: true });
  const ctx: ServiceContext = {
    models: db.models,
    courses: served,
    catalogue,
    audit: createAuditLog(db.models),
    mailer: outboxMailer(db.models),
    baseUrl: 'http://127.0.0.1:3000',
  };
  return { db, ctx };
}

const ACTIVE: PeopleFilters = { ...NO_FILTERS, active: 'yes' };

/** Preview then run one action on everyone active, reading the progress every half second. */
async function runAction(
  ctx: ServiceContext,
  actorId: string,
  action: 'remind' | 'export' | 'extend',
  form: { courseId?: string; dueDate?: string; reason?: string },
): Promise<BulkRun> {
  const t0 = performance.now();
  const { jobId } = await previewBulk(ctx, { actorId, action, filters: ACTIVE, ids: [], now: new Date() });
  const previewMs = performance.now() - t0;
  const t1 = performance.now();
  const progressSeen = new Set<number>();
  let finished = false;
  const watch = (async () => {
    while (!finished) {
      progressSeen.add((await bulkJob(ctx, { jobId })).done);
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  const result = await confirmBulk(ctx, { jobId, actorId, form, now: new Date() });
  if (!result.ok) throw new Error(`bench ${action}: ${JSON.stringify(result.errors)}`);
  await waitForBulkJob(ctx, { jobId });
  const runMs = performance.now() - t1;
  finished = true;
  await watch;
  const job = await bulkJob(ctx, { jobId });
  return {
    action,
    previewMs: round(previewMs),
    runMs: round(runMs),
    selected: job.total,
    changed: job.changed,
    skipped: job.skipped,
    progressSeen: [...progressSeen].sort((a, b) => a - b),
  };
}

/** The measurements on an organisation of `employees`, already generated in `dbName`. */
export async function bulkAt(
  bench: BenchContext,
  dbName: string,
  employees: number,
  actorId: string,
): Promise<BulkTimings> {
  const { db, ctx } = await serviceContext(bench, dbName);
  try {
    const t0 = performance.now();
    await peopleView(ctx, { filters: NO_FILTERS, page: 1, now: new Date() });
    const listFirstMs = performance.now() - t0;
    const t1 = performance.now();
    await peopleView(ctx, { filters: { ...NO_FILTERS, state: 'overdue' }, page: 1, now: new Date() });
    const listFilteredMs = performance.now() - t1;
    // HR home's link, before the runs change the states: everyone overdue (the selection is a
    // pass over the assignment summaries).
    const t2 = performance.now();
    const overdue = await previewBulk(ctx, {
      actorId,
      action: 'remind',
      filters: { ...NO_FILTERS, state: 'overdue' },
      ids: [],
      now: new Date(),
    });
    const overduePreviewMs = performance.now() - t2;
    const overdueSelected = (await bulkJob(ctx, { jobId: overdue.jobId })).total;
    const courseId = bench.course.id;
    const later = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
    const runs = [
      await runAction(ctx, actorId, 'remind', {}),
      await runAction(ctx, actorId, 'export', {}),
      await runAction(ctx, actorId, 'extend', { courseId, dueDate: later, reason: 'bench' }),
    ];
    return {
      employees,
      listFirstMs: round(listFirstMs),
      listFilteredMs: round(listFilteredMs),
      overduePreview: { ms: round(overduePreviewMs), selected: overdueSelected },
      runs,
    };
  } finally {
    await db.close();
  }
}

export function bulkRows(all: BulkTimings[]): Row[] {
  return all.flatMap((t) => [
    {
      measure: `people list (${t.employees})`,
      metric: 'first view (directory load)',
      value: t.listFirstMs,
      unit: 'ms',
    },
    {
      measure: `people list (${t.employees})`,
      metric: 'filtered by state',
      value: t.listFilteredMs,
      unit: 'ms',
    },
    below(
      {
        measure: `bulk remind (${t.overduePreview.selected} overdue)`,
        metric: 'preview (state filter)',
        value: t.overduePreview.ms,
        unit: 'ms',
      },
      5000,
    ),
    ...t.runs.flatMap((r) => [
      below(
        {
          measure: `bulk ${r.action} (${r.selected} selected)`,
          metric: 'preview',
          value: r.previewMs,
          unit: 'ms',
        },
        5000,
      ),
      {
        measure: `bulk ${r.action} (${r.selected} selected)`,
        metric: 'run to the end',
        value: r.runMs,
        unit: 'ms',
        note: `${r.changed} acted on, ${r.skipped} skipped; progress seen ${r.progressSeen.length}×`,
      },
    ]),
  ]);
}

/** One organisation per size, each in its own database, dropped after use. */
export async function measureBulk(bench: BenchContext, sizes: number[]): Promise<MeasureResult> {
  const all: BulkTimings[] = [];
  for (const employees of sizes) {
    const dbName = benchDbName(`bulk${employees}`);
    const db = await openDb(bench.mongoUri, dbName);
    try {
      const org = await generateOrg(db.models, {
        employees,
        course: bench.course,
        now: new Date(),
        passwordHash: bench.passwordHash,
        audit: false,
        sessionShare: 0,
      });
      bench.log(`  bulk: ${employees}-person organisation generated in ${(org.ms / 1000).toFixed(1)} s`);
      all.push(await bulkAt(bench, dbName, employees, org.hr.id));
    } finally {
      await db.conn.dropDatabase().catch(() => {});
      await db.close();
    }
  }
  return {
    id: 'bulk',
    title: 'People list and bulk actions (issue #28)',
    rows: bulkRows(all),
    details: { all },
  };
}
