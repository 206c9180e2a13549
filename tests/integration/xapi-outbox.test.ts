import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { XapiOutboxDoc } from '../../src/db/models/xapi.js';
import type { LearningEvent } from '../../src/domain/xapi/events.js';
import { buildPerson, COURSE_ID } from '../factories.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { cliContext } from '../helpers/cli.js';
import { commandsDuring, type DbCommand, isWrite, monitoredUri } from '../helpers/db-commands.js';
import { type Ralph, startRalph } from '../helpers/ralph.js';

/**
 * The xAPI outbox and its sender against a real LRS (#27): what the learning services queue
 * reaches Ralph once, in batches; an LRS that is down loses nothing and delays nobody; a statement
 * the LRS refuses is kept with its answer.
 */
let t: TestApp;
let ralph: Ralph;
let learnerId: string;
let lessonId: string;
let keys = 0;

beforeAll(async () => {
  ralph = await startRalph();
  t = await createTestApp({
    label: 'xapi-outbox',
    seed: false,
    mongoUri: monitoredUri(inject('mongoUri')),
    config: { XAPI_ALLOWED_HOSTS: '127.0.0.1' },
  });
  const learner = buildPerson({ name: 'Outbox Learner' });
  await t.app.db.models.User.create(learner);
  learnerId = learner._id;
  lessonId = t.app.courses.get(COURSE_ID)!.lessons[0]!.id;
}, 60_000);
afterAll(async () => {
  await t?.close();
  await ralph?.stop();
});
beforeEach(async () => {
  await t.app.db.models.XapiOutbox.deleteMany({});
  await t.app.db.models.XapiMark.deleteMany({});
});

const models = () => t.app.db.models;
const services = () => t.app.services.xapi;

function lessonEvent(): LearningEvent {
  keys += 1;
  return {
    kind: 'lessonCompleted',
    key: `lesson-view-${keys}`,
    userId: learnerId,
    courseId: COURSE_ID,
    lessonId,
    at: t.clock.now(),
  };
}

async function record(events: LearningEvent[]) {
  for (const event of events) await services().recordLearningEvent({ event, now: t.clock.now() });
}

async function useRalph(enabled = true) {
  const result = await services().saveSettings({
    actorId: 'admin-test',
    input: {
      enabled,
      endpoint: ralph.endpoint,
      key: ralph.username,
      secret: ralph.password,
      actor: 'account',
    },
    now: t.clock.now(),
  });
  expect(result).toEqual({ ok: true });
}

/** The outbox: only what waits for the LRS or was refused by it, by id. */
const rows = () => models().XapiOutbox.find({}).sort({ _id: 1 }).lean<XapiOutboxDoc[]>();
/** The day's count of statements the LRS took (its summary document). */
async function sentOn(day: string): Promise<number> {
  return (await models().XapiMark.findById(`xapi_sent:${day}`).lean())?.sent ?? 0;
}
const today = () => t.clock.now().toISOString().slice(0, 10);
/** The commands on the people and the xAPI collections (the app's background pollers left out). */
const ofXapi = (commands: DbCommand[]) => commands.filter((c) => / (users|xapi_\w+)$/.test(c));
async function storedIds(): Promise<string[]> {
  return (await ralph.statements()).map((s) => s.id).sort();
}

describe('xAPI outbox', () => {
  it('queues nothing while sending is off', async () => {
    await useRalph(false);
    await record([lessonEvent()]);
    expect(await rows()).toEqual([]);
    expect(await services().sendXapiBatch({ now: t.clock.now() })).toMatchObject({
      ran: false,
      attempted: 0,
    });
  });

  it('sends each queued statement once, a repeated event being queued once', async () => {
    await useRalph();
    const before = await storedIds();
    const [a, b] = [lessonEvent(), lessonEvent()];
    await record([a, b, a]);
    const queued = await rows();
    expect(queued.map((r) => r.status)).toEqual(['pending', 'pending']);
    expect(queued[0]!.statement).toMatchObject({ actor: { account: { name: learnerId } } });

    const report = await services().sendXapiBatch({ now: t.clock.now() });
    expect(report).toMatchObject({ ran: true, batches: 1, attempted: 2, sent: 2, rejected: 0, retrying: 0 });
    // The LRS holds them now: the rows are gone, and the day's summary counts them.
    expect(await rows()).toEqual([]);
    expect(await sentOn(today())).toBe(2);
    expect(await services().xapiBacklog({ now: t.clock.now() })).toMatchObject({
      pending: 0,
      sentToday: 2,
      sentLast7Days: 2,
    });
    expect(await storedIds()).toEqual([...before, ...queued.map((r) => r._id)].sort());
    const [stored] = await ralph.statements({ statementId: queued[0]!._id });
    expect(stored).toMatchObject(queued[0]!.statement);

    expect(await services().sendXapiBatch({ now: t.clock.now() })).toMatchObject({ attempted: 0 });
  });

  it('sends a backlog in POSTs of at most 50 statements, oldest first', async () => {
    await useRalph();
    const before = (await storedIds()).length;
    await record(Array.from({ length: 120 }, lessonEvent));
    const report = await services().sendXapiBatch({ now: t.clock.now() });
    expect(report).toMatchObject({ batches: 3, attempted: 120, sent: 120, retrying: 0 });
    expect((await storedIds()).length).toBe(before + 120);
    expect((await services().xapiBacklog({ now: t.clock.now() })).pending).toBe(0);
  });

  it('with the LRS down: the learner’s event is queued at once, nothing is lost, and after a restart everything arrives exactly once', async () => {
    await useRalph();
    const before = await storedIds();
    await ralph.stop();
    // Queueing is one insert into the outbox per event, by its statement id, the "queued since the
    // last run" mark (an insert by _id, a duplicate but for the first) and the backlog summary's
    // $inc by its _id, nothing else (the LRS setting is kept by the process): no request to the LRS
    // in the learner's request.
    const scans: string[] = [];
    const queueing = ofXapi(
      await commandsDuring(t.app, () => record(Array.from({ length: 60 }, lessonEvent)), scans),
    );
    expect(queueing.filter((c) => c !== 'find xapi_config')).toEqual(
      Array(60).fill(['insert xapi_outbox', 'insert xapi_marks', 'update xapi_marks']).flat(),
    );
    expect(queueing.length).toBeLessThanOrEqual(181);
    expect(scans.filter((c) => / xapi_/.test(c))).toEqual([]);

    const down = await services().sendXapiBatch({ now: t.clock.now() });
    expect(down).toMatchObject({ batches: 1, attempted: 50, sent: 0, retrying: 50 });
    let waiting = await rows();
    expect(waiting.every((r) => r.status === 'pending')).toBe(true);
    const tried = waiting.filter((r) => r.attempts === 1);
    expect(tried).toHaveLength(50);
    expect(tried[0]!.lastError).toMatch(/ECONNREFUSED/);
    expect(tried[0]!.nextAttemptAt.getTime() - t.clock.now().getTime()).toBe(60_000);
    const backlog = await services().xapiBacklog({ now: t.clock.now() });
    expect(backlog).toMatchObject({ pending: 60, rejected: 0 });
    expect(backlog.oldestPendingAt?.getTime()).toBe(t.clock.now().getTime());

    // The 10 never tried are due first; the 50 wait for their back-off.
    t.clock.advance(30_000);
    expect(await services().sendXapiBatch({ now: t.clock.now() })).toMatchObject({
      attempted: 10,
      retrying: 10,
    });
    t.clock.advance(30_000);
    expect(await services().sendXapiBatch({ now: t.clock.now() })).toMatchObject({
      attempted: 50,
      retrying: 50,
    });
    waiting = await rows();
    expect(waiting.filter((r) => r.attempts === 2)).toHaveLength(50);
    expect(waiting.find((r) => r.attempts === 2)!.nextAttemptAt.getTime() - t.clock.now().getTime()).toBe(
      120_000,
    );

    await ralph.restart();
    t.clock.advanceMinutes(5);
    expect(await services().sendXapiBatch({ now: t.clock.now() })).toMatchObject({ sent: 60, retrying: 0 });
    const after = await storedIds();
    expect(after).toEqual([...before, ...waiting.map((r) => r._id)].sort());
    expect(new Set(after).size).toBe(after.length);
  });

  it('counts a statement the LRS already has as sent, without a second copy', async () => {
    await useRalph();
    await record([lessonEvent(), lessonEvent(), lessonEvent()]);
    const [first] = await rows();
    await services().sendXapiBatch({ now: t.clock.now() });
    // As if the process died after the POST and before deleting the row: it is sent again.
    await models().XapiOutbox.create(first!);
    await record([lessonEvent()]);
    const report = await services().sendXapiBatch({ now: t.clock.now() });
    expect(report).toMatchObject({ attempted: 2, sent: 2, rejected: 0 });
    expect(await rows()).toEqual([]);
    expect((await ralph.statements({ statementId: first!._id })).length).toBe(1);
  });

  it('keeps a statement the LRS refuses as rejected, with its answer, and sends the rest of the batch', async () => {
    await useRalph();
    await record([lessonEvent(), lessonEvent()]);
    const bad = {
      id: '0b6d3a52-1111-4c8e-9e4b-5d2f8c0a7e31',
      actor: {},
      verb: { id: 'not an IRI' },
      object: {},
    };
    await models().XapiOutbox.create({
      _id: bad.id,
      statement: bad,
      userId: learnerId,
      kind: 'lessonCompleted',
      status: 'pending',
      attempts: 0,
      nextAttemptAt: t.clock.now(),
      createdAt: t.clock.now(),
      lastError: '',
      rejection: null,
    });
    const report = await services().sendXapiBatch({ now: t.clock.now() });
    expect(report).toMatchObject({ attempted: 3, sent: 2, rejected: 1, retrying: 0 });
    const rejected = (await rows()).find((r) => r._id === bad.id)!;
    expect(rejected.status).toBe('rejected');
    expect(rejected.rejection?.status).toBeGreaterThanOrEqual(400);
    expect(rejected.rejection?.body).toMatch(/actor/);
    expect(await services().rejectedStatements({ limit: 10 })).toEqual([
      expect.objectContaining({ id: bad.id, status: rejected.rejection?.status }),
    ]);
    expect((await services().xapiBacklog({ now: t.clock.now() })).rejected).toBe(1);
    // Never resent on its own.
    t.clock.advanceMinutes(120);
    expect(await services().sendXapiBatch({ now: t.clock.now() })).toMatchObject({ attempted: 0 });
  });

  it('jobs:run --job xapi sends what is due, and says so when sending is off', async () => {
    const { command } = await import('../../src/cli/commands/jobs-run.js');
    const { ctx, lines } = cliContext(t);
    await useRalph();
    await record([lessonEvent(), lessonEvent()]);
    expect(await command.run(ctx, { positionals: [], flags: { job: 'xapi' } })).toBe(0);
    const out = lines.join('\n');
    expect(out).toContain('xAPI sender at');
    expect(out).toMatch(/sent\s+2/);
    expect(out).not.toContain('Sweep at');
    expect(await rows()).toEqual([]);
    lines.length = 0;
    await useRalph(false);
    expect(await command.run(ctx, { positionals: [], flags: { job: 'xapi' } })).toBe(0);
    expect(lines.join('\n')).toContain('sending to an LRS is off');
  });

  it('two senders at once (two instances, or the scheduler and jobs:run) post each statement once', async () => {
    const { command } = await import('../../src/cli/commands/jobs-run.js');
    await useRalph();
    const before = (await storedIds()).length;
    await record(Array.from({ length: 120 }, lessonEvent));
    // Two jobs:run processes (each its own lease holder) at once: the job lease 'xapi' lets one run.
    const [a, b] = [cliContext(t), cliContext(t)];
    const send = (c: typeof a) => command.run(c.ctx, { positionals: [], flags: { job: 'xapi' } });
    expect(await Promise.all([send(a), send(b)])).toEqual([0, 0]);
    const outs = [a.lines.join('\n'), b.lines.join('\n')];
    expect(outs.filter((o) => /sent\s+120/.test(o))).toHaveLength(1);
    expect(
      outs.filter((o) => /xAPI sender not run: another instance runs it now \(\S+:\d+:\w+/.test(o)),
    ).toHaveLength(1);
    const after = await storedIds();
    expect(after.length).toBe(before + 120);
    expect(new Set(after).size).toBe(after.length);
    // The lease is given back: the next run goes ahead.
    await record([lessonEvent()]);
    a.lines.length = 0;
    expect(await send(a)).toBe(0);
    expect(a.lines.join('\n')).toMatch(/sent\s+1\b/);
  });

  it('waits while another instance holds the xapi job lease, and sends once it lapsed', async () => {
    const { command } = await import('../../src/cli/commands/jobs-run.js');
    await useRalph();
    await record([lessonEvent()]);
    const leases = t.app.db.conn.db!.collection<{
      _id: string;
      holder: string;
      expiresAt: Date;
      takenAt: Date;
    }>('job_leases');
    await leases.insertOne({
      _id: 'xapi',
      holder: 'other-host:4242:beef',
      expiresAt: new Date(Date.now() + 60_000),
      takenAt: new Date(),
    });
    const { ctx, lines } = cliContext(t);
    expect(await command.run(ctx, { positionals: [], flags: { job: 'xapi' } })).toBe(0);
    expect(lines.join('\n')).toContain(
      'xAPI sender not run: another instance runs it now (other-host:4242:beef',
    );
    expect(await rows()).toHaveLength(1);
    await leases.updateOne({ _id: 'xapi' }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    lines.length = 0;
    expect(await command.run(ctx, { positionals: [], flags: { job: 'xapi' } })).toBe(0);
    expect(lines.join('\n')).toMatch(/sent\s+1\b/);
    expect(await rows()).toEqual([]);
    expect(await leases.findOne({ _id: 'xapi' })).toBeNull();
  });

  it('sends a statement that failed twice alone, so it cannot hold back its batch', async () => {
    await useRalph();
    await record([lessonEvent(), lessonEvent(), lessonEvent()]);
    const [stubborn] = await rows();
    await models().XapiOutbox.updateOne({ _id: stubborn!._id }, { $set: { attempts: 2 } });
    const report = await services().sendXapiBatch({ now: t.clock.now() });
    expect(report).toMatchObject({ batches: 2, attempted: 3, sent: 3 });
  });

  it('a run and a backlog read cost a few commands by _id, however many statements were sent', async () => {
    await useRalph();
    await record(Array.from({ length: 120 }, lessonEvent));
    const scans: string[] = [];
    const sending = ofXapi(
      await commandsDuring(t.app, () => services().sendXapiBatch({ now: t.clock.now() }), scans),
    );
    // The waiting rows' due times read once, then each row by _id; each outcome written by _id;
    // per batch one day-mark update and one backlog summary $inc; once nothing waits, the
    // summary's oldest time is cleared; the next due time stored.
    expect(sending.filter((c) => c === 'find xapi_outbox')).toHaveLength(121);
    expect(sending.filter((c) => c === 'delete xapi_outbox')).toHaveLength(120);
    expect(sending.filter((c) => c === 'findAndModify xapi_marks')).toHaveLength(3);
    expect(sending.filter((c) => c === 'update xapi_marks')).toHaveLength(5);
    // (A filter with _id and a field reads the one document by _id on FerretDB.)
    expect(scans.filter((c) => / xapi_/.test(c) && !c.includes('{_id'))).toEqual([
      'find xapi_outbox {status}',
    ]);
    expect(await rows()).toEqual([]);

    // Nothing waits: the next run reads the setting and the summary by _id, not the outbox.
    const idle = ofXapi(await commandsDuring(t.app, () => services().sendXapiBatch({ now: t.clock.now() })));
    expect(idle.length, idle.join(', ')).toBeLessThanOrEqual(3);
    expect(idle.filter((c) => c.endsWith(' xapi_outbox'))).toEqual([]);
    const reading = ofXapi(await commandsDuring(t.app, () => services().xapiBacklog({ now: t.clock.now() })));
    // The summary document by _id and the week's day marks: never the outbox.
    expect(reading.sort()).toEqual(['find xapi_marks', 'find xapi_marks']);
    expect(reading.filter(isWrite)).toEqual([]);
    expect(await services().xapiBacklog({ now: t.clock.now() })).toMatchObject({
      pending: 0,
      sentToday: 120,
    });
  });

  it('the backlog summary follows every status change, and the nightly recount heals a drifted one', async () => {
    await useRalph();
    const backlog = () => services().xapiBacklog({ now: t.clock.now() });
    const queuedAt = t.clock.now();
    const [a, b] = [lessonEvent(), lessonEvent()];
    await record([a, b, a]);
    expect(await backlog()).toMatchObject({ pending: 2, rejected: 0, oldestPendingAt: queuedAt });
    const [first] = await rows();
    await models().XapiOutbox.updateOne({ _id: first!._id }, { $set: { 'statement.actor': {} } });
    t.clock.advanceMinutes(1);
    expect(await services().sendXapiBatch({ now: t.clock.now() })).toMatchObject({ sent: 1, rejected: 1 });
    expect(await backlog()).toMatchObject({ pending: 0, rejected: 1, oldestPendingAt: null });
    const admin = { actorId: 'admin-test', now: t.clock.now() };
    await services().requeueRefused({ id: first!._id, ...admin });
    expect(await backlog()).toMatchObject({ pending: 1, rejected: 0, oldestPendingAt: queuedAt });
    await services().sendXapiBatch({ now: t.clock.now() });
    await services().discardRefused({ id: first!._id, ...admin });
    expect(await backlog()).toMatchObject({ pending: 0, rejected: 0, oldestPendingAt: null });

    // A crash between the insert and its $inc: the row waits, the summary does not count it.
    await record([lessonEvent()]);
    await models().XapiMark.updateOne({ _id: 'xapi_backlog' }, { $inc: { pending: -1 } });
    expect((await backlog()).pending).toBe(0);
    const nightly = await t.app.services.jobs.runNightly({ now: t.clock.now() });
    expect(nightly).toMatchObject({ xapiPending: 1, xapiRejected: 0 });
    expect(await backlog()).toMatchObject({ pending: 1, oldestPendingAt: t.clock.now() });
  });

  it('the oldest waiting time moves on once the oldest statement was sent while others wait', async () => {
    await useRalph();
    const backlog = () => services().xapiBacklog({ now: t.clock.now() });
    const first = t.clock.now();
    await record([lessonEvent()]);
    t.clock.advanceMinutes(1);
    const second = t.clock.now();
    await record([lessonEvent()]);
    expect((await backlog()).oldestPendingAt).toEqual(first);
    // The second waits for a back-off (as if tried before); the first is sent.
    const later = (await rows()).find((r) => r.createdAt.getTime() === second.getTime())!;
    await models().XapiOutbox.updateOne(
      { _id: later._id },
      { $set: { nextAttemptAt: new Date(second.getTime() + 600_000) } },
    );
    expect(await services().sendXapiBatch({ now: t.clock.now() })).toMatchObject({ sent: 1 });
    expect(await backlog()).toMatchObject({ pending: 1, oldestPendingAt: second });
  });

  it('a failure to queue never reaches the learner: it is counted instead', async () => {
    await useRalph();
    const event = { ...lessonEvent(), kind: 'nonsense' } as unknown as LearningEvent;
    const before = (await services().xapiBacklog({ now: t.clock.now() })).notQueued;
    await expect(services().recordLearningEvent({ event, now: t.clock.now() })).resolves.toBeUndefined();
    expect((await services().xapiBacklog({ now: t.clock.now() })).notQueued).toBe(before + 1);
  });
});
