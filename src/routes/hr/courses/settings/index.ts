import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HR_ROLES } from '../../../../domain/access.js';
import { daysInMonth, parseDay } from '../../../../domain/dates.js';
import { HttpError } from '../../../../plugins/auth.js';
import {
  loadSettings,
  requestRenewal,
  type SettingsInput,
  saveSettings,
} from '../../../../services/assignments/course-settings.js';
import { formBody, Slug, Text } from '../../../form-schema.js';

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
});
const RenewalBody = formBody({
  requirement: Type.Union([Type.Literal('attest-only'), Type.Literal('full')]),
  dueDate: Text(10, 1),
  reason: Text(500),
});

type Errors = Array<{ field: string; message: string }>;

function int(errors: Errors, field: string, text: string, min: number, max: number, label: string): number {
  const n = /^\d{1,4}$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max))
    errors.push({ field, message: `${label} must be a whole number from ${min} to ${max}.` });
  return n;
}

/** Refresher and reminder settings per course, and "everyone must renew" after a policy change. */
const courseSettingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const courseOf = (id: string) => {
    const course = app.courses.get(id);
    if (!course) throw new HttpError(404, 'There is no such course.');
    return course;
  };

  app.get(
    '/hr/courses/:courseId/settings',
    { config: { access: HR_ROLES }, schema: { params: Params, querystring: Query } },
    async (request, reply) => {
      const course = courseOf(request.params.courseId);
      const s = await loadSettings(app.db.models, course, app.clock.now());
      return reply.viewAsync('hr/courses/settings', {
        course,
        s,
        errors: [],
        renewalErrors: [],
        saved: request.query.saved ?? null,
      });
    },
  );

  app.post(
    '/hr/courses/:courseId/settings',
    { config: { access: HR_ROLES }, schema: { params: Params, body: SettingsBody } },
    async (request, reply) => {
      const course = courseOf(request.params.courseId);
      const f = request.body;
      const errors: Errors = [];
      const calendar = f.cycleKind === 'calendar';
      const month = calendar ? int(errors, 'calendarMonth', f.calendarMonth, 1, 12, 'Month') : null;
      const day = calendar ? int(errors, 'calendarDay', f.calendarDay, 1, 31, 'Day') : null;
      if (calendar && month && day && day > daysInMonth(2028, month - 1))
        errors.push({ field: 'calendarDay', message: 'That month has no such day.' });
      const input: SettingsInput = {
        validityMonths: int(errors, 'validityMonths', f.validityMonths, 1, 120, 'Validity'),
        windowDays: int(errors, 'windowDays', f.windowDays, 0, 365, 'Window'),
        graceDays: int(errors, 'graceDays', f.graceDays, 0, 365, 'Grace period'),
        expiryBasis: f.expiryBasis,
        cycleKind: f.cycleKind,
        calendarMonth: month,
        calendarDay: day,
        reminders: {
          onAssignment: f.onAssignment === 'yes',
          daysBeforeDue: int(errors, 'daysBeforeDue', f.daysBeforeDue, 0, 365, 'Days before due'),
          onDueDate: f.onDueDate === 'yes',
          overdueEveryDays: int(errors, 'overdueEveryDays', f.overdueEveryDays, 0, 365, 'Overdue repeat'),
          escalateAfterDays: int(errors, 'escalateAfterDays', f.escalateAfterDays, 0, 365, 'Escalation'),
        },
        retired: f.retired === 'yes',
      };
      if (errors.length) {
        reply.code(400);
        const s = { ...(await loadSettings(app.db.models, course, app.clock.now())), ...input, form: f };
        return reply.viewAsync('hr/courses/settings', { course, s, errors, renewalErrors: [], saved: null });
      }
      await saveSettings(
        { models: app.db.models, audit: app.audit },
        course,
        input,
        request.user!.id,
        app.clock.now(),
      );
      return reply.redirect(`/hr/courses/${course.id}/settings?saved=settings`, 303);
    },
  );

  app.post(
    '/hr/courses/:courseId/renewal',
    { config: { access: HR_ROLES }, schema: { params: Params, body: RenewalBody } },
    async (request, reply) => {
      const course = courseOf(request.params.courseId);
      const now = app.clock.now();
      const dueAt = parseDay(request.body.dueDate);
      const renewalErrors: Errors = [];
      if (!dueAt || dueAt < parseDay(now.toISOString().slice(0, 10))!) {
        renewalErrors.push({
          field: 'renewal-dueDate',
          message: 'Enter a due date (YYYY-MM-DD) that is today or later.',
        });
      }
      if (!request.body.reason.trim())
        renewalErrors.push({
          field: 'renewal-reason',
          message: 'Say what changed; it is kept in the audit log.',
        });
      if (renewalErrors.length || !dueAt) {
        reply.code(400);
        const s = await loadSettings(app.db.models, course, now);
        return reply.viewAsync('hr/courses/settings', { course, s, errors: [], renewalErrors, saved: null });
      }
      await requestRenewal(
        { models: app.db.models, audit: app.audit },
        course,
        { requirement: request.body.requirement, dueAt, reason: request.body.reason.trim() },
        request.user!.id,
        now,
      );
      return reply.redirect(`/hr/courses/${course.id}/settings?saved=renewal`, 303);
    },
  );
};

export default courseSettingsRoutes;
