import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { courseTextLanguage } from '../../domain/course-text-language.js';
import { attachmentDisposition } from '../../domain/download-name.js';
import { LANGUAGE_NAMES } from '../../domain/i18n/languages.js';
import { certificateVersionLine, shortVersion } from '../../services/records/certificate-pdf.js';
import type { AttestedTextTarget } from '../../services/records/policy-text.js';
import { ObjectIdString, Slug } from '../form-schema.js';
import { requireCourse, requireUser } from '../guards.js';
import { clauseView, fmt } from './shared.js';

const CourseParams = Type.Object({ courseId: Slug }, { additionalProperties: false });
const CycleQuery = Type.Object(
  { cycle: Type.Optional(Type.Integer({ minimum: 1, maximum: 9999 })) },
  { additionalProperties: false },
);
const HrParams = Type.Object(
  { userId: ObjectIdString, courseId: Slug, cycle: Type.String({ pattern: '^[1-9][0-9]{0,3}(\\.pdf)?$' }) },
  { additionalProperties: false },
);

function sendPdf(reply: FastifyReply, file: { pdf: Buffer; fileName: string }) {
  return reply
    .type('application/pdf')
    .header('content-disposition', attachmentDisposition(file.fileName))
    .header('cache-control', 'private, no-store')
    .send(file.pdf);
}

/** The page of one attestation with the clauses as signed; `pdfHref` is where its PDF lives. */
async function sendAttestedPage(
  app: FastifyInstance,
  reply: FastifyReply,
  target: AttestedTextTarget,
  view: { own: boolean; pdfHref: string },
) {
  const { person, attestation, language, policy, changedSince } =
    await app.services.records.attestedText(target);
  return reply.viewAsync('records/attested', {
    styles: ['/static/css/records.css'],
    fmt,
    own: view.own,
    pdfHref: view.pdfHref,
    person,
    attestation,
    signedVersion: shortVersion(attestation.contentVersion),
    // Said in the page's language; the text signed keeps its own, named beside it.
    versionLine: certificateVersionLine(reply.request.i18n!, attestation),
    signedLanguage: { code: language, name: LANGUAGE_NAMES[language] },
    currentVersion: changedSince ? shortVersion(changedSince) : null,
    policy: policy && {
      ...policy,
      clauses: policy.clauses.map((c) => clauseView(c, language)),
    },
    // The words signed (statement, clauses) keep the language they were signed in.
    textLang: courseTextLanguage({ language }),
  });
}

/**
 * The policy text people attest: the current policy as a PDF (`/learn/:courseId/policy.pdf`), and
 * the text of one attestation as signed, as a page and a PDF: the learner's own
 * (`/learn/:courseId/attested?cycle=n`, no person parameter, so only ever their own record) and
 * HR's view of anyone's (`/hr/people/:userId/attested/:courseId/:n`, `.pdf`).
 */
const policyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/learn/:courseId/policy.pdf',
    { config: { access: 'authenticated' }, schema: { params: CourseParams } },
    async (request, reply) => {
      const course = requireCourse(app, request.params.courseId);
      return sendPdf(reply, await app.services.records.policyPdf({ viewer: requireUser(request), course }));
    },
  );

  const own = {
    config: { access: 'authenticated' },
    schema: { params: CourseParams, querystring: CycleQuery },
  } as const;

  app.get('/learn/:courseId/attested', own, async (request, reply) => {
    const { courseId } = request.params;
    const target = { userId: requireUser(request).id, courseId, n: request.query.cycle };
    const cycle = request.query.cycle ? `?cycle=${request.query.cycle}` : '';
    return sendAttestedPage(app, reply, target, {
      own: true,
      pdfHref: `/learn/${courseId}/attested.pdf${cycle}`,
    });
  });

  app.get('/learn/:courseId/attested.pdf', own, async (request, reply) => {
    const target = {
      userId: requireUser(request).id,
      courseId: request.params.courseId,
      n: request.query.cycle,
    };
    return sendPdf(reply, await app.services.records.attestedPolicyPdf(target));
  });

  app.get(
    '/hr/people/:userId/attested/:courseId/:cycle',
    { config: { access: ['hr', 'admin'] }, schema: { params: HrParams } },
    async (request, reply) => {
      const { userId, courseId, cycle } = request.params;
      const target = { userId, courseId, n: Number.parseInt(cycle, 10) };
      if (cycle.endsWith('.pdf')) return sendPdf(reply, await app.services.records.attestedPolicyPdf(target));
      const pdfHref = `/hr/people/${userId}/attested/${courseId}/${target.n}.pdf`;
      return sendAttestedPage(app, reply, target, { own: false, pdfHref });
    },
  );
};

export default policyRoutes;
