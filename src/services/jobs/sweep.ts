import type { mongo } from 'mongoose';
import { driverCollection } from '../../db/driver-collection.js';
import { reminderKey } from '../../db/keys.js';
import type { CourseSettingsDoc, ReminderDoc } from '../../db/models/hr.js';
import type { Models } from '../../db/models/index.js';
import type { AssignmentDoc, CycleDoc } from '../../db/models/training.js';
import type { UserDoc } from '../../db/models/user.js';
import { readAhead } from '../../db/read-ahead.js';
import { LOOKUP_CONCURRENCY } from '../../db/repositories/by-id.js';
import type { Course } from '../../domain/course.js';
import { hasPersonCopy } from '../../domain/person-copy.js';
import { inPool } from '../../domain/pool.js';
import { cycleState } from '../../domain/recertification.js';
import { type PlannedReminder, planReminders } from '../../domain/reminders.js';
import { SummaryTally, type TalliedAssignment } from '../../domain/reporting.js';
import { reminderMessage } from '../../mail/templates.js';
import type { Mailer, OutgoingMail } from '../../mail/transport.js';
import { insertManyOnce } from '../assignments/assignments.js';
import { loadAllSettings, policyOf } from '../assignments/course-settings.js';
import { newCycle } from '../assignments/enrollment.js';
import type { AuditLog } from '../audit/log.js';
import { type ListName, namesIn, unnamedPeople } from '../reporting/lists.js';
import { SUMMARY_FIELDS, storedLists, writeSummaries } from '../reporting/summaries.js';

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
  /** People looked up by `_id` for the reminders and for newcomers to the action lists. */
  peopleLookedUp: number;
  /** Where the time went: the pass over the assignments, the writes (with the lookups), the summaries. */
  passMs: number;
  writeMs: number;
  summaryMs: number;
  /** The hour this sweep anchored the audit chain for (null: already anchored this hour). */
  auditAnchor: string | null;
  ms: number;
}

const BATCH = 1000;
const BULK_UPDATES = 50;

const PROJECTION = {
  ...SUMMARY_FIELDS,
  active: 1,
  assignedAt: 1,
  completedAt: 1,
  expiresAt: 1,
} as const;

type SweepAssignment = Pick<
  AssignmentDoc,
  | '_id'
  | 'userId'
  | 'courseId'
  | 'name'
  | 'email'
  | 'department'
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

type Person = Pick<UserDoc, '_id' | 'email' | 'name' | 'active'>;
const PERSON_FIELDS = { email: 1, name: 1, active: 1 } as const;

/**
 * People read during one sweep: each at most once, whichever part needs them first (a batch of
 * reminders, the action lists), even when both ask at the same time.
 */
class PeopleCache {
  private readonly found = new Map<string, Person | null>();
  private readonly inFlight = new Map<string, Promise<void>>();
  lookups = 0;

  constructor(private readonly models: Models) {}

  async load(ids: Iterable<string>): Promise<void> {
    const wanted = [...new Set(ids)];
    const fresh = wanted.filter((id) => !this.found.has(id) && !this.inFlight.has(id));
    const lookup = inPool(fresh, LOOKUP_CONCURRENCY, async (id) => {
      // The driver directly: thousands of reads by `_id`, none needing mongoose's casting.
      const person = await driverCollection(this.models.User).findOne<Person>(
        { _id: id },
        { projection: PERSON_FIELDS },
      );
      this.found.set(id, person);
    });
    for (const id of fresh) this.inFlight.set(id, lookup);
    this.lookups += fresh.length;
    await Promise.all([lookup, ...wanted.map((id) => this.inFlight.get(id))]);
    for (const id of fresh) this.inFlight.delete(id);
  }

  get(id: string | null | undefined): Person | null {
    return id ? (this.found.get(id) ?? null) : null;
  }

  names(): Map<string, ListName> {
    const out = new Map<string, ListName>();
    for (const [id, p] of this.found) if (p) out.set(id, { name: p.name, email: p.email });
    return out;
  }
}

/**
 * One pass of the refresher job at `now`. Streams the assignments once (never loads them all),
 * and for each: recomputes the summary state, opens the next cycle when a recertification window
 * opens (or HR asked everyone to renew), plans the reminders that are due, and counts it for the
 * report summary with the state it will have. Each batch's plan is written while the next batches
 * are read: cycles, states, reminders (each exactly once: its unique key is inserted before the
 * send, and a duplicate key means another sweep owns it); then the mail, and the summaries. Two
 * sweeps at once, a crash and restart, or a repeated run never send a reminder twice. Slow,
 * slow-moving work (clause rollup, new-hire catch-up, session clean-up, weekly digest) is the
 * nightly job's (services/jobs/nightly.ts). The first sweep of each UTC hour also writes the hour's
 * signed audit anchor (services/audit/log.ts).
 */
export async function runSweep(
  deps: SweepDeps,
  now: Date,
  { batchSize = BATCH }: { batchSize?: number } = {},
): Promise<SweepReport> {
  const started = Date.now();
  const { models } = deps;
  const report: SweepReport = {
    assignments: 0,
    stateChanges: 0,
    cyclesOpened: 0,
    remindersSent: 0,
    remindersAlreadySent: 0,
    peopleLookedUp: 0,
    passMs: 0,
    writeMs: 0,
    summaryMs: 0,
    auditAnchor: null,
    ms: 0,
  };
  // First, so the hour gets its signed anchor even if the pass below fails.
  const anchor = await deps.audit.anchor(now);
  report.auditAnchor = anchor?.created ? anchor.hour : null;
  const settings = await loadAllSettings(models, deps.courses, now);
  const tally = new SummaryTally(deps.courses.keys());

  // The driver's own cursor (no per-document mongoose work), reading the next batch ahead. Each
  // batch's writes run while the cursor reads on: with the `_id` index fix, FerretDB takes writes
  // during a scan without stalling (measured: 2,000 updates in 1 s during a 30,000-document scan).
  const people = new PeopleCache(models);
  const writer = new BatchWriter(deps, report, people);
  const cursor = driverCollection(models.Assignment).find<SweepAssignment>(
    {},
    { projection: PROJECTION, batchSize },
  );
  try {
    for await (const batch of readAhead(cursor)) {
      writer.throwIfFailed();
      const work: PlannedWork = { updates: [], cycles: [], reminders: [] };
      for (const a of batch) {
        const after = planAssignment(deps, settings, a, now, report, work);
        if (a.active) tally.add(after);
      }
      writer.add(work);
    }
  } catch (err) {
    // No writes left running behind a failed sweep (the next one could overlap them).
    await writer.finish().catch(() => {});
    throw err;
  }
  report.passMs = Date.now() - started;

  // The lists reuse the names they already show; newcomers are looked up while the writes finish.
  const lists = storedLists(models, deps.courses).then(async (stored) => {
    await people.load(unnamedPeople(tally.pending(), namesIn(stored)));
    return stored;
  });
  const [stored, mails] = await Promise.all([lists, writer.finish()]);
  // Mail goes out once every batch is written, so a message never points at a missing cycle.
  await deps.mailer.sendMany(mails, now);
  report.remindersSent += mails.length;
  report.writeMs = Date.now() - started - report.passMs;

  const names = namesIn(stored);
  for (const [id, n] of people.names()) names.set(id, n);
  const summary = await writeSummaries(models, tally, { now, started, names, stored });
  report.peopleLookedUp = people.lookups + summary.lookedUp;
  report.ms = Date.now() - started;
  report.summaryMs = report.ms - report.passMs - report.writeMs;
  return report;
}

interface PlannedWork {
  updates: mongo.AnyBulkWriteOperation<AssignmentDoc>[];
  cycles: CycleDoc[];
  reminders: PendingReminder[];
}

/**
 * Decides what one assignment needs (state, next cycle, reminders) without writing anything, and
 * returns the assignment as it will be once the plan is written (what the summary counts).
 */
function planAssignment(
  deps: SweepDeps,
  settings: Map<string, CourseSettingsDoc>,
  a: SweepAssignment,
  now: Date,
  report: SweepReport,
  work: PlannedWork,
): TalliedAssignment {
  report.assignments += 1;
  const course = deps.courses.get(a.courseId);
  const s = settings.get(a.courseId);
  // Retired courses and people who left: no state changes, no cycles, no reminders.
  if (!a.active || !course || !s || s.retired) return a;
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
  return { ...a, state: status.state, dueAt: current.dueAt, cycleNo: current.cycleNo };
}

// The writes and lookups below use the driver's collections directly: the documents are built
// here with their final types, and skipping mongoose's casting of tens of thousands of them
// leaves the CPU to FerretDB (the two share this machine's cores).

/**
 * Applies each batch's planned work in order, one batch at a time, while the pass goes on, and
 * collects the messages of the reminders claimed. Within a batch, two chains run side by side: the
 * cycles and states, and the reminders (claimed, their people looked up; reads, so they overlap
 * the state writes instead of waiting for them). After a failure the rest is skipped and the
 * sweep fails; the next sweep redoes what is missing (every write is idempotent).
 */
class BatchWriter {
  private chain: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;
  private readonly mails: OutgoingMail[] = [];

  constructor(
    private readonly deps: SweepDeps,
    private readonly report: SweepReport,
    private readonly people: PeopleCache,
  ) {}

  add(work: PlannedWork): void {
    if (!work.updates.length && !work.cycles.length && !work.reminders.length) return;
    this.chain = this.chain
      .then(async () => {
        if (this.failure) return;
        const [, mails] = await Promise.all([
          writeCyclesAndStates(this.deps, work, this.report),
          claimReminders(this.deps, work.reminders, this.report, this.people),
        ]);
        this.mails.push(...mails);
      })
      // Kept, not thrown: the chain must never hold an unhandled rejection while the pass reads.
      .catch((error: unknown) => {
        this.failure ??= { error };
      });
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  async finish(): Promise<OutgoingMail[]> {
    await this.chain;
    this.throwIfFailed();
    return this.mails;
  }
}

async function writeCyclesAndStates(deps: SweepDeps, work: PlannedWork, report: SweepReport): Promise<void> {
  // The cycle before the summary that points at it: after a crash in between, the next sweep's
  // insert finds the cycle already there and still writes the summary.
  for (let i = 0; i < work.cycles.length; i += BATCH) {
    const batch = work.cycles.slice(i, i + BATCH);
    report.cyclesOpened += (await insertManyOnce(driverCollection(deps.models.Cycle), batch)).size;
  }
  // Small bulk writes, one at a time: FerretDB v1.24 stalls on a bulk update of 100 or more
  // operations, and on two bulk updates at once (both measured).
  for (let i = 0; i < work.updates.length; i += BULK_UPDATES) {
    await driverCollection(deps.models.Assignment).bulkWrite(work.updates.slice(i, i + BULK_UPDATES), {
      ordered: false,
    });
  }
}

/**
 * Claims the reminders in batches by inserting their keys, and returns the messages of the ones
 * this sweep claimed (a duplicate key means another sweep owns it): each person looked up once
 * (by `_id`, a few at a time), the messages handed to the mailer together (the outbox stores them
 * with a few inserts, not one per message). A send that fails after the claim is not retried (at
 * most once beats twice for a reminder); the next reminder in the cadence follows.
 */
async function claimReminders(
  deps: SweepDeps,
  pending: PendingReminder[],
  report: SweepReport,
  people: PeopleCache,
): Promise<OutgoingMail[]> {
  const mails: OutgoingMail[] = [];
  for (let i = 0; i < pending.length; i += BATCH) {
    const batch = pending.slice(i, i + BATCH);
    const claimed = await insertManyOnce(
      driverCollection(deps.models.Reminder),
      batch.map((p) => p.doc),
    );
    report.remindersAlreadySent += batch.length - claimed.size;
    const mine = batch.filter((_, k) => claimed.has(k));
    await people.load(mine.flatMap(peopleToLookUp));
    for (const p of mine) {
      const mail = reminderMail(deps, p, people);
      if (mail) mails.push(mail);
    }
  }
  return mails;
}

/**
 * Whom a reminder needs read: the manager it copies, and the learner only when the assignment
 * predates the copied name and e-mail. (A learner's assignment is active, or no reminder is planned.)
 */
function peopleToLookUp(p: PendingReminder): string[] {
  const ids = hasPersonCopy(p.a) ? [] : [p.a.userId];
  if (p.plan.toManager && p.a.managerId) ids.push(p.a.managerId);
  return ids;
}

function learnerOf(p: PendingReminder, people: PeopleCache): Person | null {
  const a = p.a;
  return hasPersonCopy(a)
    ? { _id: a.userId, name: a.name, email: a.email, active: a.active }
    : people.get(a.userId);
}

/** The message for one claimed reminder, or null when nobody active can receive it. */
function reminderMail(deps: SweepDeps, p: PendingReminder, people: PeopleCache): OutgoingMail | null {
  const learner = learnerOf(p, people);
  if (!learner?.active) return null;
  const manager = p.plan.toManager ? people.get(p.a.managerId) : null;
  const managerOk = manager?.active ? manager : null;
  if (p.plan.kind === 'escalation' && !managerOk) return null;
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
  return {
    id: p.doc._id,
    to: [toManager ? managerOk!.email : learner.email],
    cc: managerOk ? [toManager ? learner.email : managerOk.email] : [],
    ...body,
    kind: p.plan.kind,
    reminderId: p.doc._id,
  };
}
