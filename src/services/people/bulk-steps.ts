import { driverCollection } from '../../db/driver-collection.js';
import { insertManyOnce } from '../../db/insert-once.js';
import { assignmentKey, reminderKey } from '../../db/keys.js';
import type { AssignmentRuleDoc, ReminderDoc } from '../../db/models/hr.js';
import type { Models } from '../../db/models/index.js';
import { LOOKUP_CONCURRENCY } from '../../db/repositories/by-id.js';
import { usersByIds } from '../../db/repositories/users.js';
import { dayKey } from '../../domain/dates.js';
import { DomainError } from '../../domain/errors.js';
import { type BulkParams, reminderKindFor } from '../../domain/people/bulk.js';
import { inPool } from '../../domain/pool.js';
import { mailOrganisation } from '../../mail/templates.js';
import { type AssignPerson, assignPeople, extendDueDate } from '../assignments/assignments.js';
import type { ServiceContext } from '../context.js';
import { type PendingReminder, PROJECTION, reminderMail, type SweepAssignment } from '../jobs/sweep/plan.js';
import { currentProfile } from '../organisation/profile.js';

/**
 * One step of a bulk action: a slice of the job's people, acted on and audited once per person
 * acted on. Each step is idempotent (insert-once assignments and reminder keys, extensions that
 * refuse a date not later than the current one), so a step run twice changes nothing more.
 */
export interface StepResult {
  changed: number;
  skipped: number;
}

export interface StepContext {
  ctx: ServiceContext;
  jobId: string;
  actorId: string;
  params: BulkParams;
  now: Date;
}

export type BulkStep = (userIds: readonly string[]) => Promise<StepResult>;

/** Reads assignments by `_id`, a few at a time (FerretDB only indexes `_id`). */
async function assignmentsById(models: Models, keys: readonly string[]): Promise<SweepAssignment[]> {
  const found: SweepAssignment[] = [];
  await inPool(keys, LOOKUP_CONCURRENCY, async (_id) => {
    const a = await driverCollection(models.Assignment).findOne<SweepAssignment>(
      { _id },
      { projection: PROJECTION },
    );
    if (a) found.push(a);
  });
  return found;
}

const ASSIGN_FIELDS = ['name', 'email', 'department', 'managerId', 'region', 'active', 'hireDate'] as const;

/**
 * Assign: the app's own insert-once assignment of the course (source "individual"), its `ruleId`
 * the bulk job's id (the job keeps who asked, when and for whom; no rule is stored, so nothing
 * catches people later). People who already have the course, or have left, are skipped.
 */
export async function assignStep(s: StepContext): Promise<BulkStep> {
  const courseId = s.params.courseId!;
  const rule: AssignmentRuleDoc = {
    _id: s.jobId,
    courseId,
    target: { kind: 'individuals', userIds: [] },
    due: { kind: 'fixed', date: s.params.dueAt! },
    newHireWithinDays: null,
    active: false,
    createdAt: s.now,
    createdBy: s.actorId,
  };
  return async (userIds) => {
    const [people, existing] = await Promise.all([
      usersByIds(s.ctx.models, userIds, ASSIGN_FIELDS),
      assignmentsById(
        s.ctx.models,
        userIds.map((id) => assignmentKey(id, courseId)),
      ),
    ]);
    const has = new Set(existing.filter((a) => a.active).map((a) => a.userId));
    const fresh = [...people.values()].filter(
      (p) => p.active && !has.has(p._id),
    ) as unknown as AssignPerson[];
    await assignPeople(s.ctx, { rule, people: fresh, source: 'individual', now: s.now });
    await Promise.all(
      fresh.map((p) =>
        s.ctx.audit.append(
          {
            actorId: s.actorId,
            action: 'assignment.assigned',
            targetType: 'assignment',
            targetId: assignmentKey(p._id, courseId),
            subjectId: p._id,
            details: { courseId, dueAt: s.params.dueAt, bulkJobId: s.jobId },
          },
          s.now,
        ),
      ),
    );
    return { changed: fresh.length, skipped: userIds.length - fresh.length };
  };
}

/** The reminder documents "remind now" claims for these assignments: today's key per course and kind. */
function pendingReminders(assignments: readonly SweepAssignment[], now: Date): PendingReminder[] {
  const day = dayKey(now);
  return assignments.flatMap((a) => {
    const kind = a.active ? reminderKindFor(a.state, a.dueAt, now) : null;
    if (!kind) return [];
    const plan = { kind, day, toManager: false };
    const doc: ReminderDoc = {
      _id: reminderKey(a.userId, a.courseId, a.cycleNo, plan),
      userId: a.userId,
      courseId: a.courseId,
      cycleNo: a.cycleNo,
      kind,
      day,
      createdAt: now,
    };
    return [{ doc, plan, a, dueAt: a.dueAt, requirement: a.requirement ?? 'full' }];
  });
}

/**
 * Remind now: each open assignment (of the course chosen, or every course) gets the reminder its
 * state calls for, claimed by the sweep's own key for today (person, course, cycle, kind, day), so
 * neither a second click nor today's sweep sends it twice; the messages go through the outbox.
 * Only reminders with someone to mail are claimed, counted and audited.
 */
export async function remindStep(s: StepContext): Promise<BulkStep> {
  const org = mailOrganisation(await currentProfile(s.ctx));
  const site = { courses: s.ctx.courses, baseUrl: s.ctx.baseUrl, org };
  const courseIds = s.params.courseId ? [s.params.courseId] : [...s.ctx.courses.keys()];
  return async (userIds) => {
    const keys = userIds.flatMap((id) => courseIds.map((c) => assignmentKey(id, c)));
    const pending = pendingReminders(await assignmentsById(s.ctx.models, keys), s.now);
    // The message first: someone nobody can mail (left, say) is neither claimed, counted nor audited.
    const people = await usersByIds(s.ctx.models, new Set(pending.map((p) => p.a.userId)), [
      'name',
      'email',
      'active',
    ] as const);
    const lookup = { get: (id: string | null | undefined) => (id ? (people.get(id) ?? null) : null) };
    const mailable = pending.flatMap((p) => {
      const mail = reminderMail(p, lookup, site);
      return mail ? [{ p, mail }] : [];
    });
    const claimed = await insertManyOnce(
      driverCollection(s.ctx.models.Reminder),
      mailable.map((m) => m.p.doc),
    );
    const mine = mailable.filter((_, i) => claimed.has(i));
    await s.ctx.mailer.sendMany(
      mine.map((m) => m.mail),
      s.now,
    );
    const byPerson = new Map<string, PendingReminder[]>();
    for (const { p } of mine) byPerson.set(p.a.userId, [...(byPerson.get(p.a.userId) ?? []), p]);
    await Promise.all(
      [...byPerson].map(([userId, sent]) =>
        s.ctx.audit.append(
          {
            actorId: s.actorId,
            action: 'reminder.sent',
            targetType: 'user',
            targetId: userId,
            subjectId: userId,
            details: {
              reminders: sent.map((p) => ({ courseId: p.a.courseId, kind: p.plan.kind, day: p.plan.day })),
              bulkJobId: s.jobId,
            },
          },
          s.now,
        ),
      ),
    );
    return { changed: byPerson.size, skipped: userIds.length - byPerson.size };
  };
}

/** Extend: the one extension rule (`extendDueDate`, audited per person); a refusal skips the person. */
export async function extendStep(s: StepContext): Promise<BulkStep> {
  const { courseId, dueAt, reason } = s.params;
  return async (userIds) => {
    let changed = 0;
    await inPool(userIds, 4, async (userId) => {
      try {
        await extendDueDate(s.ctx, {
          actorId: s.actorId,
          userId,
          courseId: courseId!,
          dueAt: dueAt!,
          reason,
          now: s.now,
        });
        changed += 1;
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
      }
    });
    return { changed, skipped: userIds.length - changed };
  };
}
