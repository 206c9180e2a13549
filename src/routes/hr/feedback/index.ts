import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HR_ROLES } from '../../../domain/access.js';
import { formBody } from '../../form-schema.js';
import { requireUser } from '../../guards.js';

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
  app.get(
    '/hr/feedback',
    { config: { access: HR_ROLES }, schema: { querystring: InboxQuery } },
    async (request, reply) => {
      const status = request.query.status ?? 'open';
      const page = request.query.page ?? 1;
      const { items, hasNext } = await app.services.reporting.listFeedback({ status, page });
      return reply.viewAsync('hr/feedback/index', {
        status,
        page,
        items,
        hasNext,
        done: request.query.done ?? null,
      });
    },
  );

  app.post(
    '/hr/feedback/:id/handled',
    { config: { access: HR_ROLES }, schema: { params: ItemParams, body: formBody({}) } },
    async (request, reply) => {
      const outcome = await app.services.reporting.markFeedbackHandled({
        id: request.params.id,
        actorId: requireUser(request).id,
        now: app.clock.now(),
      });
      return reply.redirect(`/hr/feedback?status=open&done=${outcome}`, 303);
    },
  );
};

export default feedbackRoutes;
