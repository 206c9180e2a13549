import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ADMIN_ROLES } from '../../domain/access.js';
import { type KeyedFieldError, localisedErrors } from '../field-errors.js';
import { formBody, Text } from '../form-schema.js';
import { requireUser } from '../guards.js';

// Numbers arrive as text; the service checks each is whole and within its bounds and answers with
// messages next to the fields (a schema refusal would be a bare 400 page).
const RetentionBody = formBody({
  recordsYearsAfterLeaving: Text(10),
  quizAnswerMonths: Text(10),
  sessionDays: Text(10),
  outboxDays: Text(10),
});
const PageQuery = Type.Object({ saved: Type.Optional(Type.Literal('1')) }, { additionalProperties: false });

async function showPage(
  request: FastifyRequest,
  reply: FastifyReply,
  extra: { saved?: boolean; form?: Record<string, string>; errors?: KeyedFieldError[] },
) {
  const page = await request.server.services.privacy.retentionPage();
  const form =
    extra.form ?? Object.fromEntries(Object.entries(page.settings).map(([k, v]) => [k, String(v)]));
  return reply.viewAsync('admin/retention', {
    ...page,
    form,
    errors: localisedErrors(request.i18n!, extra.errors ?? []),
    saved: extra.saved ?? false,
    csrfToken: reply.generateCsrf(),
  });
}

/** The admin's retention settings: how long records, quiz answers, sessions and mails are kept. */
const retentionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = { access: ADMIN_ROLES };

  app.get('/admin/retention', { config: admin, schema: { querystring: PageQuery } }, async (request, reply) =>
    showPage(request, reply, { saved: request.query.saved === '1' }),
  );

  app.post('/admin/retention', { config: admin, schema: { body: RetentionBody } }, async (request, reply) => {
    const { _csrf, ...form } = request.body;
    const result = await app.services.privacy.saveRetentionSettings({
      actorId: requireUser(request).id,
      form,
      now: app.clock.now(),
    });
    if (result.ok) return reply.redirect('/admin/retention?saved=1', 303);
    reply.code(400);
    return showPage(request, reply, { form, errors: result.errors });
  });
};

export default retentionRoutes;
