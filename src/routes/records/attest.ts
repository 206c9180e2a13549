import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { CycleDoc } from '../../db/models/training.js';
import { canAttest } from '../../domain/completion.js';
import type { Course } from '../../domain/course.js';
import type { SessionUser } from '../../domain/roles.js';
import { currentCycle } from '../../services/assignments/enrollment.js';
import { ATTESTATION_STATEMENT, attest, findAttestation } from '../../services/records/attestation.js';
import { shortVersion } from '../../services/records/certificate-pdf.js';
import { cycleCompletionStatus } from '../../services/records/completion.js';
import { formBody, Slug, Text } from '../form-schema.js';
import { completionDeps, courseOr404, fmt, signedIn } from './shared.js';

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

/** Typed-name policy attestation for the learner's current cycle (GET shows every state; POST signs). */
const attestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = completionDeps(app);

  async function page(
    user: SessionUser,
    course: Course,
    cycle: CycleDoc,
    form: { typedName: string; errors: Array<'typedName' | 'agreed'> },
  ) {
    const attestation = await findAttestation(deps, cycle._id);
    const fresh = attestation ? await app.db.models.Cycle.findById(cycle._id).lean<CycleDoc>() : cycle;
    const status = await cycleCompletionStatus(app.db.models, course, fresh ?? cycle);
    return {
      fmt,
      course,
      profileName: user.name,
      state: attestation ? 'attested' : canAttest(cycle) ? 'form' : 'not-ready',
      attestation,
      signedVersion: attestation ? shortVersion(attestation.contentVersion) : null,
      currentVersion: shortVersion(course.version),
      certificateCode: fresh?.certificateCode ?? null,
      status,
      statement: ATTESTATION_STATEMENT,
      typedName: form.typedName,
      errors: form.errors.map((field) => ({ field, message: MESSAGES[field] })),
      fieldErrors: Object.fromEntries(form.errors.map((field) => [field, MESSAGES[field]])),
    };
  }

  app.get(
    '/learn/:courseId/attest',
    { config: { access: 'authenticated' }, schema: { params: Params } },
    async (request, reply) => {
      const user = signedIn(request);
      const course = courseOr404(app, request.params.courseId);
      const { cycle } = await currentCycle(app.db.models, user, course, app.clock.now());
      return reply.viewAsync(
        'records/attest',
        await page(user, course, cycle, { typedName: '', errors: [] }),
      );
    },
  );

  app.post(
    '/learn/:courseId/attest',
    { config: { access: 'authenticated' }, schema: { params: Params, body: AttestBody } },
    async (request, reply) => {
      const user = signedIn(request);
      const course = courseOr404(app, request.params.courseId);
      const now = app.clock.now();
      const { cycle } = await currentCycle(app.db.models, user, course, now);
      const result = await attest(
        deps,
        {
          userId: user.id,
          course,
          cycle,
          typedName: request.body.typedName,
          agreed: request.body.agreed === 'yes',
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? '',
        },
        now,
      );
      if (result.ok) return reply.redirect(`/learn/${course.id}/attest`, 303);
      if (result.reason === 'invalid') {
        reply.code(400);
        return reply.viewAsync(
          'records/attest',
          await page(user, course, cycle, { typedName: request.body.typedName, errors: result.fields }),
        );
      }
      // Not passed yet (or the account vanished): the page explains what to do first.
      reply.code(409);
      return reply.viewAsync(
        'records/attest',
        await page(user, course, cycle, { typedName: '', errors: [] }),
      );
    },
  );
};

export default attestRoutes;
