import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import { HR_ROLES } from '../../../../domain/access.js';
import { SETTINGS_LIMITS } from '../../../../domain/course-settings.js';
import { localisedErrors } from '../../../field-errors.js';
import { formBody, Slug, Text } from '../../../form-schema.js';
import { requireUser } from '../../../guards.js';
import { translationStatus } from '../translation-status.js';

const Params = Type.Object({ courseId: Slug }, { additionalProperties: false });
const Query = Type.Object(
  { saved: Type.Optional(Type.Union([Type.Literal('settings'), Type.Literal('renewal')])) },
  { additionalProperties: false },
);
const Num = Text(4);
const SettingsBody = formBody({
  validityMonths: Num,
  windowDays: Num,
  graceDays: Num,
  expiryBasis: Type.Union([Type.Literal('completion'), Type.Literal('previousExpiry')]),
  cycleKind: Type.Union([Type.Literal('rolling'), Type.Literal('calendar')]),
  calendarMonth: Num,
  calendarDay: Num,
  onAssignment: Type.Optional(Type.Literal('yes')),
  daysBeforeDue: Num,
  onDueDate: Type.Optional(Type.Literal('yes')),
  overdueEveryDays: Num,
  escalateAfterDays: Num,
  retired: Type.Optional(Type.Literal('yes')),
  testOut: Type.Optional(Type.Literal('yes')),
  spacedEveryMonths: Type.Optional(Num),
});
const RenewalBody = formBody({
  requirement: Type.Union([Type.Literal('attest-only'), Type.Literal('full')]),
  dueDate: Text(10, 1),
  reason: Text(500),
});

type CourseParams = Static<typeof Params>;
type ShowRequest = FastifyRequest<{ Params: CourseParams; Querystring: Static<typeof Query> }>;
type SettingsRequest = FastifyRequest<{ Params: CourseParams; Body: Static<typeof SettingsBody> }>;
type RenewalRequest = FastifyRequest<{ Params: CourseParams; Body: Static<typeof RenewalBody> }>;

/** `GET /hr/courses/:courseId/settings`: the refresher and reminder settings, and the renewal form. */
async function showSettings(request: ShowRequest, reply: FastifyReply) {
  const app = request.server;
  const { course, settings } = await app.services.assignments.courseSettings({
    courseId: request.params.courseId,
    now: app.clock.now(),
  });
  return reply.viewAsync('hr/courses/settings', {
    limits: SETTINGS_LIMITS,
    course,
    s: settings,
    errors: [],
    renewalErrors: [],
    saved: request.query.saved ?? null,
    translations: translationStatus(app, request.params.courseId, request.i18n!.lang),
  });
}

/** `POST /hr/courses/:courseId/settings`: saves the settings; a form with errors is shown again as typed (400). */
async function saveSettings(request: SettingsRequest, reply: FastifyReply) {
  const app = request.server;
  const { courseId } = request.params;
  const result = await app.services.assignments.saveSettingsFromForm({
    actorId: requireUser(request).id,
    courseId,
    form: request.body,
    now: app.clock.now(),
  });
  if (result.ok) return reply.redirect(`/hr/courses/${courseId}/settings?saved=settings`, 303);
  reply.code(400);
  return reply.viewAsync('hr/courses/settings', {
    limits: SETTINGS_LIMITS,
    course: result.course,
    s: { ...result.settings, form: request.body },
    errors: localisedErrors(request.i18n!, result.errors),
    renewalErrors: [],
    saved: null,
    translations: translationStatus(app, request.params.courseId, request.i18n!.lang),
  });
}

/** `POST /hr/courses/:courseId/renewal`: everyone who completed must renew by a due date (400 with errors). */
async function requestRenewal(request: RenewalRequest, reply: FastifyReply) {
  const app = request.server;
  const { courseId } = request.params;
  const result = await app.services.assignments.requestRenewalFromForm({
    actorId: requireUser(request).id,
    courseId,
    form: request.body,
    now: app.clock.now(),
  });
  if (result.ok) return reply.redirect(`/hr/courses/${courseId}/settings?saved=renewal`, 303);
  reply.code(400);
  return reply.viewAsync('hr/courses/settings', {
    limits: SETTINGS_LIMITS,
    course: result.course,
    s: result.settings,
    errors: [],
    renewalErrors: localisedErrors(request.i18n!, result.errors),
    saved: null,
    translations: translationStatus(app, request.params.courseId, request.i18n!.lang),
  });
}

/** Refresher and reminder settings per course, and "everyone must renew" after a policy change. */
const courseSettingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = { access: HR_ROLES };
  app.get(
    '/hr/courses/:courseId/settings',
    { config, schema: { params: Params, querystring: Query } },
    showSettings,
  );
  app.post(
    '/hr/courses/:courseId/settings',
    { config, schema: { params: Params, body: SettingsBody } },
    saveSettings,
  );
  app.post(
    '/hr/courses/:courseId/renewal',
    { config, schema: { params: Params, body: RenewalBody } },
    requestRenewal,
  );
};

export default courseSettingsRoutes;
