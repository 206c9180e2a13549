import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { ADMIN_ROLES, HR_ROLES } from '../../../domain/access.js';
import type { FieldError } from '../../../domain/assignment-rules.js';
import { approvalDueDate, DraftChanged } from '../../../domain/policy-draft.js';
import { CHANGE_KINDS } from '../../../domain/policy-version.js';
import { wordValue } from '../../../i18n/words.js';
import { localisedErrors } from '../../field-errors.js';
import { requireUser } from '../../guards.js';
import { clauseView } from '../../records/shared.js';
import {
  ApproveBody,
  ClauseBody,
  EditBody,
  EditQuery,
  EmptyBody,
  PageQuery,
  Params,
  SubmitBody,
  VersionParams,
} from './schemas.js';
import { policyTranslationRoutes } from './translations.js';

type P = Static<typeof Params>;
type Req<Body = unknown, Query = unknown> = FastifyRequest<{ Params: P; Body: Body; Querystring: Query }>;
const pageUrl = (courseId: string) => `/hr/courses/${courseId}/policy`;

/** The policy page, with the errors of a form posted from it (submit, approve) when there are some. */
async function renderPage(
  request: FastifyRequest,
  reply: FastifyReply,
  courseId: string,
  extra: { done?: string | null; submitErrors?: FieldError[]; approveErrors?: FieldError[] } = {},
) {
  const app = request.server;
  const user = requireUser(request);
  const page = await app.services.policy.policyPage({
    courseId,
    viewer: { id: user.id, role: user.role },
    now: app.clock.now(),
  });
  return reply.viewAsync('hr/policy/index', {
    ...page,
    done: extra.done ?? null,
    submitErrors: localisedErrors(request.i18n!, extra.submitErrors ?? []),
    approveErrors: localisedErrors(request.i18n!, extra.approveErrors ?? []),
  });
}

async function editClause(request: Req<Static<typeof EditBody>>, reply: FastifyReply) {
  const app = request.server;
  const { courseId } = request.params;
  const { clauseId, kind, title, summary, text } = request.body;
  const result = await app.services.policy.editClause({
    actorId: requireUser(request).id,
    courseId,
    clauseId,
    wording: { title, summary, text },
    kind,
    now: app.clock.now(),
  });
  if (result.ok) return reply.redirect(`${pageUrl(courseId)}?done=edited`, 303);
  reply.code(400);
  return reply.viewAsync('hr/policy/edit', {
    courseId,
    kinds: CHANGE_KINDS,
    form: result.form,
    errors: localisedErrors(request.i18n!, result.errors),
  });
}

async function submitDraft(request: Req<Static<typeof SubmitBody>>, reply: FastifyReply) {
  const app = request.server;
  const result = await app.services.policy.submitDraft({
    actorId: requireUser(request).id,
    courseId: request.params.courseId,
    note: request.body.note,
    now: app.clock.now(),
  });
  if (result.ok) return reply.redirect(`${pageUrl(request.params.courseId)}?done=submitted`, 303);
  reply.code(400);
  return renderPage(request, reply, request.params.courseId, { submitErrors: result.errors });
}

async function approve(request: Req<Static<typeof ApproveBody>>, reply: FastifyReply) {
  const app = request.server;
  const user = requireUser(request);
  const now = app.clock.now();
  const due = approvalDueDate(request.body.dueDate, now);
  if ('errors' in due) {
    reply.code(400);
    return renderPage(request, reply, request.params.courseId, { approveErrors: due.errors });
  }
  try {
    await app.services.policy.approveAndPublish({
      approver: { id: user.id, role: user.role },
      courseId: request.params.courseId,
      revision: Number(request.body.revision),
      dueAt: due.dueAt,
      now,
    });
  } catch (err) {
    if (!(err instanceof DraftChanged)) throw err;
    // The page again, as the draft is now, with the refusal above the approve form.
    reply.code(409);
    return renderPage(request, reply, request.params.courseId, {
      approveErrors: [{ field: '', message: err.message }],
    });
  }
  return reply.redirect(`${pageUrl(request.params.courseId)}?done=published`, 303);
}

/**
 * Policy versions per course: HR (or an admin) drafts clause wording, previews it as learners would
 * see it and submits it with a change note; an admin who did not edit approves, which publishes it.
 */
const policyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const read = { access: HR_ROLES };
  const edit = { access: HR_ROLES };
  const approveAccess = { access: ADMIN_ROLES };
  const base = '/hr/courses/:courseId/policy';

  app.get(base, { config: read, schema: { params: Params, querystring: PageQuery } }, (request, reply) =>
    renderPage(request, reply, request.params.courseId, { done: request.query.done ?? null }),
  );
  app.get(
    `${base}/edit`,
    { config: edit, schema: { params: Params, querystring: EditQuery } },
    async (request, reply) => {
      const form = await app.services.policy.clauseForm({
        courseId: request.params.courseId,
        clauseId: request.query.clauseId,
      });
      return reply.viewAsync('hr/policy/edit', {
        courseId: request.params.courseId,
        kinds: CHANGE_KINDS,
        form,
        errors: [],
      });
    },
  );
  app.post(`${base}/edit`, { config: edit, schema: { params: Params, body: EditBody } }, editClause);
  app.post(
    `${base}/revert`,
    { config: edit, schema: { params: Params, body: ClauseBody } },
    async (request, reply) => {
      await app.services.policy.revertClause({
        actorId: requireUser(request).id,
        courseId: request.params.courseId,
        clauseId: request.body.clauseId,
        now: app.clock.now(),
      });
      return reply.redirect(`${pageUrl(request.params.courseId)}?done=reverted`, 303);
    },
  );
  app.post(`${base}/submit`, { config: edit, schema: { params: Params, body: SubmitBody } }, submitDraft);
  app.post(
    `${base}/discard`,
    { config: edit, schema: { params: Params, body: EmptyBody } },
    async (request, reply) => {
      await app.services.policy.discardDraft({
        actorId: requireUser(request).id,
        courseId: request.params.courseId,
        now: app.clock.now(),
      });
      return reply.redirect(`${pageUrl(request.params.courseId)}?done=discarded`, 303);
    },
  );
  app.get(`${base}/preview`, { config: read, schema: { params: Params } }, async (request, reply) => {
    const preview = await app.services.policy.previewDraft({ courseId: request.params.courseId });
    // The learner's attest page's clause view (paragraphs and jurisdiction notices), every clause open.
    const clauses = preview.course.clauses.map((c) => clauseView(c));
    // Whose notices are shown, in the page's language ("the United Kingdom and the EU and EEA").
    const noticesFor = preview.noticesFor ? wordValue(request.i18n!, preview.noticesFor) : null;
    return reply.viewAsync('hr/policy/preview', {
      ...preview,
      noticesFor,
      clauses,
      changed: [...preview.changed],
    });
  });
  app.post(
    `${base}/approve`,
    { config: approveAccess, schema: { params: Params, body: ApproveBody } },
    approve,
  );
  app.get(
    `${base}/versions/:n`,
    { config: read, schema: { params: VersionParams } },
    async (request, reply) => {
      const page = await app.services.policy.versionPage({
        courseId: request.params.courseId,
        n: Number(request.params.n),
      });
      return reply.viewAsync('hr/policy/version', page);
    },
  );
  await app.register(policyTranslationRoutes);
};

export default policyRoutes;
