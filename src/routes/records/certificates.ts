import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CODE_PATTERN } from '../../domain/certificate-code.js';
import { attachmentDisposition } from '../../domain/download-name.js';
import { certificateVersionLine } from '../../services/records/certificate-pdf.js';
import { requireUser } from '../guards.js';
import { fmt } from './shared.js';

const CODE_BODY = CODE_PATTERN.slice(1, -1);
const PdfParams = Type.Object(
  { file: Type.String({ pattern: `^${CODE_BODY}\\.pdf$` }) },
  { additionalProperties: false },
);
const VerifyParams = Type.Object(
  { code: Type.String({ pattern: CODE_PATTERN }) },
  { additionalProperties: false },
);

/** Certificate PDFs for their holder (and HR), and the public verification page. */
const certificateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/certificates/:file',
    { config: { access: 'authenticated' }, schema: { params: PdfParams } },
    async (request, reply) => {
      const { pdf, fileName } = await app.services.records.certificatePdf({
        code: request.params.file.slice(0, -'.pdf'.length),
        viewer: requireUser(request),
        now: app.clock.now(),
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', attachmentDisposition(fileName))
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );

  app.get(
    '/verify/:code',
    // A malformed code gets the same "not found" page as an unknown one rather than a validation error.
    {
      config: { access: 'public' },
      schema: { params: VerifyParams },
      attachValidation: true,
      // Codes carry 80 random bits, so guessing is hopeless anyway; the limit keeps scripted probing cheap for us.
      preHandler: app.rateLimit({ max: 120, timeWindow: '1 minute' }),
    },
    async (request, reply) => {
      const check = request.validationError
        ? null
        : await app.services.records.verifyCertificate({ code: request.params.code, now: app.clock.now() });
      reply.header('cache-control', 'no-store');
      if (!check) {
        reply.code(404);
        return reply.viewAsync('records/verify', { found: false, fmt });
      }
      // The version line in the page's language, like the rest of the page.
      const versionLine = certificateVersionLine(request.i18n!, check.certificate);
      return reply.viewAsync('records/verify', {
        found: true,
        fmt,
        ...check,
        certificate: { ...check.certificate, versionLine },
      });
    },
  );
};

export default certificateRoutes;
