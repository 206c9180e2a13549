import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HR_ROLES } from '../../../domain/access.js';
import { attachmentDisposition } from '../../../domain/download-name.js';
import { parseReportQuery } from '../../../domain/reporting.js';
import type { Translate } from '../../../domain/state-labels.js';
import { complianceFormView, defaultComplianceValues, reportStates } from './compliance-form.js';
import { FilterQueryProps } from './filter-query.js';

const ExportQuery = Type.Object(FilterQueryProps, { additionalProperties: false });

/** Downloadable reports. The status CSV streams, so 100k rows never sit in memory as text. */
const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/hr/reports', { config: { access: HR_ROLES } }, async (request, reply) => {
    const now = app.clock.now();
    const departments = await app.services.people.departmentNames({ now });
    const t: Translate = (key, values) => request.i18n!.t(key, values);
    return reply.viewAsync('hr/reports/index', {
      courses: [...app.courses.values()].map((c) => ({ id: c.id, title: c.title })),
      states: reportStates(t),
      compliance: complianceFormView(defaultComplianceValues(now), departments, now, t),
    });
  });

  app.get(
    '/hr/reports/status.csv',
    { config: { access: HR_ROLES }, schema: { querystring: ExportQuery } },
    async (request, reply) => {
      // No course means every course: one row per person and course.
      const { course, filter } = parseReportQuery(request.query, app.courses, false);
      const day = app.clock.now().toISOString().slice(0, 10);
      const name = `training-status-${course?.id ?? 'all-courses'}-${day}.csv`;
      request.log.info({ course: course?.id, filter }, 'status export started');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachmentDisposition(name))
        .header('cache-control', 'no-store')
        .send(app.services.reporting.exportStatusCsv({ courseId: course?.id, filter }));
    },
  );
};

export default reportRoutes;
