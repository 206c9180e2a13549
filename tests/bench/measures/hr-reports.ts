import type { Models } from '../../../src/db/models/index.js';
import type { ReportSummaryDoc } from '../../../src/db/models/reporting.js';
import type { SessionUser } from '../../../src/domain/roles.js';
import type { BenchContext } from '../lib/context.js';
import { type HttpResponse, httpRequest } from '../lib/http.js';
import { below, type Row } from '../lib/results.js';
import { createSessions } from '../lib/sessions.js';
import { percentile, ratio, round } from '../lib/stats.js';

export interface HrTimings {
  employees: number;
  /** Dashboard with a fresh summary (median of a few visits). */
  dashboard: { ttfbMs: number; totalMs: number; status: number };
  /** Dashboard when no summary exists yet: the "being counted" page, and when the figures appear. */
  dashboardCold: {
    ttfbMs: number;
    totalMs: number;
    status: number;
    countedAfterMs: number;
    clausesAfterMs: number;
  };
  csv: { ttfbMs: number; totalMs: number; status: number; bytes: number; rows: number };
  /**
   * The people directory: the first view after the app starts (it loads the process's copy), the
   * same page again (from that copy), and a search for one person by name.
   */
  people: { totalMs: number; status: number };
  peopleAgain: { totalMs: number; status: number };
  peopleSearch: { totalMs: number; status: number };
  /** HR home's "what needs me today" (issue #28) and one person's readable history. */
  home: { totalMs: number; status: number; countedAfterMs: number };
  history: { totalMs: number; status: number };
}

/** 4. HR dashboard and status CSV for one organisation, through the app (at `appUrl`) on loopback. */
export async function hrReportsAt(
  ctx: BenchContext,
  models: Models,
  appUrl: string,
  employees: number,
  hr: SessionUser,
): Promise<HrTimings> {
  const [session] = await createSessions(models, [hr]);
  const get = (p: string) =>
    httpRequest(`${appUrl}${p}`, { headers: { cookie: session!.cookie }, timeoutMs: 600_000 });
  const course = encodeURIComponent(ctx.course.id);
  // The export first: a dashboard visit that finds the summary stale starts a background
  // refresh (a full pass), which would run under the export.
  const csv = await get(`/hr/reports/status.csv?course=${course}`);
  // Then the worst case: no summary yet. The page says the figures are being counted (a
  // background pass); HR checking again every few seconds sees the states once they are stored,
  // and the clause figures once the roll-up that follows them is.
  await models.ReportSummary.deleteMany({});
  const coldStart = performance.now();
  const cold = await get(`/hr/dashboard?course=${course}`);
  const storedAfter = async (done: (s: ReportSummaryDoc | null) => boolean) => {
    while (!done(await models.ReportSummary.findById(ctx.course.id).lean<ReportSummaryDoc>())) {
      // A count that failed in the app never stores anything: give up rather than wait forever.
      if (performance.now() - coldStart > 30 * 60_000) throw new Error('the first count never finished');
      await new Promise((r) => setTimeout(r, 2000));
    }
    return performance.now() - coldStart;
  };
  const countedAfterMs = await storedAfter((s) => s !== null);
  const clausesAfterMs = await storedAfter((s) => !!s?.clausesAsOf);
  // Then the usual case: the summary exists and is fresh (the cold visit's count just wrote it).
  const visits: HttpResponse[] = [];
  for (let i = 0; i < 3; i++) visits.push(await get(`/hr/dashboard?course=${course}`));
  const median = (pick: (r: HttpResponse) => number) => percentile(visits.map(pick), 50);
  const people = await get('/hr/people');
  const peopleAgain = await get('/hr/people');
  const search = await get(`/hr/people?q=${encodeURIComponent(`Person ${Math.ceil(employees / 2)}`)}`);
  // HR home: the first visit starts the background count of its figures; the page never waits.
  await models.NeedsMe.deleteMany({});
  const homeStart = performance.now();
  const homes: HttpResponse[] = [];
  for (let i = 0; i < 3; i++) homes.push(await get('/hr'));
  while (!(await models.NeedsMe.findById('hr-home').lean())) await new Promise((r) => setTimeout(r, 500));
  const homeCountedAfterMs = performance.now() - homeStart;
  const someone = await models.User.findOne({ role: 'employee' }, { _id: 1 }).lean();
  const history = await get(`/hr/employees/${encodeURIComponent(String(someone?._id ?? 'none'))}`);
  return {
    employees,
    dashboard: { ttfbMs: median((r) => r.ttfbMs), totalMs: median((r) => r.ms), status: visits[0]!.status },
    dashboardCold: {
      ttfbMs: cold.ttfbMs,
      totalMs: cold.ms,
      status: cold.status,
      countedAfterMs,
      clausesAfterMs,
    },
    csv: {
      ttfbMs: csv.ttfbMs,
      totalMs: csv.ms,
      status: csv.status,
      bytes: Buffer.byteLength(csv.body),
      rows: Math.max(0, csv.body.split('\n').filter(Boolean).length - 1),
    },
    people: { totalMs: people.ms, status: people.status },
    peopleAgain: { totalMs: peopleAgain.ms, status: peopleAgain.status },
    peopleSearch: { totalMs: search.ms, status: search.status },
    home: {
      totalMs: percentile(
        homes.map((r) => r.ms),
        50,
      ),
      status: homes[0]!.status,
      countedAfterMs: homeCountedAfterMs,
    },
    history: { totalMs: history.ms, status: history.status },
  };
}

/** Rows for the largest organisation, each next to the smallest one measured in the same run. */
export function hrRows(all: HrTimings[]): Row[] {
  if (all.length === 0) return [];
  const big = all.reduce((a, b) => (b.employees > a.employees ? b : a));
  const small = all.reduce((a, b) => (b.employees < a.employees ? b : a));
  const measure = `HR reports @${big.employees / 1000}k`;
  const base = `${small.employees / 1000}k`;
  const row = (metric: string, v: number, b: number, unit = 'ms'): Row => ({
    measure,
    metric,
    value: round(v),
    unit,
    baseline: { label: base, value: round(b) },
    ratio: ratio(v, b),
  });
  const failed = [
    big.dashboard.status,
    big.dashboardCold.status,
    big.csv.status,
    big.people.status,
    big.peopleAgain.status,
    big.peopleSearch.status,
    big.home.status,
    big.history.status,
  ].some((s) => s !== 200);
  return [
    below(row('dashboard: total', big.dashboard.totalMs, small.dashboard.totalMs), 1000),
    row('dashboard: first byte', big.dashboard.ttfbMs, small.dashboard.ttfbMs),
    row('dashboard, no summary yet: page total', big.dashboardCold.totalMs, small.dashboardCold.totalMs),
    row(
      'dashboard, no summary yet: states shown after',
      big.dashboardCold.countedAfterMs,
      small.dashboardCold.countedAfterMs,
    ),
    row(
      'dashboard, no summary yet: clause figures after',
      big.dashboardCold.clausesAfterMs,
      small.dashboardCold.clausesAfterMs,
    ),
    below(row('CSV export: first byte', big.csv.ttfbMs, small.csv.ttfbMs), 1000),
    row('CSV export: total', big.csv.totalMs, small.csv.totalMs),
    {
      measure,
      metric: 'CSV export: rows / size',
      value: big.csv.rows,
      unit: 'rows',
      note: `${round(big.csv.bytes / 2 ** 20, 1)} MB`,
    },
    row('people directory, first view (loads the copy)', big.people.totalMs, small.people.totalMs),
    row('people directory, first page again', big.peopleAgain.totalMs, small.peopleAgain.totalMs),
    row('people search by name: total', big.peopleSearch.totalMs, small.peopleSearch.totalMs),
    below(row('HR home (what needs me today): total', big.home.totalMs, small.home.totalMs), 1000),
    row('HR home: figures counted (background) after', big.home.countedAfterMs, small.home.countedAfterMs),
    row("one person's readable history: total", big.history.totalMs, small.history.totalMs),
    { measure, metric: 'non-200 answers', value: failed ? 1 : 0, unit: 'count', target: '0', met: !failed },
  ];
}
