import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LearningEvent } from '../../src/domain/xapi/events.js';
import type { ServiceContext } from '../../src/services/context.js';
import {
  BACKLOG_ID,
  type BacklogSummaryDoc,
  NEVER,
  storeNextDue,
} from '../../src/services/xapi/backlog-summary.js';
import { COURSE_ID } from '../factories.js';
import { createSecondApp, createTestApp, type TestApp } from '../helpers/app.js';

/**
 * Review 31-1: a sender run ends by storing when the next statement is due ("never" when it found
 * nothing waiting) unless a statement was queued since it read the summary. On FerretDB v1 that
 * guard is a filtered update, read then written, so a learner's queueing that lands in between is
 * overwritten: the summary says nothing waits until the end of time, and the statement sat in the
 * outbox until the nightly recount (measured: 1 round in 40 to 80). Whatever the summary says, the
 * next sender run must send what was queued.
 */
let a: TestApp;
let b: TestApp;
let keys = 0;
const MINUTE = 60_000;

beforeAll(async () => {
  a = await createTestApp({
    label: 'xapi-queued-race',
    seed: false,
    config: { XAPI_ALLOWED_HOSTS: '127.0.0.1' },
  });
  // Nothing listens on port 9: each POST is refused at once and the statement waits (retry).
  await a.app.services.xapi.saveSettings({
    actorId: 'admin-test',
    input: { enabled: true, endpoint: 'http://127.0.0.1:9/xapi', key: 'k', secret: 's', actor: 'account' },
    now: a.clock.now(),
  });
  // The learner's instance: another connection pool, as another worker or instance would have.
  b = await createSecondApp(a);
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

function lessonEvent(at: Date): LearningEvent {
  keys += 1;
  const lessonId = a.app.courses.get(COURSE_ID)!.lessons[0]!.id;
  return {
    kind: 'lessonCompleted',
    key: `race-${keys}`,
    userId: 'race-learner',
    courseId: COURSE_ID,
    lessonId,
    at,
  };
}

/** An empty outbox whose summary a sender run has just read, due now (as after a run that sent everything). */
async function freshOutbox(now: Date): Promise<BacklogSummaryDoc> {
  const models = a.app.db.models;
  await models.XapiOutbox.deleteMany({});
  await models.XapiMark.deleteMany({});
  await models.XapiMark.create({
    _id: BACKLOG_ID,
    at: now,
    pending: 0,
    rejected: 0,
    dueVersion: 7,
    nextDueAt: now,
  });
  return (await models.XapiMark.findById(BACKLOG_ID).lean<BacklogSummaryDoc>())!;
}

describe('a statement queued while a sender run stores the next due time', () => {
  it('is sent by the next run even when the stored summary says nothing waits', async () => {
    const now = a.clock.now();
    await freshOutbox(now);
    await b.app.services.xapi.recordLearningEvent({ event: lessonEvent(now), now });
    // What the lost update leaves (measured below): the run's "never, none waiting" over the queueing.
    await a.app.db.models.XapiMark.updateOne({ _id: BACKLOG_ID }, { $set: { nextDueAt: NEVER, pending: 0 } });

    const next = await a.app.services.xapi.sendXapiBatch({ now: new Date(now.getTime() + MINUTE) });
    expect(next).toMatchObject({ ran: true, attempted: 1, retrying: 1 });
    // The run read the outbox, so the summary is exact again.
    expect(await a.app.services.xapi.xapiBacklog({ now })).toMatchObject({ pending: 1 });
  });

  it('is sent by the next run when a run took the queued mark and then failed (review 31b-2)', async () => {
    const now = a.clock.now();
    await freshOutbox(now);
    await b.app.services.xapi.recordLearningEvent({ event: lessonEvent(now), now });
    await a.app.db.models.XapiMark.updateOne({ _id: BACKLOG_ID }, { $set: { nextDueAt: NEVER, pending: 0 } });
    // The run takes the mark, reads the outbox, then loses its lease before the POST: no due time stored.
    const lostLease = () => {
      throw new Error('lease lost');
    };
    const failed = a.app.services.xapi.sendXapiBatch({
      now: new Date(now.getTime() + MINUTE),
      checkLease: lostLease,
    });
    await expect(failed).rejects.toThrow('lease lost');

    const next = await a.app.services.xapi.sendXapiBatch({ now: new Date(now.getTime() + 2 * MINUTE) });
    expect(next).toMatchObject({ ran: true, attempted: 1, retrying: 1 });
  });

  it('in every round of the real race, across two instances', async () => {
    const ctxA = { models: a.app.db.models } as ServiceContext;
    const lost: string[] = [];
    for (let round = 0; round < 100; round++) {
      const now = new Date(a.clock.now().getTime() + round * 10 * MINUTE);
      const read = await freshOutbox(now);
      // The run found nothing waiting and stores "never"; meanwhile a learner on B queues one statement.
      // The queueing's summary update comes after its outbox insert: the run's store starts a
      // little later in each round, so some rounds overlap the two updates.
      const queued = b.app.services.xapi.recordLearningEvent({ event: lessonEvent(now), now });
      for (let tick = 0; tick < round % 12; tick++) await new Promise(setImmediate);
      await Promise.all([storeNextDue(ctxA, read, NEVER, { oldestPendingAt: null, pending: 0 }), queued]);
      const next = await a.app.services.xapi.sendXapiBatch({ now: new Date(now.getTime() + MINUTE) });
      if (next.attempted !== 1) lost.push(`round ${round}: ${JSON.stringify(next)}`);
    }
    expect(lost).toEqual([]);
  });
});
