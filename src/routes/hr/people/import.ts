import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HR_ROLES } from '../../../domain/access.js';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from '../../../domain/people-csv.js';
import { HttpError } from '../../../plugins/auth.js';
import { applyImport, CsvFormatError, findPreview, previewImport } from '../../../services/people/import.js';
import { formBody, Text } from '../../form-schema.js';

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

const SHOWN = 200;

/** CSV import: paste, preview (nothing written but the preview), then apply exactly that preview. */
const importRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const limits = { maxBytes: MAX_IMPORT_BYTES, maxRows: MAX_IMPORT_ROWS };

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
      const { csv, deactivateMissing } = request.body;
      if (!csv.trim()) {
        reply.code(400);
        return reply.viewAsync('hr/people/import', {
          errors: [{ field: 'csv', message: 'Paste the CSV, including its header row.' }],
          csv: '',
          limits,
        });
      }
      try {
        const preview = await previewImport(
          app.db.models,
          {
            csv,
            fileName: request.body.fileName ?? 'pasted CSV',
            deactivateMissing: deactivateMissing === 'yes',
            actorId: request.user!.id,
          },
          app.clock.now(),
        );
        return reply.redirect(`/hr/people/import/${preview._id}`, 303);
      } catch (err) {
        if (!(err instanceof CsvFormatError)) throw err;
        reply.code(400);
        return reply.viewAsync('hr/people/import', {
          errors: [{ field: 'csv', message: `Nothing was imported. ${err.message}` }],
          csv: csv.length <= 200_000 ? csv : '',
          limits,
        });
      }
    },
  );

  app.get(
    '/hr/people/import/:id',
    { config: { access: HR_ROLES }, schema: { params: PreviewParams, querystring: PreviewQuery } },
    async (request, reply) => {
      const preview = await findPreview(app.db.models, request.params.id);
      if (!preview) throw new HttpError(404, 'That import preview does not exist.');
      const creates = preview.changes.filter((c) => c.action === 'create');
      const updates = preview.changes.filter((c) => c.action === 'update');
      return reply.viewAsync('hr/people/preview', {
        preview,
        counts: {
          create: creates.length,
          update: updates.length,
          unchanged: preview.unchanged,
          rejected: preview.rejected.length,
          deactivate: preview.deactivate.length,
        },
        creates: creates.slice(0, SHOWN),
        updates: updates.slice(0, SHOWN),
        rejected: preview.rejected.slice(0, SHOWN),
        deactivate: preview.deactivate.slice(0, SHOWN),
        shown: SHOWN,
      });
    },
  );

  app.post(
    '/hr/people/import/:id/apply',
    { config: { access: HR_ROLES }, schema: { params: PreviewParams, body: formBody({}) } },
    async (request, reply) => {
      const preview = await findPreview(app.db.models, request.params.id);
      if (!preview) throw new HttpError(404, 'That import preview does not exist.');
      const result = await applyImport(
        { models: app.db.models, audit: app.audit, courses: app.courses, courseIds: [...app.courses.keys()] },
        preview,
        request.user!.id,
        app.clock.now(),
      );
      return reply.viewAsync('hr/people/applied', { preview, result });
    },
  );
};

export default importRoutes;
