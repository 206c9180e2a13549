import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { feedbackRepository } from '../../../db/repositories/feedback.js';
import { HR_ROLES } from '../../../domain/access.js';
import { HttpError } from '../../../plugins/auth.js';
import { markFeedbackHandled } from '../../../services/reporting/feedback.js';
import { formBody } from '../../form-schema.js';

const PAGE_SIZE = 25;
const InboxQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('handled')])),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    done: Type.Optional(Type.Union([Type.Literal('handled'), Type.Literal('already-handled')])),
  },
  { additionalProperties: false },
);
const ItemParams = Type.Object(
  { id: Type.String({ pattern: '^[A-Za-z0-9:_-]{1,160}$' }) },
  { additionalProperties: false },
);

/** HR's inbox of learners' questions and suggestions about the policy. */
const feedbackRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const feedback = feedbackRepository(app.db.models);

  app.get(
    '/hr/feedback',
    { config: { access: HR_ROLES }, schema: { querystring: InboxQuery } },
    async (request, reply) => {
      const status = request.query.status ?? 'open';
      const page = request.query.page ?? 1;
      // One extra item tells whether a next page exists without counting the whole collection.
      const items = await feedback.list({ status, skip: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE + 1 });
      const courseTitle = (id: string) => app.courses.get(id)?.title ?? id;
      return reply.viewAsync('hr/feedback/index', {
        status,
        page,
        items: items.slice(0, PAGE_SIZE).map((f) => ({ ...f, courseTitle: courseTitle(f.courseId) })),
        hasNext: items.length > PAGE_SIZE,
        done: request.query.done ?? null,
      });
    },
  );

  app.post(
    '/hr/feedback/:id/handled',
    { config: { access: HR_ROLES }, schema: { params: ItemParams, body: formBody({}) } },
    async (request, reply) => {
      const outcome = await markFeedbackHandled(
        { feedback, audit: app.audit },
        { id: request.params.id, actorId: request.user!.id },
        app.clock.now(),
      );
      if (outcome === 'not-found') throw new HttpError(404, 'That feedback item does not exist.');
      return reply.redirect(`/hr/feedback?status=open&done=${outcome}`, 303);
    },
  );
};

export default feedbackRoutes;
