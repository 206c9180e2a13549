import type { AnyBulkWriteOperation } from 'mongoose';
import type { CourseSettingsDoc, ReminderDoc } from '../db/models/hr.js';
import type { Models } from '../db/models/index.js';
import type { AssignmentDoc, CycleDoc } from '../db/models/training.js';
import type { UserDoc } from '../db/models/user.js';
import { sessionsRepository } from '../db/session-store.js';
import type { Course } from '../domain/course.js';
import { dayKey, utcDay } from '../domain/dates.js';
import { type CycleState, cycleState } from '../domain/recertification.js';
import { digestWeek, type PlannedReminder, planReminders, reminderKey } from '../domain/reminders.js';
import { digestMessage, reminderMessage } from '../mail/templates.js';
import type { Mailer } from '../mail/transport.js';
import { type AssignPerson, activeRules, applyRulesTo, insertManyOnce } from './assignments.js';
import type { AuditLog } from './audit.js';
import { loadAllSettings, policyOf } from './course-settings.js';
import { newCycle } from './enrollment.js';
import { recomputeSummaries } from './reports.js';

export interface SweepDeps {
  models: Models;
  courses: Map<string, Course>;
  mailer: Mailer;
  audit: AuditLog;
  baseUrl: string;
}

export interface SweepReport {
  assignments: number;
  stateChanges: number;
  cyclesOpened: number;
  remindersSent: number;
  remindersAlreadySent: number;
  assignedByRules: number;
  sessionsDeleted: number;
  digestsSent: number;
  ms: number;
}

const BATCH = 1000;
const BULK_UPDATES = 50;
const SEND_CONCURRENCY = 8;

const PROJECTION = {
  userId: 1,
  courseId: 1,
  managerId: 1,
  active: 1,
  cycleNo: 1,
  dueAt: 1,
  state: 1,
  assignedAt: 1,
  completedAt: 1,
  expiresAt: 1,
} as const;

type SweepAssignment = Pick<
  AssignmentDoc,
  | '_id'
  | 'userId'
  | 'courseId'
  | 'managerId'
  | 'active'
  | 'cycleNo'
  | 'dueAt'
  | 'state'
  | 'assignedAt'
  | 'completedAt'
  | 'expiresAt'
>;

interface PendingReminder {
  doc: ReminderDoc;
  plan: PlannedReminder;
  a: SweepAssignment;
  dueAt: Date | null;
  requirement: CycleDoc['requirement'];
}

/**
 * One pass of the refresher job at `now`. Streams the assignments (never loads them all), and per
 * batch: recomputes each summary state, opens the next cycle when a recertification window opens
 * (or HR asked everyone to renew), and sends the reminders that are due, each exactly once: its
 * unique key is inserted before the send, and a duplicate key means another sweep owns it.
 * Two sweeps at once, a crash and restart, or a repeated run never send a reminder twice.
 */
export async function runSweep(deps: SweepDeps, now: Date): Promise<SweepReport> {
  const started = Date.now();
  const { models } = deps;
  const report: SweepReport = {
    assignments: 0,
    stateChanges: 0,
    cyclesOpened: 0,
    remindersSent: 0,
    remindersAlreadySent: 0,
    assignedByRules: 0,
    sessionsDeleted: 0,
    digestsSent: 0,
    ms: 0,
  };
  const settings = await loadAllSettings(models, deps.courses, now);
  const counts = new Map<string, Record<string, number>>();
  const known = new Set<string>();

  // FerretDB (SQLite) blocks writes while a read cursor is open, so the pass is split: the cursor
  // only reads and plans (in memory, just the changes), and the writes run after it is closed.
  const work: PlannedWork = { updates: [], cycles: [], reminders: [] };
  const cursor = models.Assignment.find({}, PROJECTION).lean<SweepAssignment>().cursor({ batchSize: BATCH });
  for await (const a of cursor) {
    known.add(a._id);
    planAssignment(deps, settings, a as SweepAssignment, now, report, counts, work);
  }
  await applyWork(deps, work, now, report);

  report.assignedByRules = await catchNewPeople(deps, known, now);
  report.sessionsDeleted = await sessionsRepository(models).deleteExpired(now);
  report.digestsSent = await sendWeeklyDigest(deps, settings, counts, now);
  await recomputeSummaries(models, deps.courses, now);
  report.ms = Date.now() - started;
  return report;
}

interface PlannedWork {
  updates: AnyBulkWriteOperation<AssignmentDoc>[];
  cycles: CycleDoc[];
  reminders: PendingReminder[];
}

/** Decides what one assignment needs (state, next cycle, reminders) without writing anything. */
function planAssignment(
  deps: SweepDeps,
  settings: Map<string, CourseSettingsDoc>,
  a: SweepAssignment,
  now: Date,
  report: SweepReport,
  counts: Map<string, Record<string, number>>,
  work: PlannedWork,
): void {
  report.assignments += 1;
  const course = deps.courses.get(a.courseId);
  const s = settings.get(a.courseId);
  // Retired courses and people who left: no state changes, no cycles, no reminders.
  if (!a.active || !course || !s || s.retired) return;
  const policy = policyOf(s);
  const facts = {
    n: a.cycleNo,
    dueAt: a.dueAt,
    // The summary carries no start time; the learner side marks "in-progress" when work begins.
    startedAt: a.state === 'in-progress' ? a.assignedAt : null,
    completedAt: a.completedAt,
    expiresAt: a.expiresAt,
  };
  let status = cycleState(policy, [facts], now);
  let current = { cycleNo: a.cycleNo, dueAt: a.dueAt, assignedAt: a.assignedAt };
  let requirement: CycleDoc['requirement'] = 'full';

  const campaign = s.campaign;
  const renewForCampaign =
    campaign !== null &&
    !!a.completedAt &&
    a.completedAt < campaign.createdAt &&
    a.assignedAt < campaign.createdAt;
  if (renewForCampaign || status.opensNextCycle) {
    const n = a.cycleNo + 1;
    const dueAt = renewForCampaign ? campaign!.dueAt : status.dueAt;
    requirement = renewForCampaign ? campaign!.requirement : 'full';
    work.cycles.push(newCycle(a.userId, course, n, now, dueAt, requirement));
    const next = { n, dueAt, startedAt: null, completedAt: null, expiresAt: null };
    status = cycleState(policy, [facts, next], now);
    current = { cycleNo: n, dueAt, assignedAt: now };
    work.updates.push({
      updateOne: {
        filter: { _id: a._id },
        update: {
          $set: {
            cycleNo: n,
            dueAt,
            assignedAt: now,
            completedAt: null,
            expiresAt: null,
            state: status.state,
            updatedAt: now,
          },
        },
      },
    });
  } else if (status.state !== a.state) {
    work.updates.push({
      updateOne: { filter: { _id: a._id }, update: { $set: { state: status.state, updatedAt: now } } },
    });
    report.stateChanges += 1;
  }
  tally(counts, a.courseId, status.state);

  for (const plan of planReminders(s.reminders, { state: status.state, ...current }, now)) {
    const id = reminderKey(a.userId, a.courseId, current.cycleNo, plan);
    work.reminders.push({
      doc: {
        _id: id,
        userId: a.userId,
        courseId: a.courseId,
        cycleNo: current.cycleNo,
        kind: plan.kind,
        day: plan.day,
        createdAt: now,
      },
      plan,
      a,
      dueAt: current.dueAt,
      requirement,
    });
  }
}

/** Writes the planned work in batches: cycles, then the summaries that point at them, then reminders. */
async function applyWork(deps: SweepDeps, work: PlannedWork, now: Date, report: SweepReport): Promise<void> {
  // The cycle before the summary that points at it: after a crash in between, the next sweep's
  // insert finds the cycle already there and still writes the summary.
  for (let i = 0; i < work.cycles.length; i += BATCH) {
    report.cyclesOpened += (await insertManyOnce(deps.models.Cycle, work.cycles.slice(i, i + BATCH))).size;
  }
  // Small bulk writes: FerretDB v1.24 stalls on a bulk update of 100 or more operations (measured).
  for (let i = 0; i < work.updates.length; i += BULK_UPDATES) {
    await deps.models.Assignment.bulkWrite(work.updates.slice(i, i + BULK_UPDATES), { ordered: false });
  }
  for (let i = 0; i < work.reminders.length; i += BATCH) {
    await sendReminders(deps, work.reminders.slice(i, i + BATCH), now, report);
  }
}

function tally(counts: Map<string, Record<string, number>>, courseId: string, state: CycleState): void {
  const c = counts.get(courseId) ?? {};
  c[state] = (c[state] ?? 0) + 1;
  counts.set(courseId, c);
}

async function inPool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/**
 * Claims each reminder by inserting its key, then sends only the ones this sweep claimed. A send
 * that fails after the claim is not retried (at most once beats twice for a reminder); it is logged
 * in the reminder's place by the next reminder in the cadence.
 */
async function sendReminders(deps: SweepDeps, pending: PendingReminder[], now: Date, report: SweepReport) {
  if (pending.length === 0) return;
  const claimed = await insertManyOnce(
    deps.models.Reminder,
    pending.map((p) => p.doc),
  );
  report.remindersAlreadySent += pending.length - claimed.size;
  const mine = pending.filter((_, i) => claimed.has(i));
  const people = new Map<string, Pick<UserDoc, '_id' | 'email' | 'name' | 'active'> | null>();
  const person = async (id: string) => {
    if (!people.has(id))
      people.set(id, await deps.models.User.findById(id, { email: 1, name: 1, active: 1 }).lean());
    return people.get(id) ?? null;
  };
  await inPool(mine, SEND_CONCURRENCY, async (p) => {
    const learner = await person(p.a.userId);
    if (!learner?.active) return;
    const manager = p.plan.toManager && p.a.managerId ? await person(p.a.managerId) : null;
    const managerOk = manager?.active ? manager : null;
    if (p.plan.kind === 'escalation' && !managerOk) return;
    const course = deps.courses.get(p.a.courseId)!;
    const body = reminderMessage({
      kind: p.plan.kind,
      personName: learner.name,
      courseTitle: course.title,
      dueAt: p.dueAt,
      cycleNo: p.doc.cycleNo,
      requirement: p.requirement,
      link: `${deps.baseUrl}/learn/${course.id}`,
      managerName: managerOk?.name ?? null,
    });
    const toManager = p.plan.kind === 'escalation';
    await deps.mailer.send(
      {
        id: p.doc._id,
        to: [toManager ? managerOk!.email : learner.email],
        cc: managerOk ? [toManager ? learner.email : managerOk.email] : [],
        ...body,
        kind: p.plan.kind,
        reminderId: p.doc._id,
      },
      now,
    );
    report.remindersSent += 1;
  });
}

/**
 * Once a day, rules catch people who have no assignment yet (added later, moved department, or
 * hired recently). HR forms and imports apply rules at once; this pass is the safety net and the
 * clock for "new hires within N days". The day's marker insert makes one sweep per day do it.
 */
async function catchNewPeople(deps: SweepDeps, known: Set<string>, now: Date): Promise<number> {
  const rules = (await activeRules(deps.models)).filter((r) => deps.courses.has(r.courseId));
  if (rules.length === 0) return 0;
  const day = dayKey(utcDay(now));
  const marker = {
    _id: `system:rules:${day}`,
    userId: 'system',
    courseId: '-',
    cycleNo: 0,
    kind: 'rules',
    day,
    createdAt: now,
  };
  if ((await insertManyOnce(deps.models.Reminder, [marker])).size === 0) return 0;
  // Collect first, write after the cursor is closed (FerretDB blocks writes under an open cursor).
  const candidates: AssignPerson[] = [];
  const cursor = deps.models.User.find(
    { active: true },
    { department: 1, active: 1, hireDate: 1, managerId: 1 },
  )
    .lean()
    .cursor({ batchSize: BATCH });
  for await (const p of cursor) {
    const person = p as unknown as AssignPerson;
    if (rules.some((r) => !known.has(`${person._id}:${r.courseId}`))) candidates.push(person);
  }
  let assigned = 0;
  for (let i = 0; i < candidates.length; i += BATCH) {
    assigned += await applyRulesTo(deps, rules, candidates.slice(i, i + BATCH), now, (id) => known.has(id));
  }
  return assigned;
}

/** The weekly HR digest: one per HR person per week (Monday-based, UTC), claimed like a reminder. */
async function sendWeeklyDigest(
  deps: SweepDeps,
  settings: Map<string, CourseSettingsDoc>,
  counts: Map<string, Record<string, number>>,
  now: Date,
): Promise<number> {
  const week = digestWeek(now);
  const marker = {
    _id: `system:digest:${week}`,
    userId: 'system',
    courseId: '-',
    cycleNo: 0,
    kind: 'digest',
    day: week,
    createdAt: now,
  };
  if ((await insertManyOnce(deps.models.Reminder, [marker])).size === 0) return 0;
  const lines = [...deps.courses.values()]
    .filter((c) => !settings.get(c.id)?.retired)
    .map((c) => ({ title: c.title, counts: counts.get(c.id) ?? {} }));
  const body = digestMessage(week, lines, `${deps.baseUrl}/hr/dashboard`);
  const hr = await deps.models.User.find(
    { role: { $in: ['hr', 'admin'] }, active: true },
    { email: 1 },
  ).lean();
  let sent = 0;
  for (const person of hr) {
    const id = `${person._id}:all:0:digest:${week}`;
    const claimed = await insertManyOnce(deps.models.Reminder, [
      { _id: id, userId: person._id, courseId: 'all', cycleNo: 0, kind: 'digest', day: week, createdAt: now },
    ]);
    if (claimed.size === 0) continue;
    await deps.mailer.send({ id, to: [person.email], cc: [], ...body, kind: 'digest', reminderId: id }, now);
    sent += 1;
  }
  return sent;
}
