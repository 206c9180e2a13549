import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { attachmentDisposition } from '../../domain/download-name.js';
import type { Language } from '../../domain/i18n/languages.js';
import { translator } from '../../i18n/translator.js';
import { certificateVersionLine, shortVersion } from '../../services/records/certificate-pdf.js';
import type { EvidenceTarget } from '../../services/records/evidence.js';
import { answerGivenText } from '../../services/records/evidence-answer.js';
import { ObjectIdString, Slug } from '../form-schema.js';
import { requireUser } from '../guards.js';
import { fmt } from './shared.js';

const OwnParams = Type.Object({ courseId: Slug }, { additionalProperties: false });
const OwnQuery = Type.Object(
  { cycle: Type.Optional(Type.Integer({ minimum: 1, maximum: 9999 })) },
  { additionalProperties: false },
);
const HrParams = Type.Object(
  { userId: ObjectIdString, courseId: Slug, cycle: Type.String({ pattern: '^[1-9][0-9]{0,3}(\\.json)?$' }) },
  { additionalProperties: false },
);

/** Where the page and the file of one cycle's pack, and the policy text attested in it, live. */
type Links = (n: number) => { html: string; json: string; attested: string };

/** The printable page: the pack, the SHA-256 of its JSON file and links to both. */
async function sendPage(app: FastifyInstance, reply: FastifyReply, target: EvidenceTarget, links: Links) {
  const now = app.clock.now();
  const { n, pack, sha256, certificateStatus } = await app.services.records.evidencePage({ ...target, now });
  return reply.header('cache-control', 'private, no-store').viewAsync('records/evidence', {
    pack,
    sha256,
    links: links(n),
    fmt,
    shortVersion,
    // "Policy version 2" in the page's language, as the certificate and the verify page say it.
    versionLine: (record: Parameters<typeof certificateVersionLine>[1]) =>
      certificateVersionLine(reply.request.i18n!, record),
    // In the attempt's language, the language of its choice texts (may differ from the page's).
    answerGivenText: (lang: Language, q: Parameters<typeof answerGivenText>[1]) =>
      answerGivenText(translator(lang), q),
    certificateStatus,
    generatedAt: now,
  });
}

/** The JSON file (its export audited as done by the viewer), with its SHA-256 in a header. */
async function sendFile(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  target: EvidenceTarget,
) {
  const { json, sha256, fileName } = await app.services.records.exportEvidence({
    ...target,
    actorId: requireUser(request).id,
    now: app.clock.now(),
  });
  return reply
    .header('cache-control', 'private, no-store')
    .type('application/json; charset=utf-8')
    .header('content-disposition', attachmentDisposition(fileName))
    .header('x-evidence-sha256', sha256)
    .send(json);
}

/**
 * Evidence packs: a learner's own (`/learn/:courseId/evidence`, `.json`) and HR's view of anyone's
 * (`/hr/people/:userId/evidence/:courseId/:n`, `.json`). The learner routes take no person parameter
 * at all, so they can only ever return the signed-in person's own record.
 */
const evidenceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const own = {
    config: { access: 'authenticated' },
    schema: { params: OwnParams, querystring: OwnQuery },
  } as const;
  const ownLinks = (courseId: string) => (n: number) => ({
    html: `/learn/${courseId}/evidence?cycle=${n}`,
    json: `/learn/${courseId}/evidence.json?cycle=${n}`,
    attested: `/learn/${courseId}/attested?cycle=${n}`,
  });

  app.get('/learn/:courseId/evidence', own, async (request, reply) => {
    const { courseId } = request.params;
    const target = { userId: requireUser(request).id, courseId, n: request.query.cycle };
    return sendPage(app, reply, target, ownLinks(courseId));
  });

  app.get('/learn/:courseId/evidence.json', own, async (request, reply) =>
    sendFile(app, request, reply, {
      userId: requireUser(request).id,
      courseId: request.params.courseId,
      n: request.query.cycle,
    }),
  );

  app.get(
    '/hr/people/:userId/evidence/:courseId/:cycle',
    { config: { access: ['hr', 'admin'] }, schema: { params: HrParams } },
    async (request, reply) => {
      const { userId, courseId, cycle } = request.params;
      const target = { userId, courseId, n: Number.parseInt(cycle, 10) };
      if (cycle.endsWith('.json')) return sendFile(app, request, reply, target);
      const base = `/hr/people/${userId}/evidence/${courseId}/${target.n}`;
      const attested = `/hr/people/${userId}/attested/${courseId}/${target.n}`;
      return sendPage(app, reply, target, () => ({ html: base, json: `${base}.json`, attested }));
    },
  );
};

export default evidenceRoutes;
