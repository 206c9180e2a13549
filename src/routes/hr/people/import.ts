import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HR_ROLES } from '../../../domain/access.js';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from '../../../domain/people-csv.js';
import { wordMessage } from '../../../i18n/words.js';
import { localisedErrors } from '../../field-errors.js';
import { formBody, Text } from '../../form-schema.js';
import { requireUser } from '../../guards.js';

const ImportBody = formBody({
  csv: Type.String({ maxLength: MAX_IMPORT_BYTES }),
  fileName: Type.Optional(Text(200)),
  deactivateMissing: Type.Optional(Type.Literal('yes')),
});
const PreviewParams = Type.Object(
  { id: Type.String({ pattern: '^[a-f0-9]{32}$' }) },
  { additionalProperties: false },
);
const PreviewQuery = Type.Object(
  { page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) },
  { additionalProperties: false },
);

const limits = { maxBytes: MAX_IMPORT_BYTES, maxRows: MAX_IMPORT_ROWS };

/** CSV import: paste, preview (nothing written but the preview), then apply exactly that preview. */
const importRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/hr/people/import', { config: { access: HR_ROLES } }, async (_request, reply) => {
    return reply.viewAsync('hr/people/import', { errors: [], csv: '', limits });
  });

  app.post(
    '/hr/people/import',
    {
      config: { access: HR_ROLES },
      schema: { body: ImportBody },
      // URL encoding can triple a CSV's size; the parsed text is limited to MAX_IMPORT_BYTES by the schema.
      bodyLimit: MAX_IMPORT_BYTES * 3 + 64 * 1024,
    },
    async (request, reply) => {
      const { csv, fileName, deactivateMissing } = request.body;
      const outcome = await app.services.people.previewPastedImport({
        csv,
        ...(fileName === undefined ? {} : { fileName }),
        deactivateMissing: deactivateMissing === 'yes',
        actorId: requireUser(request).id,
        now: app.clock.now(),
      });
      if ('previewId' in outcome) return reply.redirect(`/hr/people/import/${outcome.previewId}`, 303);
      reply.code(400);
      return reply.viewAsync('hr/people/import', {
        errors: localisedErrors(request.i18n!, outcome.errors),
        csv: outcome.csv,
        limits,
      });
    },
  );

  app.get(
    '/hr/people/import/:id',
    { config: { access: HR_ROLES }, schema: { params: PreviewParams, querystring: PreviewQuery } },
    async (request, reply) => {
      const view = await app.services.people.importPreview({ previewId: request.params.id });
      const i18n = request.i18n!;
      // Each rejected row's reasons in the reader's language (a preview stored earlier holds English).
      const rejected = view.rejected.map((r) => ({
        ...r,
        reasons: r.reasons.map((x) => (typeof x === 'string' ? x : wordMessage(i18n, x.key, x.values))),
      }));
      return reply.viewAsync('hr/people/preview', { ...view, rejected });
    },
  );

  app.post(
    '/hr/people/import/:id/apply',
    { config: { access: HR_ROLES }, schema: { params: PreviewParams, body: formBody({}) } },
    async (request, reply) => {
      const applied = await app.services.people.applyImport({
        previewId: request.params.id,
        actorId: requireUser(request).id,
        now: app.clock.now(),
      });
      const i18n = request.i18n!;
      // Each row refused at apply time, its reason in the reader's language.
      const failed = applied.result.failed.map((f) => ({
        ...f,
        reason: i18n.t(f.reason.key, f.reason.values),
      }));
      return reply.viewAsync('hr/people/applied', { ...applied, result: { ...applied.result, failed } });
    },
  );
};

export default importRoutes;
