import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { OutboxDoc } from '../../../db/models/hr.js';
import { HR_ROLES } from '../../../domain/access.js';
import { HttpError } from '../../../plugins/auth.js';

const PAGE_SIZE = 20;
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
      const rows = await app.db.models.Outbox.find({}, { html: 0, text: 0 })
        .sort({ createdAt: -1, _id: -1 })
        .skip((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
        .lean<OutboxDoc[]>();
      return reply.viewAsync('hr/outbox/index', {
        messages: rows.slice(0, PAGE_SIZE),
        page,
        hasNext: rows.length > PAGE_SIZE,
        smtp: !!app.config.SMTP_URL,
      });
    },
  );

  app.get(
    '/hr/outbox/:id',
    { config: { access: HR_ROLES }, schema: { params: MessageParams } },
    async (request, reply) => {
      const message = await app.db.models.Outbox.findById(request.params.id).lean<OutboxDoc>();
      if (!message) throw new HttpError(404, 'There is no such message.');
      return reply.viewAsync('hr/outbox/show', { message });
    },
  );
};

export default outboxRoutes;
