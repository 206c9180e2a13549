import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HR_ROLES } from '../../../domain/access.js';
import { attachmentDisposition } from '../../../domain/download-name.js';
import { parseReportQuery } from '../../../domain/reporting.js';
import { complianceFormView, defaultComplianceValues } from './compliance-form.js';
import { FilterQueryProps } from './filter-query.js';

const ExportQuery = Type.Object(FilterQueryProps, { additionalProperties: false });

/** Downloadable reports. The status CSV streams, so 100k rows never sit in memory as text. */
const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/hr/reports', { config: { access: HR_ROLES } }, async (_request, reply) => {
    const now = app.clock.now();
    const departments = await app.services.people.departmentNames({ now });
    return reply.viewAsync('hr/reports/index', {
      courses: [...app.courses.values()].map((c) => ({ id: c.id, title: c.title })),
      compliance: complianceFormView(defaultComplianceValues(now), departments, now),
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
