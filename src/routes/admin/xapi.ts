import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ADMIN_ROLES } from '../../domain/access.js';
import { type KeyedFieldError, localisedErrors } from '../field-errors.js';
import { formBody, Text } from '../form-schema.js';
import { requireUser } from '../guards.js';

// Empty or malformed text reaches the service, which answers with the form and a message next to
// the field (a schema refusal would be a bare 400 page); the two choices are fixed by the schema.
const SettingsBody = formBody({
  enabled: Type.Optional(Type.Literal('on')),
  endpoint: Text(500),
  key: Text(300),
  secret: Text(2000),
  actor: Type.Union([Type.Literal('account'), Type.Literal('mbox')]),
});
const PageQuery = Type.Object(
  {
    saved: Type.Optional(Type.Literal('1')),
    requeued: Type.Optional(Type.Literal('1')),
    discarded: Type.Optional(Type.Literal('1')),
  },
  { additionalProperties: false },
);
/** A refused statement's id (a UUID, or any outbox key): read by `_id` only. */
const RefusedParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
/** The notice after requeue/discard (PRG): a catalogue key. */
type Done = 'requeued' | 'discarded';

/** How many refused statements the page lists (the newest). */
const REJECTED_SHOWN = 20;

interface PageExtra {
  saved?: boolean;
  done?: Done;
  form?: { enabled: boolean; endpoint: string; key: string; actor: string };
  errors?: KeyedFieldError[];
  test?: TestOutcome;
}

/**
 * What the page says about a test statement: the HTTP status and a generic reason, never the LRS's
 * answer or the connection error (review 27-4: the button must not read out what an address says).
 */
interface TestOutcome {
  configured: boolean;
  status: number | null;
  /** A catalogue key (admin.xapi.testReason.*) for a refusal; null otherwise. */
  reason: string | null;
}

function testOutcome(result: { configured: boolean; status: number | null }): TestOutcome {
  const { configured, status } = result;
  if (status === null || (status >= 200 && status < 300)) return { configured, status, reason: null };
  const reason =
    status === 401 || status === 403
      ? 'credentials'
      : status === 404
        ? 'notFound'
        : status === 429
          ? 'throttled'
          : status >= 500
            ? 'server'
            : 'other';
  return { configured, status, reason: `admin.xapi.testReason.${reason}` };
}

async function showPage(request: FastifyRequest, reply: FastifyReply, extra: PageExtra) {
  const { xapi } = request.server.services;
  const settings = await xapi.xapiSettings({});
  const now = request.server.clock.now();
  const backlog = await xapi.xapiBacklog({ now });
  const oldestMinutes = backlog.oldestPendingAt
    ? Math.floor((now.getTime() - backlog.oldestPendingAt.getTime()) / 60_000)
    : null;
  return reply.viewAsync('admin/xapi', {
    settings,
    // The secret is never in the form: a blank field keeps the stored one.
    form: extra.form ?? settings,
    backlog,
    oldestMinutes,
    rejected: await xapi.rejectedStatements({ limit: REJECTED_SHOWN }),
    test: extra.test ?? null,
    errors: localisedErrors(request.i18n!, extra.errors ?? []),
    saved: extra.saved ?? false,
    done: extra.done ?? null,
    csrfToken: reply.generateCsrf(),
  });
}

/** The admin's LRS page (#27): where xAPI statements go, a test statement, and the outbox backlog. */
const xapiAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = { access: ADMIN_ROLES };

  app.get('/admin/xapi', { config: admin, schema: { querystring: PageQuery } }, async (request, reply) =>
    showPage(request, reply, {
      saved: request.query.saved === '1',
      done: request.query.requeued ? 'requeued' : request.query.discarded ? 'discarded' : undefined,
    }),
  );

  // A statement the LRS refused: sent again (pending, due now) or dropped (review 27-10).
  for (const [done, command] of [
    ['requeued', 'requeueRefused'],
    ['discarded', 'discardRefused'],
  ] as const) {
    const action = done === 'requeued' ? 'requeue' : 'discard';
    app.post(
      `/admin/xapi/rejected/:id/${action}`,
      { config: admin, schema: { params: RefusedParams, body: formBody({}) } },
      async (request, reply) => {
        await app.services.xapi[command]({
          id: request.params.id,
          actorId: requireUser(request).id,
          now: app.clock.now(),
        });
        return reply.redirect(`/admin/xapi?${done}=1`, 303);
      },
    );
  }

  app.post('/admin/xapi', { config: admin, schema: { body: SettingsBody } }, async (request, reply) => {
    const { _csrf, enabled, ...fields } = request.body;
    const input = { ...fields, enabled: enabled === 'on' };
    const result = await app.services.xapi.saveSettings({
      actorId: requireUser(request).id,
      input,
      now: app.clock.now(),
    });
    if (result.ok) return reply.redirect('/admin/xapi?saved=1', 303);
    reply.code(400);
    const { secret: _secret, ...form } = input;
    return showPage(request, reply, { form, errors: result.errors });
  });

  app.post('/admin/xapi/test', { config: admin, schema: { body: formBody({}) } }, async (request, reply) => {
    const result = await app.services.xapi.sendTestStatement({
      actorId: requireUser(request).id,
      now: app.clock.now(),
    });
    return showPage(request, reply, { test: testOutcome(result) });
  });
};

export default xapiAdminRoutes;
