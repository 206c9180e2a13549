import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { HR_ROLES } from '../../../domain/access.js';
import { type KeyedFieldError, localisedErrors } from '../../field-errors.js';
import { formBody } from '../../form-schema.js';
import { requireUser } from '../../guards.js';

const Params = Type.Object(
  { id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) },
  { additionalProperties: false },
);
const PageQuery = Type.Object({ erased: Type.Optional(Type.Literal('1')) }, { additionalProperties: false });
// Lengths only: the confirmation's messages come from domain/erasure-confirmation.ts beside the fields.
const EraseBody = formBody({
  typedName: Type.String({ maxLength: 200 }),
  confirm: Type.Optional(Type.Literal('yes')),
});

/**
 * Personal-data requests for one person (GDPR Art. 15 and 17): the page, the JSON and PDF
 * downloads (each audited), and erasure on request behind the confirmation step.
 */
const privacyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function showPage(
    reply: FastifyReply,
    input: { userId: string; actorId: string },
    extra: { errors?: KeyedFieldError[]; typedName?: string; refusal?: string; erasedNow?: boolean } = {},
  ) {
    const view = await app.services.privacy.privacyPage({ ...input, now: app.clock.now() });
    return reply.viewAsync('hr/privacy/show', {
      ...view,
      errors: localisedErrors(reply.request.i18n!, extra.errors ?? []),
      typedName: extra.typedName ?? '',
      refusal: extra.refusal ?? null,
      erasedNow: extra.erasedNow ?? false,
    });
  }

  app.get(
    '/hr/people/:id/privacy',
    { config: { access: HR_ROLES }, schema: { params: Params, querystring: PageQuery } },
    async (request, reply) =>
      showPage(
        reply,
        { userId: request.params.id, actorId: requireUser(request).id },
        { erasedNow: request.query.erased === '1' },
      ),
  );

  // Two plain paths rather than `export.:format`: the route table (and ROUTE_SAMPLES) lists each file.
  for (const format of ['json', 'pdf'] as const) {
    app.get(
      `/hr/people/:id/privacy/export.${format}`,
      { config: { access: HR_ROLES }, schema: { params: Params } },
      async (request, reply) => {
        const file = await app.services.privacy.exportSubject({
          userId: request.params.id,
          actorId: requireUser(request).id,
          format,
          now: app.clock.now(),
          language: request.i18n!.lang,
        });
        return reply
          .type(file.contentType)
          .header('content-disposition', file.disposition)
          .header('cache-control', 'no-store')
          .send(file.body);
      },
    );
  }

  app.post(
    '/hr/people/:id/privacy/erase',
    { config: { access: HR_ROLES }, schema: { params: Params, body: EraseBody } },
    async (request, reply) => {
      const ids = { userId: request.params.id, actorId: requireUser(request).id };
      const outcome = await app.services.privacy.eraseOnRequest({
        ...ids,
        typedName: request.body.typedName,
        confirmed: request.body.confirm === 'yes',
        now: app.clock.now(),
      });
      if (outcome.kind === 'erased') {
        return reply.redirect(`/hr/people/${encodeURIComponent(ids.userId)}/privacy?erased=1`, 303);
      }
      if (outcome.kind === 'invalid') {
        reply.code(422);
        return showPage(reply, ids, { errors: outcome.errors, typedName: request.body.typedName });
      }
      reply.code(409);
      const i18n = request.i18n!;
      const refusal = i18n.has(outcome.message) ? i18n.t(outcome.message, outcome.values) : outcome.message;
      return showPage(reply, ids, { refusal });
    },
  );
};

export default privacyRoutes;
