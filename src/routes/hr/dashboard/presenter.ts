import type { Course } from '../../../domain/course.js';
import { clauseById } from '../../../domain/course.js';
import {
  completionByDepartment,
  countByState,
  type DepartmentRate,
  departmentsOf,
  isStale,
  REPORT_STATES,
  type ReportFilter,
  type ReportState,
  topClauseMisses,
} from '../../../domain/reporting.js';
import { stateLabels } from '../../../domain/state-labels.js';
import type { DashboardData } from '../../../services/reporting/dashboard.js';
import type { ListPage } from '../../../services/reporting/lists.js';
import { MAX_PAGE } from '../../../services/reporting/paging.js';
import { filterParams } from '../reports/filter-query.js';
import { barChart } from './chart.js';
import { type PageWording, trendView } from './trend-presenter.js';

/** The query parameter that pages each list: the two action lists page on their own. */
export type PageParam = 'overduePage' | 'dueSoonPage' | 'page';
export function pageParam(state: string): PageParam {
  return state === 'overdue' ? 'overduePage' : state === 'due-soon' ? 'dueSoonPage' : 'page';
}

/** A day as the lists show it (UTC `YYYY-MM-DD`), or a dash. */
const day = (d: Date | null | undefined) => (d ? new Date(d).toISOString().slice(0, 10) : '—');
const pct = (r: number) => `${Math.round(r * 100)}%`;
/** A moment for a `<time>` element: its machine form and `YYYY-MM-DD HH:MM UTC`. */
const moment = (d: Date) => {
  const iso = new Date(d).toISOString();
  return { iso, text: `${iso.slice(0, 16).replace('T', ' ')} UTC` };
};

function listView(course: Course, filter: ReportFilter, state: ReportState, list: ListPage, label: string) {
  const param = pageParam(state);
  const link = (p: number) => {
    const q = filterParams(course, filter);
    q.set(param, String(p));
    return `/hr/dashboard?${q.toString()}#list-${state}`;
  };
  const { page } = list;
  return {
    state,
    label,
    list: { page, total: list.total, items: list.items.map((p) => ({ ...p, due: day(p.dueAt) })) },
    prev: page > 1 ? link(page - 1) : null,
    next: list.hasNext && page < MAX_PAGE ? link(page + 1) : null,
  };
}

function ratesView(rates: readonly DepartmentRate[], w: PageWording) {
  return rates.map((r) => ({
    department: r.department || w.t('hr.dashboard.noDepartment'),
    total: r.total,
    completed: r.completed,
    rate: pct(r.rate),
  }));
}

function clauseMissesView(course: Course, data: DashboardData) {
  // A summary read between its two first writes (or written by an older version) has none yet.
  return topClauseMisses(data.summary.clauseMisses ?? [], 10).map((m) => {
    const clause = clauseById(course, m.clauseId);
    return {
      label: clause ? `${clause.number}. ${clause.title}` : m.clauseId,
      wrong: Math.round(m.wrong * 10) / 10,
      total: m.total,
      rate: pct(m.total ? m.wrong / m.total : 0),
    };
  });
}

/** Everything the dashboard page shows, formatted: the view only lays it out. */
export function dashboardPage(input: {
  courses: ReadonlyMap<string, Course>;
  course: Course;
  filter: ReportFilter;
  data: DashboardData;
  now: Date;
  wording: PageWording;
}) {
  const { course, filter, data, wording: w } = input;
  const labels = stateLabels((key, values) => w.t(key, values));
  const { summary } = data;
  const rates = completionByDepartment(summary.cells, filter);
  const rateRows = ratesView(rates, w);
  return {
    courses: [...input.courses.values()].map((c) => ({ id: c.id, title: c.title })),
    course: { id: course.id, title: course.title },
    filter,
    states: REPORT_STATES.map((s) => ({ id: s, label: labels[s] })),
    departments: departmentsOf(summary.cells),
    asOf: moment(summary.asOf),
    stale: isStale(summary.asOf, input.now),
    refreshing: data.refreshing,
    counts: countByState(summary.cells, filter),
    rates: rateRows,
    chart: barChart(rates),
    chartSummary: rateRows.map((r) => `${r.department} ${r.rate}`).join(', '),
    clausesAsOf: summary.clausesAsOf ? moment(summary.clausesAsOf) : null,
    clauseMisses: clauseMissesView(course, data),
    lists: data.lists.map(({ state, list }) => listView(course, filter, state, list, labels[state])),
    trend: trendView(data.trend, filter.department, course.title, w),
    exportHref: `/hr/reports/status.csv?${filterParams(course, filter).toString()}`,
  };
}
