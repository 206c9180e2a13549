import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HR_ROLES } from '../../../../domain/access.js';
import { Slug } from '../../../form-schema.js';
import { presentKnowledge } from './presenter.js';

const Params = Type.Object({ courseId: Slug }, { additionalProperties: false });
const NoQuery = Type.Object({}, { additionalProperties: false });

/**
 * What people know of each clause (`/hr/courses/:courseId/knowledge`, issue #23): the nightly
 * job's clause-by-department mastery snapshot as a table and an SVG heatmap, its change over the
 * last four quarters, and the clauses refresher pre-assessments most often skip or send to study.
 */
const knowledgeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/hr/courses/:courseId/knowledge',
    { config: { access: HR_ROLES }, schema: { params: Params, querystring: NoQuery } },
    async (request, reply) => {
      const page = await app.services.reporting.knowledgePage({
        courseId: request.params.courseId,
        now: app.clock.now(),
      });
      return reply.viewAsync('hr/courses/knowledge', presentKnowledge(page, request.i18n!));
    },
  );
};

export default knowledgeRoutes;
