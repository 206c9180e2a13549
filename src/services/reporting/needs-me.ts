import { assignmentKey } from '../../db/keys.js';
import type { PolicyFeedbackDoc } from '../../db/models/learning.js';
import type { AssignmentDoc, CycleDoc } from '../../db/models/training.js';
import type { UserDoc } from '../../db/models/user.js';
import { findManyById } from '../../db/repositories/by-id.js';
import { addDays } from '../../domain/dates.js';
import type { ServiceContext } from '../context.js';

/** How far ahead HR home looks for completions that expire, and how far back for failed mail. */
export const EXPIRING_WITHIN_DAYS = 30;
export const MAIL_FAILURES_WITHIN_DAYS = 7;
/** People named on the home page under a figure; the figure counts them all. */
const NAMES_SHOWN = 10;

export interface NeedsMe {
  overdue: { people: number; byDepartment: Array<{ department: string; people: number }> };
  /** People whose current cycle used every quiz attempt without a pass: HR grants more or talks to them. */
  attemptsUsedUp: {
    people: number;
    shown: Array<{ userId: string; name: string; courseId: string; courseTitle: string }>;
  };
  openFeedback: number;
  failedMail: number;
  /** People with a completion that expires within EXPIRING_WITHIN_DAYS, the soonest named. */
  expiring: { people: number; shown: Array<{ userId: string; name: string; expiresAt: Date }> };
  /** The windows the figures cover, for the page's wording. */
  days: { expiring: number; failedMail: number };
}

type AssignmentFacts = Pick<AssignmentDoc, 'userId' | 'name' | 'department' | 'state' | 'expiresAt'>;

/** Overdue people by department and people with an expiring completion, from one pass over active assignments. */
async function assignmentFigures(ctx: Pick<ServiceContext, 'models'>, now: Date) {
  const horizon = addDays(now, EXPIRING_WITHIN_DAYS);
  const rows = await ctx.models.Assignment.find(
    { active: true, $or: [{ state: 'overdue' }, { expiresAt: { $gte: now, $lte: horizon } }] },
    { userId: 1, name: 1, department: 1, state: 1, expiresAt: 1 },
  ).lean<AssignmentFacts[]>();
  const overdue = new Map<string, Set<string>>();
  const expiring = new Map<string, { userId: string; name: string; expiresAt: Date }>();
  for (const a of rows) {
    if (a.state === 'overdue') {
      const department = a.department || 'No department';
      overdue.set(department, (overdue.get(department) ?? new Set()).add(a.userId));
    }
    const soonest = expiring.get(a.userId);
    if (
      a.expiresAt &&
      a.expiresAt >= now &&
      a.expiresAt <= horizon &&
      !(soonest && soonest.expiresAt <= a.expiresAt)
    )
      expiring.set(a.userId, { userId: a.userId, name: a.name, expiresAt: a.expiresAt });
  }
  const byDepartment = [...overdue]
    .map(([department, people]) => ({ department, people: people.size }))
    .sort((a, b) => b.people - a.people || a.department.localeCompare(b.department));
  const people = new Set([...overdue.values()].flatMap((s) => [...s])).size;
  const shown = [...expiring.values()]
    .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
    .slice(0, NAMES_SHOWN);
  return { overdue: { people, byDepartment }, expiring: { people: expiring.size, shown } };
}

/**
 * Cycles whose last allowed attempt failed (`exhaustedAt`, cleared by a grant) and that are still
 * the person's current cycle of an active assignment: an older cycle's exhaustion is history.
 */
async function attemptsUsedUp(ctx: Pick<ServiceContext, 'models' | 'courses'>) {
  const { models, courses } = ctx;
  const cycles = await models.Cycle.find(
    { exhaustedAt: { $ne: null }, passedAt: null },
    { userId: 1, courseId: 1, n: 1 },
  ).lean<Array<Pick<CycleDoc, 'userId' | 'courseId' | 'n'>>>();
  const assignments = await findManyById<AssignmentDoc>(
    models.Assignment,
    cycles.map((c) => assignmentKey(c.userId, c.courseId)),
  );
  const current = new Set(assignments.filter((a) => a.active).map((a) => `${a._id}:${a.cycleNo}`));
  const waiting = cycles.filter((c) => current.has(`${assignmentKey(c.userId, c.courseId)}:${c.n}`));
  const names = new Map(
    (
      await findManyById<Pick<UserDoc, '_id' | 'name'>>(
        models.User,
        waiting.slice(0, NAMES_SHOWN).map((c) => c.userId),
        { name: 1 },
      )
    ).map((u) => [u._id, u.name]),
  );
  const shown = waiting.slice(0, NAMES_SHOWN).map((c) => ({
    userId: c.userId,
    name: names.get(c.userId) ?? 'Unknown person',
    courseId: c.courseId,
    courseTitle: courses.get(c.courseId)?.title ?? c.courseId,
  }));
  return { people: new Set(waiting.map((c) => c.userId)).size, shown };
}

/** HR home's "what needs me today": each figure with what the page needs to link to its list. */
export async function needsMe(
  ctx: Pick<ServiceContext, 'models' | 'courses'>,
  input: { now: Date },
): Promise<NeedsMe> {
  const { models } = ctx;
  const [figures, used, openFeedback, failedMail] = await Promise.all([
    assignmentFigures(ctx, input.now),
    attemptsUsedUp(ctx),
    models.PolicyFeedback.countDocuments({ status: 'open' } satisfies Partial<PolicyFeedbackDoc>),
    models.MailFailure.countDocuments({ failedAt: { $gte: addDays(input.now, -MAIL_FAILURES_WITHIN_DAYS) } }),
  ]);
  return {
    ...figures,
    attemptsUsedUp: used,
    openFeedback,
    failedMail,
    days: { expiring: EXPIRING_WITHIN_DAYS, failedMail: MAIL_FAILURES_WITHIN_DAYS },
  };
}
