import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HR_ROLES } from '../../../domain/access.js';
import { clauseById } from '../../../domain/course.js';
import {
  barChart,
  completionByDepartment,
  countByState,
  departmentsOf,
  isStale,
  MAX_PAGE,
  REPORT_STATES,
  STATE_LABELS,
  topClauseMisses,
} from '../../../domain/reporting.js';
import { HttpError } from '../../../plugins/auth.js';
import {
  ACTION_STATES,
  type ListPage,
  liveStateList,
  readActionList,
} from '../../../services/reporting/lists.js';
import { isRefreshing, refreshSummaries, summaryFor } from '../../../services/reporting/summaries.js';
import { formBody, Slug } from '../../form-schema.js';
import { FilterQueryProps, filterParams, parseFilter } from '../reports/filter-query.js';

const Page = Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE }));
const DashboardQuery = Type.Object(
  { ...FilterQueryProps, overduePage: Page, dueSoonPage: Page, page: Page },
  { additionalProperties: false },
);

const PAGE_PARAM: Record<string, 'overduePage' | 'dueSoonPage' | 'page'> = {
  overdue: 'overduePage',
  'due-soon': 'dueSoonPage',
};

/** HR dashboard: one summary document per course, plus one or two list chunks per page. */
const dashboardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const logRefreshError = (err: unknown) => app.log.error({ err }, 'report summary refresh failed');

  app.get(
    '/hr/dashboard',
    { config: { access: HR_ROLES }, schema: { querystring: DashboardQuery } },
    async (request, reply) => {
      const { course, filter } = parseFilter(request.query, app.courses, true);
      if (!course) return reply.viewAsync('hr/dashboard/no-courses', {});
      const now = app.clock.now();
      const summary = await summaryFor(app.db.models, app.courses, course.id, now, logRefreshError);
      if (!summary)
        return reply.viewAsync('hr/dashboard/counting', { course: { id: course.id, title: course.title } });

      const listStates = filter.state ? [filter.state] : [...ACTION_STATES];
      const lists: Array<{
        state: string;
        label: string;
        list: ListPage;
        prev: string | null;
        next: string | null;
      }> = [];
      for (const state of listStates) {
        const param = PAGE_PARAM[state] ?? 'page';
        const page = request.query[param] ?? 1;
        const list = (ACTION_STATES as readonly string[]).includes(state)
          ? await readActionList(
              app.db.models,
              summary,
              state as (typeof ACTION_STATES)[number],
              filter,
              page,
            )
          : await liveStateList(app.db.models, course.id, filter, page);
        const link = (p: number) => {
          const q = filterParams(course, filter);
          q.set(param, String(p));
          return `/hr/dashboard?${q.toString()}#list-${state}`;
        };
        lists.push({
          state,
          label: STATE_LABELS[state as keyof typeof STATE_LABELS],
          list,
          prev: page > 1 ? link(page - 1) : null,
          next: list.hasNext && page < MAX_PAGE ? link(page + 1) : null,
        });
      }

      const rates = completionByDepartment(summary.cells, filter);
      return reply.viewAsync('hr/dashboard/index', {
        courses: [...app.courses.values()].map((c) => ({ id: c.id, title: c.title })),
        course: { id: course.id, title: course.title },
        filter,
        states: REPORT_STATES.map((s) => ({ id: s, label: STATE_LABELS[s] })),
        departments: departmentsOf(summary.cells),
        asOf: summary.asOf,
        stale: isStale(summary.asOf, now),
        refreshing: isRefreshing(app.db.models),
        counts: countByState(summary.cells, filter),
        rates,
        chart: barChart(rates),
        clausesAsOf: summary.clausesAsOf ?? null,
        clauseMisses: topClauseMisses(summary.clauseMisses, 10).map((m) => ({
          ...m,
          clause: clauseById(course, m.clauseId) ?? null,
        })),
        lists,
        exportHref: `/hr/reports/status.csv?${filterParams(course, filter).toString()}`,
      });
    },
  );

  app.post(
    '/hr/dashboard/refresh',
    { config: { access: HR_ROLES }, schema: { body: formBody({ course: Slug }) } },
    async (request, reply) => {
      if (!app.courses.has(request.body.course)) throw new HttpError(404, 'There is no such course.');
      // In the background: the dashboard says a refresh is running until it is done.
      refreshSummaries(app.db.models, app.courses, app.clock.now()).catch(logRefreshError);
      return reply.redirect(`/hr/dashboard?course=${encodeURIComponent(request.body.course)}`, 303);
    },
  );
};

export default dashboardRoutes;
