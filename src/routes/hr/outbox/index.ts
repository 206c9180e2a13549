import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HR_ROLES } from '../../../domain/access.js';

const ListQuery = Type.Object(
  { page: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
  { additionalProperties: false },
);
const MessageParams = Type.Object(
  { id: Type.String({ pattern: '^[A-Za-z0-9:_-]{1,200}$' }) },
  { additionalProperties: false },
);

/** Mail kept in the database when no SMTP server is configured: newest first, small pages. */
const outboxRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/hr/outbox',
    { config: { access: HR_ROLES }, schema: { querystring: ListQuery } },
    async (request, reply) => {
      const page = request.query.page ?? 1;
      const { messages, hasNext } = await app.services.reporting.listOutbox({ page });
      return reply.viewAsync('hr/outbox/index', {
        messages,
        page,
        hasNext,
        smtp: !!app.config.SMTP_URL,
      });
    },
  );

  app.get(
    '/hr/outbox/:id',
    { config: { access: HR_ROLES }, schema: { params: MessageParams } },
    async (request, reply) => {
      const message = await app.services.reporting.outboxMessage({ id: request.params.id });
      return reply.viewAsync('hr/outbox/show', { message });
    },
  );
};

export default outboxRoutes;
