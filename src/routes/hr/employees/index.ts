import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HR_ROLES } from '../../../domain/access.js';
import { CODE_PATTERN, normaliseCertificateCode } from '../../../domain/certificate-code.js';
import { REASON_MAX, REASON_MIN, RETAKE_DAYS } from '../../../domain/certificate-revocation.js';
import { attachmentDisposition } from '../../../domain/download-name.js';
import { Conflict } from '../../../domain/errors.js';
import { stateLabels } from '../../../domain/state-labels.js';
import { formBody } from '../../form-schema.js';
import { requireUser } from '../../guards.js';

const UserId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
const Params = Type.Object({ userId: UserId }, { additionalProperties: false });
const ShowQuery = Type.Object(
  { revoked: Type.Optional(Type.String({ pattern: CODE_PATTERN })) },
  { additionalProperties: false },
);
const RevokeParams = Type.Object(
  { userId: UserId, code: Type.String({ pattern: CODE_PATTERN }) },
  { additionalProperties: false },
);
const RevokeBody = formBody({
  reason: Type.String({ minLength: REASON_MIN, maxLength: REASON_MAX }),
  // The ticked box is the confirmation step: a stray click on the button alone revokes nothing.
  confirm: Type.Literal('yes'),
});

/** One person's full training history, for HR and auditors, and revoking their certificates. */
const employeeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/hr/employees', { config: { access: HR_ROLES } }, async (_request, reply) =>
    reply.redirect('/hr/people'),
  );

  app.get(
    '/hr/employees/:userId',
    { config: { access: HR_ROLES }, schema: { params: Params, querystring: ShowQuery } },
    async (request, reply) => {
      const history = await app.services.reporting.employeeHistory({
        userId: request.params.userId,
        wording: request.i18n!,
      });
      return reply.viewAsync('hr/employees/show', {
        ...history,
        stateLabels: stateLabels((key, values) => request.i18n!.t(key, values)),
        // Which legal notices the person sees: their region narrows the organisation's regions.
        regionLabel: history.person.region
          ? request.i18n!.t(`admin.org.region.${history.person.region}`)
          : null,
        revokedNow: request.query.revoked ?? null,
        revocation: { min: REASON_MIN, max: REASON_MAX, retakeDays: RETAKE_DAYS },
      });
    },
  );

  // The same history with the action codes, ids and details, for auditors and spreadsheets.
  app.get(
    '/hr/employees/:userId/history.csv',
    { config: { access: HR_ROLES }, schema: { params: Params } },
    async (request, reply) => {
      const { csv, person } = await app.services.reporting.employeeHistoryCsv({
        userId: request.params.userId,
      });
      const day = app.clock.now().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          attachmentDisposition(`history-${person.employeeId || person._id}-${day}.csv`),
        )
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );

  app.post(
    '/hr/employees/:userId/certificates/:code/revoke',
    { config: { access: HR_ROLES }, schema: { params: RevokeParams, body: RevokeBody } },
    async (request, reply) => {
      const { userId } = request.params;
      const code = normaliseCertificateCode(request.params.code);
      const result = await app.services.records.revokeCertificate({
        code,
        userId,
        actorId: requireUser(request).id,
        reason: request.body.reason,
        now: app.clock.now(),
      });
      if (result.outcome === 'already-revoked')
        throw new Conflict('people.errors.alreadyRevoked', { day: result.revocation.revokedAt });
      return reply.redirect(`/hr/employees/${encodeURIComponent(userId)}?revoked=${code}`, 303);
    },
  );
};

export default employeeRoutes;
