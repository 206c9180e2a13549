import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CODE_PATTERN, normaliseCertificateCode } from '../../domain/certificate-code.js';
import { certificateValidity } from '../../domain/completion.js';
import { attachmentDisposition } from '../../domain/download-name.js';
import { HttpError } from '../../plugins/auth.js';
import { renderCertificatePdf } from '../../services/records/certificate-pdf.js';
import { findCertificate } from '../../services/records/certificates.js';
import { fmt, isHr, signedIn } from './shared.js';

const CODE_BODY = CODE_PATTERN.slice(1, -1);
const PdfParams = Type.Object(
  { file: Type.String({ pattern: `^${CODE_BODY}\\.pdf$` }) },
  { additionalProperties: false },
);
const VerifyParams = Type.Object(
  { code: Type.String({ pattern: CODE_PATTERN }) },
  { additionalProperties: false },
);

export const verifyUrl = (baseUrl: string, code: string) => `${baseUrl.replace(/\/+$/, '')}/verify/${code}`;

/** Certificate PDFs for their holder (and HR), and the public verification page. */
const certificateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/certificates/:file',
    { config: { access: 'authenticated' }, schema: { params: PdfParams } },
    async (request, reply) => {
      const user = signedIn(request);
      const code = normaliseCertificateCode(request.params.file.slice(0, -'.pdf'.length));
      const cert = await findCertificate(app.db.models, code);
      // Someone else's certificate answers exactly like a missing one, so codes cannot be probed.
      if (!cert || (cert.userId !== user.id && !isHr(user)))
        throw new HttpError(404, 'There is no certificate at this address.');
      const pdf = await renderCertificatePdf(cert, {
        verifyUrl: verifyUrl(app.config.BASE_URL, cert._id),
        now: app.clock.now(),
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', attachmentDisposition(`certificate-${cert.courseId}-${cert._id}.pdf`))
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
      const code = request.validationError ? null : normaliseCertificateCode(request.params.code);
      const cert = code ? await findCertificate(app.db.models, code) : null;
      reply.header('cache-control', 'no-store');
      if (!cert) {
        reply.code(404);
        return reply.viewAsync('records/verify', { found: false, fmt });
      }
      return reply.viewAsync('records/verify', {
        found: true,
        fmt,
        status: certificateValidity(cert, app.clock.now()),
        // Only what a third party needs: no score, no user id, no e-mail, and no revocation reason
        // (HR's reason can be personal; the public answer is the common "revoked by the issuer").
        certificate: {
          code: cert._id,
          name: cert.name,
          courseTitle: cert.courseTitle,
          completedAt: cert.completedAt,
          expiresAt: cert.expiresAt,
          revokedAt: cert.revokedAt ?? null,
        },
      });
    },
  );
};

export default certificateRoutes;
