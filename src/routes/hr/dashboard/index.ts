import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HR_ROLES } from '../../../domain/access.js';
import { listedStates, parseReportQuery } from '../../../domain/reporting.js';
import { MAX_PAGE } from '../../../services/reporting/paging.js';
import { formBody, Slug } from '../../form-schema.js';
import { FilterQueryProps } from '../reports/filter-query.js';
import { dashboardPage, pageParam } from './presenter.js';

const Page = Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE }));
const DashboardQuery = Type.Object(
  { ...FilterQueryProps, overduePage: Page, dueSoonPage: Page, page: Page },
  { additionalProperties: false },
);

/** HR dashboard: one summary document per course, plus one or two list chunks per page. */
const dashboardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const onBackgroundError = (err: unknown) => app.log.error({ err }, 'report summary refresh failed');

  app.get(
    '/hr/dashboard',
    { config: { access: HR_ROLES }, schema: { querystring: DashboardQuery } },
    async (request, reply) => {
      const { course, filter } = parseReportQuery(request.query, app.courses, true);
      if (!course) return reply.viewAsync('hr/dashboard/no-courses', {});
      const now = app.clock.now();
      const lists = listedStates(filter).map((state) => ({
        state,
        page: request.query[pageParam(state)] ?? 1,
      }));
      const data = await app.services.reporting.dashboard({
        courseId: course.id,
        filter,
        lists,
        now,
        onBackgroundError,
      });
      if (!data)
        return reply.viewAsync('hr/dashboard/counting', { course: { id: course.id, title: course.title } });
      return reply.viewAsync(
        'hr/dashboard/index',
        dashboardPage({ courses: app.courses, course, filter, data, now, wording: request.i18n! }),
      );
    },
  );

  app.post(
    '/hr/dashboard/refresh',
    { config: { access: HR_ROLES }, schema: { body: formBody({ course: Slug }) } },
    async (request, reply) => {
      const courseId = request.body.course;
      // In the background: the dashboard says a refresh is running until it is done.
      await app.services.reporting.refreshDashboard({ courseId, now: app.clock.now(), onBackgroundError });
      return reply.redirect(`/hr/dashboard?course=${encodeURIComponent(courseId)}`, 303);
    },
  );
};

export default dashboardRoutes;
