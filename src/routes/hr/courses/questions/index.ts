import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HR_ROLES } from '../../../../domain/access.js';
import { attachmentDisposition } from '../../../../domain/download-name.js';
import { Slug } from '../../../form-schema.js';
import { presentItemStats } from './presenter.js';

const Params = Type.Object({ courseId: Slug }, { additionalProperties: false });
const NoQuery = Type.Object({}, { additionalProperties: false });

/**
 * How each quiz question performs (`/hr/courses/:courseId/questions`): the nightly job's item
 * statistics, flagged questions first, each linked to its file and line; and the same as CSV.
 */
const itemStatsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = { access: HR_ROLES };
  app.get(
    '/hr/courses/:courseId/questions',
    { config, schema: { params: Params, querystring: NoQuery } },
    async (request, reply) => {
      const page = await app.services.reporting.itemStatsPage({ courseId: request.params.courseId });
      return reply.viewAsync('hr/courses/questions', presentItemStats(page, request.i18n!));
    },
  );

  app.get(
    '/hr/courses/:courseId/questions.csv',
    { config, schema: { params: Params, querystring: NoQuery } },
    async (request, reply) => {
      const { courseId } = request.params;
      const csv = await app.services.reporting.itemStatsCsv({ courseId });
      const day = app.clock.now().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachmentDisposition(`question-statistics-${courseId}-${day}.csv`))
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );
};

export default itemStatsRoutes;
