import { assignmentKey } from '../../db/keys.js';
import type { Models } from '../../db/models/index.js';
import type { PolicyFeedbackDoc } from '../../db/models/learning.js';
import type { NeedsMeDoc } from '../../db/models/needs-me.js';
import type { AssignmentDoc, CycleDoc } from '../../db/models/training.js';
import { findManyById } from '../../db/repositories/by-id.js';
import { addDays } from '../../domain/dates.js';
import { EXPIRING_WITHIN_DAYS, expiringWindow, isExpiringCompletion } from '../../domain/expiring.js';
import { NO_DEPARTMENT } from '../../domain/people/list-filters.js';
import type { ServiceContext } from '../context.js';

/** How far back HR home looks for failed mail. */
export const MAIL_FAILURES_WITHIN_DAYS = 7;
/** People named on the home page under a figure; the figure counts them all. */
const NAMES_SHOWN = 10;

interface Named {
  userId: string;
  name: string;
  courseId: string;
  courseTitle: string;
}

export interface NeedsMe {
  /** By department: NO_DEPARTMENT (the people list's filter value) for people without one. */
  overdue: { people: number; byDepartment: Array<{ department: string; people: number }> };
  /** People whose current cycle used every quiz attempt without a pass: HR grants more or talks to them. */
  attemptsUsedUp: { people: number; shown: Named[] };
  openFeedback: number;
  failedMail: number;
  /** People whose last completion expires within EXPIRING_WITHIN_DAYS and is not renewed yet, soonest first. */
  expiring: { people: number; shown: Array<Named & { expiresAt: Date }> };
  /** The windows the figures cover, for the page's wording. */
  days: { expiring: number; failedMail: number };
}

/** Overdue people by department, from the assignments' summary state (active assignments only). */
async function overdueFigures(ctx: Pick<ServiceContext, 'models'>) {
  const rows = await ctx.models.Assignment.find(
    { active: true, state: 'overdue' },
    { userId: 1, department: 1 },
  ).lean<Array<Pick<AssignmentDoc, 'userId' | 'department'>>>();
  const byDept = new Map<string, Set<string>>();
  for (const a of rows) {
    const department = a.department || NO_DEPARTMENT;
    byDept.set(department, (byDept.get(department) ?? new Set()).add(a.userId));
  }
  const byDepartment = [...byDept]
    .map(([department, people]) => ({ department, people: people.size }))
    .sort((a, b) => b.people - a.people || a.department.localeCompare(b.department));
  return { people: new Set(rows.map((a) => a.userId)).size, byDepartment };
}

type CycleFacts = Pick<CycleDoc, 'userId' | 'courseId' | 'n' | 'exhaustedAt' | 'passedAt' | 'expiresAt'>;

/**
 * The figures that live on cycles, from one query: attempts used up (`exhaustedAt`, cleared by a
 * grant) in the person's current cycle, and completions expiring soon. The assignment summary
 * forgets a completion's expiry once the refresher cycle opens, so the cycle that completed is
 * read; it counts while its renewal (the next cycle) is not complete.
 */
async function cycleFigures(ctx: Pick<ServiceContext, 'models' | 'courses'>, now: Date) {
  const { models, courses } = ctx;
  const { to: horizon } = expiringWindow(now);
  const cycles = await models.Cycle.find(
    { $or: [{ exhaustedAt: { $ne: null }, passedAt: null }, { expiresAt: { $gte: now, $lte: horizon } }] },
    { userId: 1, courseId: 1, n: 1, exhaustedAt: 1, passedAt: 1, expiresAt: 1 },
  ).lean<CycleFacts[]>();
  const assignments = new Map(
    (
      await findManyById<AssignmentDoc>(
        models.Assignment,
        cycles.map((c) => assignmentKey(c.userId, c.courseId)),
      )
    ).map((a) => [a._id, a]),
  );
  const used: Named[] = [];
  const expiring: Array<Named & { expiresAt: Date }> = [];
  for (const c of cycles) {
    const a = assignments.get(assignmentKey(c.userId, c.courseId));
    if (!a?.active) continue;
    const named = {
      userId: c.userId,
      name: a.name,
      courseId: c.courseId,
      courseTitle: courses.get(c.courseId)?.title ?? c.courseId,
    };
    if (c.exhaustedAt && !c.passedAt && a.cycleNo === c.n) used.push(named);
    if (c.expiresAt && isExpiringCompletion(c, a, now)) expiring.push({ ...named, expiresAt: c.expiresAt });
  }
  expiring.sort((x, y) => x.expiresAt.getTime() - y.expiresAt.getTime());
  const people = (list: Named[]) => new Set(list.map((x) => x.userId)).size;
  return {
    attemptsUsedUp: { people: people(used), shown: used.slice(0, NAMES_SHOWN) },
    expiring: { people: people(expiring), shown: expiring.slice(0, NAMES_SHOWN) },
  };
}

/** The figures counted in the background: a pass over the overdue assignments and the cycles. */
export interface CountedFigures {
  asOf: Date;
  overdue: NeedsMe['overdue'];
  attemptsUsedUp: NeedsMe['attemptsUsedUp'];
  expiring: NeedsMe['expiring'];
}

const NEEDS_ME_ID = 'hr-home';
/** Stored figures older than this are recounted in the background (the page shows them meanwhile). */
export const NEEDS_ME_MAX_AGE_MS = 10 * 60_000;

// One count at a time per database (as the report summaries): a visit during a count waits for nothing.
const counting = new WeakMap<Models, Promise<void>>();

/** Counts the pass figures and stores them; a count already running is the one returned. */
export function recountNeedsMe(ctx: Pick<ServiceContext, 'models' | 'courses'>, now: Date): Promise<void> {
  const { models } = ctx;
  const inFlight = counting.get(models);
  if (inFlight) return inFlight;
  const pass = (async () => {
    const started = Date.now();
    const [overdue, fromCycles] = await Promise.all([overdueFigures(ctx), cycleFigures(ctx, now)]);
    await models.NeedsMe.updateOne(
      { _id: NEEDS_ME_ID },
      { $set: { asOf: now, overdue, ...fromCycles, tookMs: Date.now() - started } },
      { upsert: true },
    );
  })().finally(() => counting.delete(models));
  counting.set(models, pass);
  return pass;
}

/** Settles when the count running now (if any) ends, whether it succeeded or not. */
export async function needsMeSettled(models: Models): Promise<void> {
  await counting.get(models)?.catch(() => {});
}

/**
 * HR home's "what needs me today". Feedback and failed mail are counted live (small collections);
 * the figures that need a pass come from the stored count (null while the first one runs), which a
 * background pass renews when it is older than NEEDS_ME_MAX_AGE_MS: the page never waits for it.
 */
export async function needsMe(
  ctx: Pick<ServiceContext, 'models' | 'courses'>,
  input: { now: Date; onBackgroundError: (err: unknown) => void },
): Promise<
  { counted: CountedFigures | null; counting: boolean } & Pick<
    NeedsMe,
    'openFeedback' | 'failedMail' | 'days'
  >
> {
  const { models } = ctx;
  const [stored, openFeedback, failedMail] = await Promise.all([
    models.NeedsMe.findById(NEEDS_ME_ID).lean<NeedsMeDoc>(),
    models.PolicyFeedback.countDocuments({ status: 'open' } satisfies Partial<PolicyFeedbackDoc>),
    models.MailFailure.countDocuments({ failedAt: { $gte: addDays(input.now, -MAIL_FAILURES_WITHIN_DAYS) } }),
  ]);
  const age = stored ? input.now.getTime() - new Date(stored.asOf).getTime() : Number.POSITIVE_INFINITY;
  if (age > NEEDS_ME_MAX_AGE_MS || age < 0) recountNeedsMe(ctx, input.now).catch(input.onBackgroundError);
  return {
    counted: stored ? (stored as unknown as CountedFigures) : null,
    counting: counting.has(models),
    openFeedback,
    failedMail,
    days: { expiring: EXPIRING_WITHIN_DAYS, failedMail: MAIL_FAILURES_WITHIN_DAYS },
  };
}
