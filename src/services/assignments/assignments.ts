import { randomBytes } from 'node:crypto';
import { insertManyOnce } from '../../db/insert-once.js';
import { assignmentKey, cycleKey } from '../../db/keys.js';
import type { AssignmentRuleDoc } from '../../db/models/hr.js';
import type { Models } from '../../db/models/index.js';
import type { AssignmentDoc, AssignmentSource, CycleDoc } from '../../db/models/training.js';
import { usersRepository } from '../../db/repositories/users.js';
import {
  catchesLater,
  dueDateFor,
  type ExtendForm,
  type FieldError,
  matchesTarget,
  parseExtendForm,
  parseRuleForm,
  type RuleForm,
  type RuleInput,
  type RulePerson,
  type RuleTarget,
  ruleFormEmails,
  ruleProblems,
} from '../../domain/assignment-rules.js';
import { utcDay } from '../../domain/dates.js';
import { Conflict, DomainError, Invalid, NotFound } from '../../domain/errors.js';
import type { Region } from '../../domain/org-profile.js';
import { COPIED_PERSON_FIELDS, personCopy } from '../../domain/person-copy.js';
import { cycleState } from '../../domain/recertification.js';
import type { ServiceContext } from '../context.js';
import { loadSettings, policyOf } from './course-settings.js';
import { newCycle } from './enrollment.js';

/** An assignment rule as the assignments page lists it. */
export type AssignmentRule = AssignmentRuleDoc;

export interface AssignPerson extends RulePerson {
  managerId?: string | null;
  name: string;
  email: string;
  /** Copied to the assignment: leaving it out copies "no region" (person-copy.ts). */
  region?: Region | null;
}

const SOURCE_OF: Record<RuleTarget['kind'], AssignmentSource> = {
  individuals: 'individual',
  departments: 'department',
  everyone: 'everyone',
};

function newAssignmentDoc(
  person: AssignPerson,
  courseId: string,
  rule: Pick<AssignmentRuleDoc, '_id' | 'due' | 'createdBy'>,
  source: AssignmentSource,
  now: Date,
): AssignmentDoc {
  return {
    _id: assignmentKey(person._id, courseId),
    userId: person._id,
    courseId,
    ...personCopy(person),
    source,
    ruleId: rule._id,
    assignedAt: now,
    assignedBy: rule.createdBy,
    active: true,
    cycleNo: 1,
    dueAt: dueDateFor(rule.due, person, now),
    state: 'not-started',
    completedAt: null,
    expiresAt: null,
    updatedAt: now,
  };
}

/**
 * Assigns a course to these people through a rule: per person one assignment and its first
 * cycle, both insert-once, so applying a rule again (or two sweeps at once) changes nothing.
 * Someone who was already learning on their own (self-enrolled, no due date) gets the rule's
 * due date on their open cycle. Returns how many people were newly assigned.
 */
export async function assignPeople(
  ctx: ServiceContext,
  input: { rule: AssignmentRuleDoc; people: AssignPerson[]; source: AssignmentSource; now: Date },
): Promise<number> {
  const { rule, people, source, now } = input;
  const course = ctx.courses.get(rule.courseId);
  if (!course || people.length === 0) return 0;
  const assignments = people.map((p) => newAssignmentDoc(p, course.id, rule, source, now));
  const created = await insertManyOnce(ctx.models.Assignment, assignments);
  const cycles: CycleDoc[] = [];
  const existing: AssignmentDoc[] = [];
  assignments.forEach((a, i) => {
    if (created.has(i)) cycles.push(newCycle(a.userId, course, 1, now, a.dueAt));
    else existing.push(a);
  });
  await insertManyOnce(ctx.models.Cycle, cycles);
  await adoptSelfEnrolled(ctx.models, existing, now);
  return created.size;
}

async function adoptSelfEnrolled(models: Models, wanted: AssignmentDoc[], now: Date): Promise<void> {
  for (const w of wanted) {
    const a = await models.Assignment.findById(w._id).lean<AssignmentDoc>();
    if (a?.source !== 'self' || a.dueAt || a.completedAt) continue;
    const set = {
      source: w.source,
      ruleId: w.ruleId,
      assignedBy: w.assignedBy,
      dueAt: w.dueAt,
      updatedAt: now,
    };
    await models.Assignment.updateOne({ _id: a._id }, { $set: set });
    await models.Cycle.updateOne(
      { _id: cycleKey(a.userId, a.courseId, a.cycleNo) },
      { $set: { dueAt: w.dueAt } },
    );
  }
}

/** What a rule reads of a person: the copied fields, and what decides whether the rule catches them. */
const PERSON_FIELDS = {
  ...Object.fromEntries(COPIED_PERSON_FIELDS.map((field) => [field, 1])),
  active: 1,
  hireDate: 1,
};

/**
 * Everyone a target names today (active people only), read in full before anything is written.
 * A few fields per person keep this small.
 */
async function peopleFor(models: Models, target: RuleTarget): Promise<AssignPerson[]> {
  if (target.kind === 'individuals') {
    const found = await Promise.all(
      target.userIds.map((id) => models.User.findById(id, PERSON_FIELDS).lean()),
    );
    return found.filter((p): p is NonNullable<typeof p> => !!p && p.active) as AssignPerson[];
  }
  const filter =
    target.kind === 'departments'
      ? { department: { $in: target.departments }, active: true }
      : { active: true };
  return (await models.User.find(filter, PERSON_FIELDS).lean()) as unknown as AssignPerson[];
}

/**
 * Creates an assignment rule and applies it to everyone it names now; audited as `assignment.created`.
 * A rule for no known course, or due on a fixed day already past, is `Invalid`.
 */
export async function createRule(
  ctx: ServiceContext,
  input: RuleInput & { actorId: string; now: Date },
): Promise<{ rule: AssignmentRuleDoc; assigned: number }> {
  const { actorId, now, courseId, target, due, newHireWithinDays } = input;
  const [problem] = ruleProblems(input, { courseExists: ctx.courses.has(courseId), now });
  if (problem) throw new Invalid(problem.message, problem.values);
  const rule: AssignmentRuleDoc = {
    _id: randomBytes(12).toString('hex'),
    courseId,
    target,
    due,
    newHireWithinDays,
    active: true,
    createdAt: now,
    createdBy: actorId,
  };
  await ctx.models.AssignmentRule.create(rule);
  let assigned = 0;
  const people = await peopleFor(ctx.models, rule.target);
  for (let i = 0; i < people.length; i += 1000) {
    const batch = people.slice(i, i + 1000);
    assigned += await assignPeople(ctx, { rule, people: batch, source: SOURCE_OF[rule.target.kind], now });
  }
  await ctx.audit.append(
    {
      actorId,
      action: 'assignment.created',
      targetType: 'assignment-rule',
      targetId: rule._id,
      details: { courseId, target, due, newHireWithinDays, assigned },
    },
    now,
  );
  return { rule, assigned };
}

/** What a form command answers: done, or the field errors to show on the form again. */
export type FormResult<T = object> = ({ ok: true } & T) | { ok: false; errors: FieldError[] };

/**
 * HR's "assign a course" form: the e-mails it names are looked up, then the form is read and
 * checked (domain `parseRuleForm`, with the same checks `createRule` makes) and the rule created.
 */
export async function createRuleFromForm(
  ctx: ServiceContext,
  input: { actorId: string; form: RuleForm; now: Date },
): Promise<FormResult<{ assigned: number }>> {
  const { form, now } = input;
  const users = usersRepository(ctx.models);
  const emails = ruleFormEmails(form).slice(0, 500);
  const found = await Promise.all(emails.map((e) => users.findByEmail(e)));
  const ids = new Map(emails.flatMap((e, i) => (found[i] ? [[e, found[i]._id] as const] : [])));
  const parsed = parseRuleForm(form, {
    courseExists: ctx.courses.has(form.courseId),
    userIdOf: (email) => ids.get(email),
    now,
  });
  if ('errors' in parsed) return { ok: false, errors: parsed.errors };
  const { assigned } = await createRule(ctx, { ...parsed.rule, actorId: input.actorId, now });
  return { ok: true, assigned };
}

/** The latest 100 rules, newest first, for the assignments page. */
export function listRules(ctx: ServiceContext): Promise<AssignmentRule[]> {
  return ctx.models.AssignmentRule.find({}).sort({ createdAt: -1 }).limit(100).lean<AssignmentRuleDoc[]>();
}

export function activeRules(models: Models): Promise<AssignmentRuleDoc[]> {
  return models.AssignmentRule.find({ active: true }).lean<AssignmentRuleDoc[]>();
}

/**
 * Applies these rules to people who are new or changed (import, daily sweep): a person who
 * matches a rule and has no assignment for its course (`has` says which exist) gets one.
 * Retired courses are skipped.
 */
export async function applyRulesTo(
  ctx: ServiceContext,
  input: {
    rules: AssignmentRuleDoc[];
    people: AssignPerson[];
    now: Date;
    has?: (assignmentId: string) => boolean;
  },
): Promise<number> {
  const { rules, people, now, has = () => false } = input;
  let assigned = 0;
  for (const rule of rules) {
    const due = people.filter(
      (p) =>
        matchesTarget(rule.target, p) &&
        catchesLater(rule.newHireWithinDays, p, now) &&
        !has(assignmentKey(p._id, rule.courseId)),
    );
    assigned += await assignPeople(ctx, { rule, people: due, source: 'rule', now });
  }
  return assigned;
}

/** HR removes a rule: it stops catching new people; existing assignments and history stay. */
export async function retireRule(
  ctx: ServiceContext,
  input: { actorId: string; ruleId: string; now: Date },
): Promise<void> {
  const { actorId, ruleId, now } = input;
  const res = await ctx.models.AssignmentRule.updateOne({ _id: ruleId }, { $set: { active: false } });
  if (res.matchedCount === 0) throw new NotFound('hr.assign.errors.noRule');
  await ctx.audit.append(
    { actorId, action: 'assignment.rule.retired', targetType: 'assignment-rule', targetId: ruleId },
    now,
  );
}

/**
 * Moves one person's current deadline to a later day, with a reason; audited as `assignment.extended`.
 * The cycle and the assignment summary get the same day, and the state is recomputed at once.
 */
export async function extendDueDate(
  ctx: ServiceContext,
  input: { actorId: string; userId: string; courseId: string; dueAt: Date; reason: string; now: Date },
): Promise<AssignmentDoc> {
  const { models } = ctx;
  const { actorId, now } = input;
  const course = ctx.courses.get(input.courseId);
  const a = await models.Assignment.findById(
    assignmentKey(input.userId, input.courseId),
  ).lean<AssignmentDoc>();
  if (!course || !a) throw new NotFound('hr.assign.errors.noAssignment');
  const cycleId = cycleKey(a.userId, a.courseId, a.cycleNo);
  const cycle = await models.Cycle.findById(cycleId).lean<CycleDoc>();
  if (!cycle) throw new NotFound('hr.assign.errors.noCycle');
  if (cycle.completedAt) throw new Conflict('hr.assign.errors.cycleComplete');
  const dueAt = utcDay(input.dueAt);
  if (dueAt < utcDay(now)) throw new Invalid('hr.assign.errors.duePast');
  if (a.dueAt && dueAt <= utcDay(a.dueAt)) throw new Invalid('hr.assign.errors.dueNotLater');

  const previous =
    a.cycleNo > 1
      ? await models.Cycle.findById(cycleKey(a.userId, a.courseId, a.cycleNo - 1)).lean<CycleDoc>()
      : null;
  const policy = policyOf(await loadSettings(models, course, now));
  const state = cycleState(policy, [...(previous ? [previous] : []), { ...cycle, dueAt }], now).state;
  await models.Cycle.updateOne({ _id: cycleId }, { $set: { dueAt } });
  await models.Assignment.updateOne({ _id: a._id }, { $set: { dueAt, state, updatedAt: now } });
  await ctx.audit.append(
    {
      actorId,
      action: 'assignment.extended',
      targetType: 'assignment',
      targetId: a._id,
      subjectId: a.userId,
      details: { courseId: a.courseId, cycleNo: a.cycleNo, from: a.dueAt, to: dueAt, reason: input.reason },
    },
    now,
  );
  return { ...a, dueAt, state, updatedAt: now };
}

/**
 * HR's "extend a due date" form: the person is found by e-mail, the form read (domain
 * `parseExtendForm`), and what `extendDueDate` refuses is shown beside the new due date.
 */
export async function extendDueDateFromForm(
  ctx: ServiceContext,
  input: { actorId: string; form: ExtendForm; now: Date },
): Promise<FormResult> {
  const { email } = input.form;
  const person = email ? await usersRepository(ctx.models).findByEmail(email) : null;
  const parsed = parseExtendForm(input.form, person?._id ?? null);
  if ('errors' in parsed) return { ok: false, errors: parsed.errors };
  try {
    await extendDueDate(ctx, { ...parsed.extension, actorId: input.actorId, now: input.now });
    return { ok: true };
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return { ok: false, errors: [{ field: 'extend-dueDate', message: err.message }] };
  }
}
