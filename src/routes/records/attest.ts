import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Course } from '../../domain/course.js';
import type { SessionUser } from '../../domain/roles.js';
import {
  ATTESTATION_STATEMENT,
  type AttestationField,
  type AttestationPage,
} from '../../services/records/attestation.js';
import { shortVersion } from '../../services/records/certificate-pdf.js';
import { paragraphsOf } from '../../services/records/policy-pdf.js';
import { formBody, Slug, Text } from '../form-schema.js';
import { requireCourse, requireUser } from '../guards.js';
import { fmt } from './shared.js';

const Params = Type.Object({ courseId: Slug }, { additionalProperties: false });
const AttestBody = formBody({
  typedName: Text(200),
  agreed: Type.Optional(Type.Literal('yes')),
});

const MESSAGES = {
  typedName:
    'The name you typed does not match the name on your profile. Type your full name as shown above.',
  agreed: 'Tick the box to confirm that you have read, understood and will follow this policy.',
} as const;

/** The attestation view: the page's facts, and the form as typed with a message per failed field. */
function attestView(
  user: SessionUser,
  course: Course,
  page: AttestationPage,
  form: { typedName: string; errors: AttestationField[] },
) {
  return {
    fmt,
    course,
    profileName: user.name,
    state: page.state,
    attestation: page.attestation,
    signedVersion: page.attestation ? shortVersion(page.attestation.contentVersion) : null,
    currentVersion: shortVersion(course.version),
    // Every clause in full: what the signature binds to is the text on this page (and in the PDF).
    clauses: course.clauses.map((c) => ({ ...c, paragraphs: paragraphsOf(c.text) })),
    policyPdfHref: `/learn/${course.id}/policy.pdf`,
    attestedHref: page.attestation ? `/learn/${course.id}/attested?cycle=${page.attestation.cycleNo}` : null,
    certificateCode: page.certificateCode,
    status: page.status,
    statement: ATTESTATION_STATEMENT,
    typedName: form.typedName,
    errors: form.errors.map((field) => ({ field, message: MESSAGES[field] })),
    fieldErrors: Object.fromEntries(form.errors.map((field) => [field, MESSAGES[field]])),
  };
}

/** Typed-name policy attestation for the learner's current cycle (GET shows every state; POST signs). */
const attestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/learn/:courseId/attest',
    { config: { access: 'authenticated' }, schema: { params: Params } },
    async (request, reply) => {
      const user = requireUser(request);
      const course = requireCourse(app, request.params.courseId);
      const page = await app.services.records.attestationPage({
        learner: user,
        course,
        now: app.clock.now(),
      });
      return reply.viewAsync('records/attest', attestView(user, course, page, { typedName: '', errors: [] }));
    },
  );

  app.post(
    '/learn/:courseId/attest',
    { config: { access: 'authenticated' }, schema: { params: Params, body: AttestBody } },
    async (request, reply) => {
      const user = requireUser(request);
      const course = requireCourse(app, request.params.courseId);
      const result = await app.services.records.signAttestation({
        learner: user,
        course,
        typedName: request.body.typedName,
        agreed: request.body.agreed === 'yes',
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? '',
        now: app.clock.now(),
      });
      if (result.ok) return reply.redirect(`/learn/${course.id}/attest`, 303);
      // A form to correct (400), or not passed yet / the account vanished (409): the page says what to do.
      const invalid = result.reason === 'invalid';
      reply.code(invalid ? 400 : 409);
      return reply.viewAsync(
        'records/attest',
        attestView(user, course, result.page, {
          typedName: invalid ? request.body.typedName : '',
          errors: result.fields,
        }),
      );
    },
  );
};

export default attestRoutes;
