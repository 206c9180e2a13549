import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { XapiOutboxDoc } from '../../src/db/models/xapi.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { commandsDuring, monitoredUri } from '../helpers/db-commands.js';

/**
 * The outbox during a long LRS outage (#27, review 27-5): 20,000 statements waiting in back-off.
 * A /metrics scrape reads the backlog's summary document by _id, never the outbox; an idle sender
 * run (nothing due) reads due rows with a limit and no sort. Durations are logged (measurement),
 * the assertions are on the database commands.
 */
const TOKEN = 'metrics-token-for-the-scale-test-0123';
const ROWS = 20_000;
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({
    label: 'xapi-scale',
    seed: false,
    mongoUri: monitoredUri(inject('mongoUri')),
    config: { XAPI_ALLOWED_HOSTS: '127.0.0.1', METRICS_TOKEN: TOKEN },
  });
  await t.app.services.xapi.saveSettings({
    actorId: 'admin-test',
    input: { enabled: true, endpoint: 'http://127.0.0.1:9/xAPI/', key: 'k', secret: 's', actor: 'account' },
    now: t.clock.now(),
  });
  const now = t.clock.now();
  const later = new Date(now.getTime() + 3_600_000);
  const rows: XapiOutboxDoc[] = Array.from({ length: ROWS }, (_, i) => ({
    _id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    statement: { id: String(i), verb: { id: 'http://adlnet.gov/expapi/verbs/completed' } },
    userId: `learner-${i % 500}`,
    kind: 'lessonCompleted',
    status: 'pending',
    attempts: 5,
    nextAttemptAt: later,
    createdAt: now,
    lastError: 'ECONNREFUSED',
    rejection: null,
  }));
  for (let i = 0; i < ROWS; i += 2000)
    await t.app.db.models.XapiOutbox.insertMany(rows.slice(i, i + 2000), { ordered: false });
  // As the nightly job leaves it (the rows were written straight into the collection here).
  const recount = (t.app.services.xapi as Record<string, unknown>).recountXapiBacklog as
    | ((input: { now: Date }) => Promise<unknown>)
    | undefined;
  await recount?.({ now });
}, 300_000);
afterAll(async () => {
  await t?.close();
});

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await fn();
  console.log(`${label} with ${ROWS} pending rows: ${(performance.now() - started).toFixed(0)} ms`);
  return result;
}

describe('xAPI outbox with 20,000 statements waiting', () => {
  it('a /metrics scrape reads no outbox row', async () => {
    const scans: string[] = [];
    const scrape = () => t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    await scrape(); // warm
    let body = '';
    const commands = await commandsDuring(
      t.app,
      () => timed('/metrics scrape', async () => (body = (await scrape()).body)),
      scans,
    );
    expect(body).toMatch(/lms_xapi_outbox_statements\{status="pending"\} 20000/);
    expect(commands.filter((c) => c.endsWith(' xapi_outbox'))).toEqual([]);
    expect(scans.filter((c) => c.includes('xapi_outbox'))).toEqual([]);
  }, 120_000);

  it('an idle sender run (nothing due) reads no outbox row once a run has seen when the next is due', async () => {
    const send = () => t.app.services.xapi.sendXapiBatch({ now: t.clock.now() });
    // The first run after the nightly recount reads the waiting rows' due times once (one scan).
    expect(await timed('first sender run', send)).toMatchObject({ attempted: 0 });
    const scans: string[] = [];
    const idle = await commandsDuring(
      t.app,
      async () => expect(await timed('idle sender run', send)).toMatchObject({ attempted: 0 }),
      scans,
    );
    expect(idle.filter((c) => c.endsWith(' xapi_outbox'))).toEqual([]);
    expect(scans.filter((c) => c.includes('xapi_'))).toEqual([]);
    // A statement queued meanwhile is due at once: the next run reads and posts it.
    t.clock.advanceMinutes(1);
    await t.app.services.xapi.recordLearningEvent({
      event: {
        kind: 'lessonCompleted',
        key: 'scale-new',
        userId: 'learner-1',
        courseId: t.app.courses.keys().next().value!,
        lessonId: [...t.app.courses.values()][0]!.lessons[0]!.id,
        at: t.clock.now(),
      },
      now: t.clock.now(),
    });
    expect(await send()).toMatchObject({ attempted: 1, retrying: 1 });
  }, 120_000);
});
