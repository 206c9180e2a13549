import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AssignmentRuleDoc } from '../../../db/models/hr.js';
import { usersRepository } from '../../../db/repositories/users.js';
import { HR_ROLES } from '../../../domain/access.js';
import {
  describeDue,
  describeTarget,
  type RuleDue,
  type RuleTarget,
} from '../../../domain/assignment-rules.js';
import { parseDay } from '../../../domain/dates.js';
import { HttpError } from '../../../plugins/auth.js';
import {
  AssignmentError,
  createRule,
  extendDueDate,
  retireRule,
} from '../../../services/assignments/assignments.js';
import { formBody, Slug, Text } from '../../form-schema.js';

const RuleBody = formBody({
  courseId: Slug,
  targetKind: Type.Union([
    Type.Literal('individuals'),
    Type.Literal('departments'),
    Type.Literal('everyone'),
  ]),
  emails: Text(20_000),
  departments: Text(5_000),
  dueKind: Type.Union([Type.Literal('fixed'), Type.Literal('after-assignment'), Type.Literal('after-hire')]),
  dueDate: Text(10),
  dueDays: Text(4),
  newHireWithinDays: Text(4),
});
const ExtendBody = formBody({ email: Text(254, 1), courseId: Slug, dueDate: Text(10, 1), reason: Text(500) });
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

type Errors = Array<{ field: string; message: string }>;
const EMPTY_FORM = {
  courseId: '',
  targetKind: 'everyone',
  emails: '',
  departments: '',
  dueKind: 'after-assignment',
  dueDate: '',
  dueDays: '30',
  newHireWithinDays: '',
};
const EMPTY_EXTEND = { email: '', courseId: '', dueDate: '', reason: '' };

function wholeNumber(text: string, max: number): number | null {
  return /^\d{1,4}$/.test(text.trim()) && Number(text) <= max ? Number(text) : null;
}

/** HR assigns courses (by rule: people, departments or everyone) and extends one person's deadline. */
const assignmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ models: app.db.models, audit: app.audit, courses: app.courses });
  const users = usersRepository(app.db.models);

  async function page(data: {
    form?: typeof EMPTY_FORM;
    errors?: Errors;
    extend?: typeof EMPTY_EXTEND;
    extendErrors?: Errors;
    done?: string | null;
    n?: number | null;
  }) {
    const rules = await app.db.models.AssignmentRule.find({})
      .sort({ createdAt: -1 })
      .limit(100)
      .lean<AssignmentRuleDoc[]>();
    return {
      courses: [...app.courses.values()].map((c) => ({ id: c.id, title: c.title })),
      rules: rules.map((r) => ({
        ...r,
        courseTitle: app.courses.get(r.courseId)?.title ?? r.courseId,
        targetText: describeTarget(r.target as RuleTarget, (id) => id),
        dueText: describeDue(r.due as RuleDue),
      })),
      form: data.form ?? EMPTY_FORM,
      errors: data.errors ?? [],
      extend: data.extend ?? EMPTY_EXTEND,
      extendErrors: data.extendErrors ?? [],
      done: data.done ?? null,
      n: data.n ?? null,
    };
  }

  app.get(
    '/hr/assignments',
    { config: { access: HR_ROLES }, schema: { querystring: ListQuery } },
    async (request, reply) => {
      return reply.viewAsync(
        'hr/assignments/index',
        await page({ done: request.query.done ?? null, n: request.query.n ?? null }),
      );
    },
  );

  app.post(
    '/hr/assignments',
    { config: { access: HR_ROLES }, schema: { body: RuleBody } },
    async (request, reply) => {
      const f = request.body;
      const errors: Errors = [];
      if (!app.courses.has(f.courseId)) errors.push({ field: 'courseId', message: 'Choose a course.' });
      let target: RuleTarget = { kind: 'everyone' };
      if (f.targetKind === 'departments') {
        const departments = [
          ...new Set(
            f.departments
              .split(/[\n,]/)
              .map((d) => d.trim())
              .filter(Boolean),
          ),
        ];
        if (!departments.length)
          errors.push({ field: 'departments', message: 'Enter at least one department.' });
        target = { kind: 'departments', departments };
      } else if (f.targetKind === 'individuals') {
        const emails = [
          ...new Set(
            f.emails
              .split(/[\s,;]+/)
              .map((e) => e.trim().toLowerCase())
              .filter(Boolean),
          ),
        ];
        if (!emails.length || emails.length > 500)
          errors.push({ field: 'emails', message: 'Enter between 1 and 500 email addresses.' });
        const found = await Promise.all(emails.slice(0, 500).map((e) => users.findByEmail(e)));
        const unknown = emails.filter((_, i) => !found[i]);
        if (unknown.length)
          errors.push({
            field: 'emails',
            message: `Nobody has these email addresses: ${unknown.slice(0, 10).join(', ')}.`,
          });
        target = { kind: 'individuals', userIds: found.filter((u) => !!u).map((u) => u!._id) };
      }
      let due: RuleDue | null = null;
      if (f.dueKind === 'fixed') {
        const date = parseDay(f.dueDate);
        if (!date) errors.push({ field: 'dueDate', message: 'Enter the due date as YYYY-MM-DD.' });
        else due = { kind: 'fixed', date };
      } else {
        const days = wholeNumber(f.dueDays, 3650);
        if (days === null)
          errors.push({ field: 'dueDays', message: 'Enter a number of days between 0 and 3650.' });
        else due = { kind: f.dueKind, days };
      }
      const hireText = f.newHireWithinDays.trim();
      const newHireWithinDays = hireText ? wholeNumber(hireText, 3650) : null;
      if (hireText && newHireWithinDays === null) {
        errors.push({ field: 'newHireWithinDays', message: 'Enter a number of days, or leave it empty.' });
      }
      if (!errors.length && due) {
        try {
          const { assigned } = await createRule(
            deps(),
            { courseId: f.courseId, target, due, newHireWithinDays },
            request.user!.id,
            app.clock.now(),
          );
          return reply.redirect(`/hr/assignments?done=created&n=${assigned}`, 303);
        } catch (err) {
          if (!(err instanceof AssignmentError)) throw err;
          errors.push({ field: 'dueDate', message: err.message });
        }
      }
      reply.code(400);
      return reply.viewAsync('hr/assignments/index', await page({ form: f, errors }));
    },
  );

  app.post(
    '/hr/assignments/:id/retire',
    { config: { access: HR_ROLES }, schema: { params: RuleParams, body: formBody({}) } },
    async (request, reply) => {
      if (!(await retireRule(deps(), request.params.id, request.user!.id, app.clock.now()))) {
        throw new HttpError(404, 'There is no such assignment rule.');
      }
      return reply.redirect('/hr/assignments?done=retired', 303);
    },
  );

  app.post(
    '/hr/assignments/extend',
    { config: { access: HR_ROLES }, schema: { body: ExtendBody } },
    async (request, reply) => {
      const f = request.body;
      const extendErrors: Errors = [];
      const person = await users.findByEmail(f.email);
      if (!person) extendErrors.push({ field: 'extend-email', message: 'Nobody has that email address.' });
      const date = parseDay(f.dueDate);
      if (!date)
        extendErrors.push({ field: 'extend-dueDate', message: 'Enter the new due date as YYYY-MM-DD.' });
      if (!f.reason.trim())
        extendErrors.push({ field: 'extend-reason', message: 'Give a reason; it is kept in the audit log.' });
      if (!extendErrors.length && person && date) {
        try {
          await extendDueDate(
            deps(),
            { userId: person._id, courseId: f.courseId, dueAt: date, reason: f.reason.trim() },
            request.user!.id,
            app.clock.now(),
          );
          return reply.redirect('/hr/assignments?done=extended', 303);
        } catch (err) {
          if (!(err instanceof AssignmentError)) throw err;
          extendErrors.push({ field: 'extend-dueDate', message: err.message });
        }
      }
      reply.code(400);
      return reply.viewAsync('hr/assignments/index', await page({ extend: f, extendErrors }));
    },
  );
};

export default assignmentRoutes;
