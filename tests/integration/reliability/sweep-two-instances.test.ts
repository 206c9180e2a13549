import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { outboxMailer } from '../../../src/mail/transport.js';
import { seedDemoTraining } from '../../../src/services/demo/seed.js';
import { runNightly } from '../../../src/services/jobs/nightly.js';
import { runSweep } from '../../../src/services/jobs/sweep/index.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';

// Two app instances on one database, each with its own connection pool and audit writer, run the
// reminder sweep at the same moment: the reminder-key insert in the database is the only guard.
let t: TestApp;
let twin: FastifyInstance;

const deps = (app: FastifyInstance) => ({
  models: app.db.models,
  courses: app.courses,
  catalogue: app.catalogue,
  mailer: outboxMailer(app.db.models),
  audit: app.audit,
  baseUrl: 'http://localhost:3000',
});

/** What `jobs:run` does on one instance: the sweep, then the nightly job (digest, catch-up). */
async function jobs(app: FastifyInstance, at: Date) {
  const swept = await runSweep(deps(app), { now: at });
  return { ...swept, ...(await runNightly(deps(app), { now: at })) };
}

beforeAll(async () => {
  t = await createTestApp({ label: 'sweep_twins' });
  twin = await buildApp({ config: t.config, mongoUri: inject('mongoUri'), clock: t.clock, logger: false });
  await twin.ready();
  // Everyone assigned, due in 30 days, a few with history (the demo organisation's training).
  await seedDemoTraining(deps(t.app), { now: t.clock.now() });
});

afterAll(async () => {
  await twin.close();
  await t.close();
});

describe('reminder sweep on two app instances', () => {
  it('sends each reminder and digest exactly once when both run the jobs at the same moment', async () => {
    const models = t.app.db.models;
    const before = await models.Outbox.countDocuments();
    // Two months on: every demo assignment is overdue, so both instances find reminders to send.
    const at = new Date(t.clock.now().getTime() + 60 * 86_400_000);
    const [a, b] = await Promise.all([jobs(t.app, at), jobs(twin, at)]);

    const sent = (await models.Outbox.countDocuments()) - before;
    expect(sent).toBeGreaterThan(0);
    expect(a.remindersSent + b.remindersSent + a.digestsSent + b.digestsSent).toBe(sent);
    const outbox = await models.Outbox.find({}, { _id: 1, reminderId: 1 }).lean();
    const keys = outbox.map((m) => m.reminderId ?? m._id);
    expect(new Set(keys).size).toBe(keys.length);

    // A restart of either instance sweeping again sends nothing new.
    const again = await jobs(twin, at);
    expect(again.remindersSent).toBe(0);
    expect(await models.Outbox.countDocuments()).toBe(before + sent);
    console.log(
      `[reliability report] two instances swept at once: ${sent} messages, instance A ${a.remindersSent}, instance B ${b.remindersSent}, none twice`,
    );
  });
});
