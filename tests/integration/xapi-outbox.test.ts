import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { XapiOutboxDoc } from '../../src/db/models/xapi.js';
import type { LearningEvent } from '../../src/domain/xapi/events.js';
import { buildPerson, COURSE_ID } from '../factories.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { cliContext } from '../helpers/cli.js';
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
  t = await createTestApp({ label: 'xapi-outbox', seed: false, config: { XAPI_ALLOWED_HOSTS: '127.0.0.1' } });
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
  await t.app.db.models.XapiSent.deleteMany({});
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

/** Every row, waiting (xapi_outbox) or sent (xapi_sent), by id. */
async function rows(): Promise<XapiOutboxDoc[]> {
  const waiting = await models().XapiOutbox.find({}).lean<XapiOutboxDoc[]>();
  const sent = await models().XapiSent.find({}).lean<XapiOutboxDoc[]>();
  return [...waiting, ...sent].sort((a, b) => a._id.localeCompare(b._id));
}
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
    const sent = await rows();
    expect(sent.map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(sent.every((r) => r.sentAt?.getTime() === t.clock.now().getTime())).toBe(true);
    expect(await storedIds()).toEqual([...before, ...sent.map((r) => r._id)].sort());
    const [stored] = await ralph.statements({ statementId: sent[0]!._id });
    expect(stored).toMatchObject(sent[0]!.statement);

    expect(await services().sendXapiBatch({ now: t.clock.now() })).toMatchObject({ attempted: 0 });
  });

  it('sends a backlog in POSTs of at most 50 statements, oldest first', async () => {
    await useRalph();
    const before = (await storedIds()).length;
    await record(Array.from({ length: 120 }, lessonEvent));
    const report = await services().sendXapiBatch({ now: t.clock.now() });
    expect(report).toMatchObject({ batches: 3, attempted: 120, sent: 120, retrying: 0 });
    expect((await storedIds()).length).toBe(before + 120);
    expect((await services().xapiBacklog({})).pending).toBe(0);
  });

  it('with the LRS down: the learner’s event is queued at once, nothing is lost, and after a restart everything arrives exactly once', async () => {
    await useRalph();
    const before = await storedIds();
    await ralph.stop();
    const started = performance.now();
    await record(Array.from({ length: 60 }, lessonEvent));
    // Queueing touches only the database: no request to the LRS is made in the learner's request.
    expect((performance.now() - started) / 60).toBeLessThan(200);

    const down = await services().sendXapiBatch({ now: t.clock.now() });
    expect(down).toMatchObject({ batches: 1, attempted: 50, sent: 0, retrying: 50 });
    let waiting = await rows();
    expect(waiting.every((r) => r.status === 'pending')).toBe(true);
    const tried = waiting.filter((r) => r.attempts === 1);
    expect(tried).toHaveLength(50);
    expect(tried[0]!.lastError).toMatch(/ECONNREFUSED/);
    expect(tried[0]!.nextAttemptAt.getTime() - t.clock.now().getTime()).toBe(60_000);
    const backlog = await services().xapiBacklog({});
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
    await services().sendXapiBatch({ now: t.clock.now() });
    const [first] = await rows();
    // As if the process died after the POST and before moving the row: it is sent again.
    await models().XapiSent.deleteOne({ _id: first!._id });
    await models().XapiOutbox.create({ ...first!, status: 'pending', sentAt: null });
    await record([lessonEvent()]);
    const report = await services().sendXapiBatch({ now: t.clock.now() });
    expect(report).toMatchObject({ attempted: 2, sent: 2, rejected: 0 });
    expect((await rows()).every((r) => r.status === 'sent')).toBe(true);
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
      sentAt: null,
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
    expect((await services().xapiBacklog({})).rejected).toBe(1);
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
    expect((await rows()).every((r) => r.status === 'sent')).toBe(true);
    lines.length = 0;
    await useRalph(false);
    expect(await command.run(ctx, { positionals: [], flags: { job: 'xapi' } })).toBe(0);
    expect(lines.join('\n')).toContain('sending to an LRS is off');
  });

  it('a failure to queue never reaches the learner: it is counted instead', async () => {
    await useRalph();
    const event = { ...lessonEvent(), kind: 'nonsense' } as unknown as LearningEvent;
    const before = (await services().xapiBacklog({})).notQueued;
    await expect(services().recordLearningEvent({ event, now: t.clock.now() })).resolves.toBeUndefined();
    expect((await services().xapiBacklog({})).notQueued).toBe(before + 1);
  });
});
