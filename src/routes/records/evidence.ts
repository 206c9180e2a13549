import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { trainingRepository } from '../../db/repositories/training.js';
import { attachmentDisposition } from '../../domain/download-name.js';
import type { SessionUser } from '../../domain/roles.js';
import { HttpError } from '../../plugins/auth.js';
import { shortVersion } from '../../services/records/certificate-pdf.js';
import {
  buildEvidencePack,
  packCertificateStatus,
  serialiseEvidence,
} from '../../services/records/evidence.js';
import { ObjectIdString, Slug } from '../form-schema.js';
import { courseOr404, fmt, signedIn } from './shared.js';

const OwnParams = Type.Object({ courseId: Slug }, { additionalProperties: false });
const OwnQuery = Type.Object(
  { cycle: Type.Optional(Type.Integer({ minimum: 1, maximum: 9999 })) },
  { additionalProperties: false },
);
const HrParams = Type.Object(
  { userId: ObjectIdString, courseId: Slug, cycle: Type.String({ pattern: '^[1-9][0-9]{0,3}(\\.json)?$' }) },
  { additionalProperties: false },
);

const NOT_FOUND = 'There is no training record at this address.';

/**
 * Evidence packs: a learner's own (`/learn/:courseId/evidence`, `.json`) and HR's view of anyone's
 * (`/hr/people/:userId/evidence/:courseId/:n`, `.json`). The learner routes take no person parameter
 * at all, so they can only ever return the signed-in person's own record.
 */
const evidenceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = { models: app.db.models, courses: app.courses };

  async function send(
    reply: FastifyReply,
    viewer: SessionUser,
    target: { userId: string; courseId: string; n: number },
    as: 'html' | 'json',
    links: { html: string; json: string },
  ) {
    courseOr404(app, target.courseId);
    const pack = await buildEvidencePack(deps, target.userId, target.courseId, target.n);
    if (!pack) throw new HttpError(404, NOT_FOUND);
    const { json, sha256 } = serialiseEvidence(pack);
    const now = app.clock.now();
    reply.header('cache-control', 'private, no-store');
    if (as === 'json') {
      await app.audit.append(
        {
          actorId: viewer.id,
          action: 'evidence.exported',
          targetType: 'cycle',
          targetId: pack.cycle.id,
          subjectId: target.userId,
          details: { courseId: target.courseId, cycleNo: target.n, sha256 },
        },
        now,
      );
      const file = `evidence-${target.courseId}-${pack.person.employeeId ?? target.userId}-cycle-${target.n}.json`;
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', attachmentDisposition(file))
        .header('x-evidence-sha256', sha256)
        .send(json);
    }
    return reply.viewAsync('records/evidence', {
      pack,
      sha256,
      links,
      fmt,
      shortVersion,
      certificateStatus: packCertificateStatus(pack, now),
      generatedAt: now,
    });
  }

  async function ownCycleNo(
    userId: string,
    courseId: string,
    requested: number | undefined,
  ): Promise<number> {
    if (requested) return requested;
    const assignment = await trainingRepository(app.db.models).findAssignment(userId, courseId);
    if (!assignment) throw new HttpError(404, 'You have no training record for this course yet.');
    return assignment.cycleNo;
  }

  for (const as of ['html', 'json'] as const) {
    app.get(
      as === 'html' ? '/learn/:courseId/evidence' : '/learn/:courseId/evidence.json',
      { config: { access: 'authenticated' }, schema: { params: OwnParams, querystring: OwnQuery } },
      async (request, reply) => {
        const user = signedIn(request);
        const { courseId } = request.params;
        const n = await ownCycleNo(user.id, courseId, request.query.cycle);
        const base = `/learn/${courseId}/evidence`;
        return send(reply, user, { userId: user.id, courseId, n }, as, {
          html: `${base}?cycle=${n}`,
          json: `${base}.json?cycle=${n}`,
        });
      },
    );
  }

  app.get(
    '/hr/people/:userId/evidence/:courseId/:cycle',
    { config: { access: ['hr', 'admin'] }, schema: { params: HrParams } },
    async (request, reply) => {
      const { userId, courseId, cycle } = request.params;
      const as = cycle.endsWith('.json') ? 'json' : 'html';
      const n = Number.parseInt(cycle, 10);
      const base = `/hr/people/${userId}/evidence/${courseId}/${n}`;
      return send(reply, signedIn(request), { userId, courseId, n }, as, {
        html: base,
        json: `${base}.json`,
      });
    },
  );
};

export default evidenceRoutes;
