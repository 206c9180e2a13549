import { randomBytes } from 'node:crypto';
import { assignmentKey, cycleKey } from '../../db/keys.js';
import type { AssignmentRuleDoc } from '../../db/models/hr.js';
import type { Models } from '../../db/models/index.js';
import type { AssignmentDoc, AssignmentSource, CycleDoc } from '../../db/models/training.js';
import {
  catchesLater,
  dueDateFor,
  matchesTarget,
  type RuleDue,
  type RulePerson,
  type RuleTarget,
} from '../../domain/assignment-rules.js';
import type { Course } from '../../domain/course.js';
import { utcDay } from '../../domain/dates.js';
import { personCopy } from '../../domain/person-copy.js';
import { cycleState } from '../../domain/recertification.js';
import type { AuditLog } from '../audit/log.js';
import { loadSettings, policyOf } from './course-settings.js';
import { newCycle } from './enrollment.js';

export interface AssignmentDeps {
  models: Models;
  audit: AuditLog;
  courses: Map<string, Course>;
}

export interface AssignPerson extends RulePerson {
  managerId?: string | null;
  name: string;
  email: string;
}

const SOURCE_OF: Record<RuleTarget['kind'], AssignmentSource> = {
  individuals: 'individual',
  departments: 'department',
  everyone: 'everyone',
};

export function newAssignmentDoc(
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

/** Inserts many documents keyed by `_id`; existing ones are left alone. Returns the indexes that were new. */
export async function insertManyOnce(
  // biome-ignore lint/suspicious/noExplicitAny: any mongoose model keyed by a string _id
  model: { insertMany(docs: any[], opts: any): Promise<unknown> },
  docs: unknown[],
) {
  if (docs.length === 0) return new Set<number>();
  const inserted = new Set(docs.map((_, i) => i));
  try {
    await model.insertMany(docs, { ordered: false });
  } catch (err) {
    const writeErrors = (
      err as { writeErrors?: Array<{ index: number; code?: number; err?: { code?: number } }> }
    ).writeErrors;
    if (!writeErrors) throw err;
    for (const e of writeErrors) {
      if ((e.code ?? e.err?.code) !== 11000) throw err;
      inserted.delete(e.index);
    }
  }
  return inserted;
}

/**
 * Assigns a course to these people through a rule: per person one assignment and its first
 * cycle, both insert-once, so applying a rule again (or two sweeps at once) changes nothing.
 * Someone who was already learning on their own (self-enrolled, no due date) gets the rule's
 * due date on their open cycle. Returns how many people were newly assigned.
 */
export async function assignPeople(
  deps: AssignmentDeps,
  rule: AssignmentRuleDoc,
  people: AssignPerson[],
  source: AssignmentSource,
  now: Date,
): Promise<number> {
  const course = deps.courses.get(rule.courseId);
  if (!course || people.length === 0) return 0;
  const assignments = people.map((p) => newAssignmentDoc(p, course.id, rule, source, now));
  const created = await insertManyOnce(deps.models.Assignment, assignments);
  const cycles: CycleDoc[] = [];
  const existing: AssignmentDoc[] = [];
  assignments.forEach((a, i) => {
    if (created.has(i)) cycles.push(newCycle(a.userId, course, 1, now, a.dueAt));
    else existing.push(a);
  });
  await insertManyOnce(deps.models.Cycle, cycles);
  await adoptSelfEnrolled(deps.models, existing, now);
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

export interface RuleInput {
  courseId: string;
  target: RuleTarget;
  due: RuleDue;
  newHireWithinDays: number | null;
}

export class AssignmentError extends Error {}

const PERSON_FIELDS = { department: 1, active: 1, hireDate: 1, managerId: 1, name: 1, email: 1 } as const;

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

/** Creates an assignment rule and applies it to everyone it names now; audited as `assignment.created`. */
export async function createRule(
  deps: AssignmentDeps,
  input: RuleInput,
  actorId: string,
  now: Date,
): Promise<{ rule: AssignmentRuleDoc; assigned: number }> {
  if (!deps.courses.has(input.courseId)) throw new AssignmentError('There is no such course.');
  if (input.due.kind === 'fixed' && utcDay(input.due.date) < utcDay(now)) {
    throw new AssignmentError('A fixed due date cannot be in the past.');
  }
  const rule: AssignmentRuleDoc = {
    _id: randomBytes(12).toString('hex'),
    ...input,
    active: true,
    createdAt: now,
    createdBy: actorId,
  };
  await deps.models.AssignmentRule.create(rule);
  let assigned = 0;
  const people = await peopleFor(deps.models, rule.target);
  for (let i = 0; i < people.length; i += 1000) {
    assigned += await assignPeople(deps, rule, people.slice(i, i + 1000), SOURCE_OF[rule.target.kind], now);
  }
  await deps.audit.append(
    {
      actorId,
      action: 'assignment.created',
      targetType: 'assignment-rule',
      targetId: rule._id,
      details: {
        courseId: rule.courseId,
        target: rule.target,
        due: rule.due,
        newHireWithinDays: rule.newHireWithinDays,
        assigned,
      },
    },
    now,
  );
  return { rule, assigned };
}

export function activeRules(models: Models): Promise<AssignmentRuleDoc[]> {
  return models.AssignmentRule.find({ active: true }).lean<AssignmentRuleDoc[]>();
}

/**
 * Applies every rule to people who are new or changed (HR form, import, daily sweep): a person
 * who matches a rule and has no assignment for its course gets one. Retired courses are skipped.
 */
export async function applyRulesTo(
  deps: AssignmentDeps,
  rules: AssignmentRuleDoc[],
  people: AssignPerson[],
  now: Date,
  has: (assignmentId: string) => boolean = () => false,
): Promise<number> {
  let assigned = 0;
  for (const rule of rules) {
    const due = people.filter(
      (p) =>
        matchesTarget(rule.target, p) &&
        catchesLater(rule.newHireWithinDays, p, now) &&
        !has(assignmentKey(p._id, rule.courseId)),
    );
    assigned += await assignPeople(deps, rule, due, 'rule', now);
  }
  return assigned;
}

/** HR removes a rule: it stops catching new people; existing assignments and history stay. */
export async function retireRule(
  deps: AssignmentDeps,
  ruleId: string,
  actorId: string,
  now: Date,
): Promise<boolean> {
  const res = await deps.models.AssignmentRule.updateOne({ _id: ruleId }, { $set: { active: false } });
  if (res.matchedCount === 0) return false;
  await deps.audit.append(
    { actorId, action: 'assignment.rule.retired', targetType: 'assignment-rule', targetId: ruleId },
    now,
  );
  return true;
}

/**
 * Moves one person's current deadline to a later day, with a reason; audited as `assignment.extended`.
 * The cycle and the assignment summary get the same day, and the state is recomputed at once.
 */
export async function extendDueDate(
  deps: AssignmentDeps,
  input: { userId: string; courseId: string; dueAt: Date; reason: string },
  actorId: string,
  now: Date,
): Promise<AssignmentDoc> {
  const course = deps.courses.get(input.courseId);
  const a = await deps.models.Assignment.findById(
    assignmentKey(input.userId, input.courseId),
  ).lean<AssignmentDoc>();
  if (!course || !a) throw new AssignmentError('This person has no assignment for that course.');
  const cycleId = cycleKey(a.userId, a.courseId, a.cycleNo);
  const cycle = await deps.models.Cycle.findById(cycleId).lean<CycleDoc>();
  if (!cycle) throw new AssignmentError('This assignment has no open cycle.');
  if (cycle.completedAt)
    throw new AssignmentError('The current cycle is already complete; there is nothing to extend.');
  const dueAt = utcDay(input.dueAt);
  if (dueAt < utcDay(now)) throw new AssignmentError('The new due date cannot be in the past.');
  if (a.dueAt && dueAt <= utcDay(a.dueAt))
    throw new AssignmentError('The new due date must be later than the current one.');

  const previous =
    a.cycleNo > 1
      ? await deps.models.Cycle.findById(cycleKey(a.userId, a.courseId, a.cycleNo - 1)).lean<CycleDoc>()
      : null;
  const policy = policyOf(await loadSettings(deps.models, course, now));
  const state = cycleState(policy, [...(previous ? [previous] : []), { ...cycle, dueAt }], now).state;
  await deps.models.Cycle.updateOne({ _id: cycleId }, { $set: { dueAt } });
  await deps.models.Assignment.updateOne({ _id: a._id }, { $set: { dueAt, state, updatedAt: now } });
  await deps.audit.append(
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
