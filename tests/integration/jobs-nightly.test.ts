import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { assignmentKey, reminderKey } from '../../src/db/keys.js';
import type { ReportListChunkDoc, ReportSummaryDoc } from '../../src/db/models/reporting.js';
import type { UserDoc } from '../../src/db/models/user.js';
import { usersRepository } from '../../src/db/repositories/users.js';
import { addDays } from '../../src/domain/dates.js';
import { createRule } from '../../src/services/assignments/assignments.js';
import { auditChainEnd } from '../../src/services/audit/log.js';
import type { ServiceContext } from '../../src/services/context.js';
import { runNightly } from '../../src/services/jobs/nightly.js';
import { runSweep } from '../../src/services/jobs/sweep/index.js';
import { trendSettled } from '../../src/services/reporting/trend.js';
import { buildAttemptResult, buildCycle, buildPerson, COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type TestApp } from '../helpers/app.js';
import { newAuditKeyPair } from '../helpers/audit-key.js';
import { cliContext } from '../helpers/cli.js';
import { commandsDuring as dbCommandsDuring, monitoredUri } from '../helpers/db-commands.js';
import { jobContext } from '../helpers/jobs.js';

/**
 * The 15-minute sweep and the nightly job at scale: the sweep batches its reminders and writes
 * the report summary from its own pass; the nightly job does the slow work once per UTC day.
 */

const EXTRA = 300;
let t: TestApp;
let deps: ServiceContext;
let hrId: string;
let managerId: string;

/** The database commands (e.g. "insert outbox") sent while `fn` runs, and what it returned. */
async function commandsDuring<T>(fn: () => Promise<T>): Promise<{ result: T; commands: string[] }> {
  // A dashboard's background trend count started by an earlier test reads users too: not this job's.
  await trendSettled(t.app.db.models);
  let result: T | undefined;
  const commands = await dbCommandsDuring(t.app, async () => {
    result = await fn();
  });
  return { result: result as T, commands };
}

const count = (commands: string[], name: string) => commands.filter((c) => c === name).length;
const summary = () => t.app.db.models.ReportSummary.findById(COURSE_ID).lean<ReportSummaryDoc>();

async function listRows(state: string) {
  const chunks = await t.app.db.models.ReportListChunk.find({ courseId: COURSE_ID, state })
    .lean<ReportListChunkDoc[]>()
    .exec();
  return chunks.sort((a, b) => a.chunk - b.chunk).flatMap((c) => c.rows);
}

beforeAll(async () => {
  t = await createTestApp({
    label: 'jobs-nightly',
    mongoUri: monitoredUri(inject('mongoUri')),
    config: { AUDIT_SIGNING_KEY: newAuditKeyPair().privatePem },
  });
  t.clock.set('2026-03-02T09:00:00Z');
  deps = jobContext(t);
  const users = usersRepository(t.app.db.models);
  hrId = (await users.findByEmail('hr@demo.test'))!._id;
  managerId = (await users.findByEmail('manager@demo.test'))!._id;
  // A field team written in one go (as an HR system sync would), all reporting to one manager.
  const now = t.clock.now();
  const team: UserDoc[] = Array.from({ length: EXTRA }, (_, i) =>
    buildPerson({
      email: `field${i}@demo.test`,
      name: `Field Person ${String(i).padStart(3, '0')}`,
      department: 'Field',
      managerId,
      hireDate: new Date('2020-01-01'),
      createdAt: now,
      updatedAt: now,
    }),
  );
  await t.app.db.models.User.insertMany(team, { ordered: false });
  await createRule(deps, {
    courseId: COURSE_ID,
    target: { kind: 'everyone' },
    due: { kind: 'fixed', date: new Date('2026-03-20T00:00:00Z') },
    newHireWithinDays: null,
    actorId: hrId,
    now,
  });
});
afterAll(async () => t.close());

describe('the refresher sweep', () => {
  it('sends N reminders with a few outbox inserts, naming people from their assignments', async () => {
    const users = usersRepository(t.app.db.models);
    // An assignment written before assignments carried the name and e-mail: that person is read.
    const legacy = (await users.findByEmail('field8@demo.test'))!;
    await t.app.db.models.Assignment.updateOne(
      { _id: assignmentKey(legacy._id, COURSE_ID) },
      { $set: { name: '', email: '' } },
    );
    const { result, commands } = await commandsDuring(() =>
      runSweep(deps, { now: new Date('2026-03-02T10:00:00Z') }),
    );
    expect(result.remindersSent).toBeGreaterThanOrEqual(EXTRA);
    expect(count(commands, 'insert outbox')).toBeLessThanOrEqual(Math.ceil(result.remindersSent / 500));
    expect(count(commands, 'insert reminders')).toBeLessThanOrEqual(Math.ceil(result.remindersSent / 1000));
    // Read by _id: the legacy assignment's person and the managers the lists name; never a scan.
    const assignments = await t.app.db.models.Assignment.find({}, { managerId: 1 }).lean();
    const managers = new Set(assignments.flatMap((a) => (a.managerId ? [a.managerId] : [])));
    expect(result.peopleLookedUp).toBeGreaterThanOrEqual(1);
    expect(result.peopleLookedUp).toBeLessThanOrEqual(1 + managers.size);
    expect(count(commands, 'find users')).toBe(result.peopleLookedUp);
    expect(count(commands, 'find assignments')).toBe(1);
    const mailTo = async (email: string) =>
      t.app.db.models.Outbox.findById(
        reminderKey((await users.findByEmail(email))!._id, COURSE_ID, 1, {
          kind: 'assigned',
          day: '2026-03-02',
        }),
      ).lean();
    expect(await mailTo('field7@demo.test')).toMatchObject({ to: ['field7@demo.test'], kind: 'assigned' });
    expect(await mailTo('field8@demo.test')).toMatchObject({ to: ['field8@demo.test'], kind: 'assigned' });

    // The same sweep again: every reminder is claimed already, nothing is sent or looked up.
    const again = await commandsDuring(() => runSweep(deps, { now: new Date('2026-03-02T10:15:00Z') }));
    expect(again.result).toMatchObject({ remindersSent: 0, peopleLookedUp: 0 });
    expect(count(again.commands, 'insert outbox')).toBe(0);
  });

  it('writes the summary a full recompute would, in the same pass, keeping the clause figures', async () => {
    const { Assignment, ReportSummary } = t.app.db.models;
    // A mix of states: some done, some due later (due soon), the rest overdue after 20 March.
    const field = await Assignment.find({ department: 'Field' }, { _id: 1 }).lean();
    const done = field.filter((_, i) => i % 3 === 0).map((a) => a._id);
    const later = field.filter((_, i) => i % 3 === 1).map((a) => a._id);
    const completedAt = new Date('2026-03-10T12:00:00Z');
    await Assignment.updateMany(
      { _id: { $in: done } },
      { $set: { state: 'completed', completedAt, expiresAt: new Date('2027-03-10T00:00:00Z') } },
    );
    await Assignment.updateMany(
      { _id: { $in: later } },
      { $set: { dueAt: new Date('2026-03-28T00:00:00Z') } },
    );
    const clauseMisses = [{ clauseId: 'SMP-03', wrong: 2, total: 5 }];
    const clausesAsOf = new Date('2026-03-20T02:30:00Z');
    await ReportSummary.updateOne({ _id: COURSE_ID }, { $set: { clauseMisses, clausesAsOf } });

    const at = new Date('2026-03-23T06:00:00Z');
    // Small batches: each batch's state changes and reminders are written while the next are read.
    const { result, commands } = await commandsDuring(() => runSweep(deps, { now: at, batchSize: 64 }));
    expect(result.assignments).toBeGreaterThan(4 * 64);
    expect(result.stateChanges).toBeGreaterThan(100);
    expect(count(commands, 'update assignments')).toBeGreaterThan(1);
    // One pass over the assignments, none over quiz results, example answers or people.
    expect(count(commands, 'find assignments')).toBe(1);
    expect(count(commands, 'find quiz_attempt_results')).toBe(0);
    expect(count(commands, 'find classification_answers')).toBe(0);
    const swept = (await summary())!;
    const sweptLists = { overdue: await listRows('overdue'), dueSoon: await listRows('due-soon') };
    expect(swept.asOf).toEqual(at);
    expect(swept.clauseMisses).toEqual(clauseMisses);
    expect(swept.clausesAsOf).toEqual(clausesAsOf);
    expect(sweptLists.overdue.length).toBeGreaterThan(100);
    expect(sweptLists.dueSoon.length).toBeGreaterThan(50);

    const [full] = await t.app.services.reporting.recomputeSummaries({ now: at, clauses: false });
    expect(full!.total).toBe(swept.total);
    expect(full!.cells).toEqual(swept.cells);
    expect(full!.lists).toEqual(swept.lists);
    expect(await listRows('overdue')).toEqual(sweptLists.overdue);
    expect(await listRows('due-soon')).toEqual(sweptLists.dueSoon);
    expect(full!.clauseMisses).toEqual(clauseMisses);
    // Every state the pass decided is stored: a second sweep finds nothing left to change.
    expect((await runSweep(deps, { now: at })).stateChanges).toBe(0);
  });

  it('creates a missing summary with empty clause figures, which the dashboard shows', async () => {
    await t.app.db.models.ReportSummary.deleteMany({});
    await runSweep(deps, { now: new Date('2026-03-23T06:30:00Z') });
    const created = (await summary())!;
    expect(created.total).toBeGreaterThan(EXTRA);
    expect(created.clauseMisses).toEqual([]);
    expect(created.clausesAsOf).toBeNull();
    const hr = await loginAs(t.app, 'hr@demo.test');
    const page = await hr.get(`/hr/dashboard?course=${COURSE_ID}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Not counted yet: the nightly job counts them.');
  });
});

describe('the nightly job', () => {
  it('rolls up clause misses and catches new people once per UTC day', async () => {
    const { AttemptResult } = t.app.db.models;
    const someone = (await usersRepository(t.app.db.models).findByEmail('field1@demo.test'))!;
    await AttemptResult.create(
      buildAttemptResult(buildCycle(someone, 1), 1, {
        contentVersion: 'v',
        score: 50,
        clauses: { 'SMP-02': { correct: 1, total: 4 } },
        startedAt: t.clock.now(),
        submittedAt: t.clock.now(),
        receivedAt: t.clock.now(),
      }),
    );
    const first = await createUser(t.app, { email: 'joined.monday@demo.test', department: 'Field' });
    const day = new Date('2026-03-23T02:30:00Z');
    const { result, commands } = await commandsDuring(() => runNightly(deps, { now: day }));
    expect(result).toMatchObject({ ran: true, day: '2026-03-23', assignedByRules: 1 });
    expect(result.clauseAnswers).toBe(1);
    // One pass over the people for everything, and one for the leavers (the retention rules).
    expect(count(commands, 'find users')).toBe(2);
    const s = (await summary())!;
    expect(s.clauseMisses).toEqual([{ clauseId: 'SMP-02', wrong: 3, total: 4 }]);
    expect(s.clausesAsOf).toEqual(day);
    expect(
      await t.app.db.models.Assignment.exists({ _id: assignmentKey(first._id, COURSE_ID) }),
    ).not.toBeNull();
    // 23 March 2026 is a Monday: HR and admin get this week's digest, with the sweep's counts.
    expect(result.digestsSent).toBe(2);
    const digest = await t.app.db.models.Outbox.findById(`${hrId}:all:0:digest:2026-03-23`).lean();
    const overdue = s.cells.filter((c) => c.state === 'overdue').reduce((n, c) => n + c.n, 0);
    expect(digest?.text).toContain(`${overdue} overdue`);
    // No sweep ran in this hour: the nightly job signs the hour's anchor, and the digest carries
    // its fingerprint.
    const end = await auditChainEnd(t.app.db.models);
    expect(end.seq).toBeGreaterThan(0);
    expect(result.auditAnchor).toEqual({ hour: '2026-03-23T02', seq: end.seq });
    expect(await t.app.db.models.AuditAnchor.findById('2026-03-23T02').lean()).toMatchObject(end);
    expect(digest?.text).toContain(
      `Audit log: ${end.seq} events, anchored with signing key ${t.app.audit.keyId}. Fingerprint: ${end.seq}:${end.hash.slice(0, 32)}`,
    );

    // Later the same day (a second instance, a manual run): nothing again.
    const second = await createUser(t.app, { email: 'joined.later@demo.test', department: 'Field' });
    const again = await commandsDuring(() => runNightly(deps, { now: new Date('2026-03-23T14:00:00Z') }));
    expect(again.result).toMatchObject({ ran: false, assignedByRules: 0, digestsSent: 0, auditAnchor: null });
    expect(count(again.commands, 'find users')).toBe(0);
    expect(count(again.commands, 'find quiz_attempt_results')).toBe(0);
    expect(await t.app.db.models.Assignment.exists({ _id: assignmentKey(second._id, COURSE_ID) })).toBeNull();

    // The next night catches them; the digest waits for next week.
    const tuesday = await runNightly(deps, { now: addDays(day, 1) });
    expect(tuesday).toMatchObject({ ran: true, assignedByRules: 1, digestsSent: 0 });
    expect(
      await t.app.db.models.Assignment.exists({ _id: assignmentKey(second._id, COURSE_ID) }),
    ).not.toBeNull();
  });

  it('brings renamed people up to date in the stored action lists', async () => {
    const people = t.app.services.people;
    const listed = (await listRows('overdue')).find((r) => r.managerId === managerId)!;
    const managerName = listed.managerName;
    const at = new Date('2026-03-25T06:00:00Z');
    await people.updatePerson({
      userId: listed.userId,
      changes: { name: 'Renamed Person', email: 'renamed@demo.test' },
      actorId: hrId,
      now: at,
    });
    await people.updatePerson({
      userId: managerId,
      changes: { name: 'Renamed Manager' },
      actorId: hrId,
      now: at,
    });
    // A renamed learner shows at the next sweep: their assignment carries the new name. The
    // manager's name in other people's rows is reused from the lists until the nightly pass.
    await runSweep(deps, { now: at });
    const row = () => listRows('overdue').then((rows) => rows.find((r) => r.userId === listed.userId));
    expect(await row()).toMatchObject({
      name: 'Renamed Person',
      email: 'renamed@demo.test',
      managerName,
    });
    const report = await runNightly(deps, { now: new Date('2026-03-26T02:30:00Z') });
    expect(report.listRowsRenamed).toBeGreaterThanOrEqual(1);
    expect(await row()).toMatchObject({ name: 'Renamed Person', managerName: 'Renamed Manager' });
  });

  it('prunes used SSO authorization codes older than a day, in one delete command', async () => {
    const { SsoUsedCode } = t.app.db.models;
    const now = new Date('2026-03-28T03:00:00Z');
    await SsoUsedCode.insertMany([
      { _id: 'code-old', usedAt: new Date('2026-03-26T02:59:00Z') },
      { _id: 'code-just-over-a-day', usedAt: new Date('2026-03-27T02:59:59Z') },
      { _id: 'code-recent', usedAt: new Date('2026-03-27T03:00:01Z') },
    ]);
    const { result, commands } = await commandsDuring(() => t.app.services.jobs.runNightly({ now }));
    expect(result.ran).toBe(true);
    expect(result.ssoCodesPruned).toBe(2);
    expect(count(commands, 'delete sso_used_codes')).toBe(1);
    const left = await SsoUsedCode.find({}, { _id: 1 }).lean();
    expect(left.map((c) => c._id)).toEqual(['code-recent']);
  });

  it('jobs:run runs either job or both, and rejects an unknown job', async () => {
    const { command } = await import('../../src/cli/commands/jobs-run.js');
    const { ctx, lines } = cliContext(t);
    const run = async (flags: Record<string, string>) => {
      lines.length = 0;
      expect(await command.run(ctx, { positionals: [], flags })).toBe(0);
      return lines.join('\n');
    };
    const sweepOnly = await run({ now: '2026-03-27T06:00:00Z', job: 'sweep' });
    expect(sweepOnly).toContain('Sweep at 2026-03-27T06:00:00.000Z');
    expect(sweepOnly).not.toContain('Nightly job');
    const nightly = await run({ now: '2026-03-27T06:00:00Z', job: 'nightly' });
    expect(nightly).toContain('Nightly job at 2026-03-27T06:00:00.000Z');
    expect(nightly).not.toContain('Sweep at');
    const both = await run({ now: '2026-03-27T07:00:00Z' });
    expect(both).toMatch(/Sweep at[\s\S]*Nightly job at[\s\S]*already done for 2026-03-27/);
    await expect(command.run(ctx, { positionals: [], flags: { job: 'weekly' } })).rejects.toThrow(
      /--job must be one of all, sweep, nightly/,
    );
  });
});
