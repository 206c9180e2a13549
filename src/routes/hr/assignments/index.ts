import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import { HR_ROLES } from '../../../domain/access.js';
import { formBody } from '../../form-schema.js';
import { requireUser } from '../../guards.js';
import { ExtendBody, assignmentsPage as page, RuleBody } from './page.js';

const RuleParams = Type.Object(
  { id: Type.String({ pattern: '^[a-f0-9]{24}$' }) },
  { additionalProperties: false },
);
const ListQuery = Type.Object(
  {
    done: Type.Optional(
      Type.Union([Type.Literal('created'), Type.Literal('extended'), Type.Literal('retired')]),
    ),
    n: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

type ListRequest = FastifyRequest<{ Querystring: Static<typeof ListQuery> }>;
type RuleRequest = FastifyRequest<{ Body: Static<typeof RuleBody> }>;
type RetireRequest = FastifyRequest<{ Params: Static<typeof RuleParams> }>;
type ExtendRequest = FastifyRequest<{ Body: Static<typeof ExtendBody> }>;

/** `GET /hr/assignments`: the page, with a notice after a change. */
async function showAssignments(request: ListRequest, reply: FastifyReply) {
  const { done = null, n = null } = request.query;
  return reply.viewAsync('hr/assignments/index', await page(request.server, request.i18n!, { done, n }));
}

/**
 * `POST /hr/assignments`: creates a rule and assigns it now; a form with errors is shown again (400).
 * The picker's search button (no script) shows the form again as filled, with the people found.
 */
async function createRule(request: RuleRequest, reply: FastifyReply) {
  const app = request.server;
  if (request.body.intent === 'search')
    return reply.viewAsync('hr/assignments/index', await page(app, request.i18n!, { form: request.body }));
  const result = await app.services.assignments.createRuleFromForm({
    actorId: requireUser(request).id,
    form: request.body,
    now: app.clock.now(),
  });
  if (result.ok) return reply.redirect(`/hr/assignments?done=created&n=${result.assigned}`, 303);
  reply.code(400);
  return reply.viewAsync(
    'hr/assignments/index',
    await page(app, request.i18n!, { form: request.body, errors: result.errors }),
  );
}

/** `POST /hr/assignments/:id/retire`: the rule stops catching new people. */
async function retireRule(request: RetireRequest, reply: FastifyReply) {
  const app = request.server;
  await app.services.assignments.retireRule({
    actorId: requireUser(request).id,
    ruleId: request.params.id,
    now: app.clock.now(),
  });
  return reply.redirect('/hr/assignments?done=retired', 303);
}

/**
 * `POST /hr/assignments/extend`: one person's later due date, with a reason; errors show the form
 * again (400), as does the picker's search button (200, with the people found).
 */
async function extendDueDate(request: ExtendRequest, reply: FastifyReply) {
  const app = request.server;
  if (request.body.intent === 'search')
    return reply.viewAsync('hr/assignments/index', await page(app, request.i18n!, { extend: request.body }));
  const result = await app.services.assignments.extendDueDateFromForm({
    actorId: requireUser(request).id,
    form: request.body,
    now: app.clock.now(),
  });
  if (result.ok) return reply.redirect('/hr/assignments?done=extended', 303);
  reply.code(400);
  return reply.viewAsync(
    'hr/assignments/index',
    await page(app, request.i18n!, { extend: request.body, extendErrors: result.errors }),
  );
}

/** HR assigns courses (by rule: people, departments or everyone) and extends one person's deadline. */
const assignmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = { access: HR_ROLES };
  app.get('/hr/assignments', { config, schema: { querystring: ListQuery } }, showAssignments);
  app.post('/hr/assignments', { config, schema: { body: RuleBody } }, createRule);
  app.post(
    '/hr/assignments/:id/retire',
    { config, schema: { params: RuleParams, body: formBody({}) } },
    retireRule,
  );
  app.post('/hr/assignments/extend', { config, schema: { body: ExtendBody } }, extendDueDate);
};

export default assignmentRoutes;
