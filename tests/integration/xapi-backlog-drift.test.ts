import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usersRepository } from '../../src/db/repositories/users.js';
import { BACKLOG_ID } from '../../src/services/xapi/backlog-summary.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/**
 * The xAPI backlog's summary (the admin page's and /metrics' "pending") is moved with `$inc` by
 * every learner request that queues a statement; FerretDB v1's `$inc` is not atomic, so a burst
 * loses some (measured: 50 queued at once, the summary said 42). A sender run that read the
 * outbox stores the exact count (issue #30), instead of waiting for the nightly recount.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ label: 'xapi-drift', config: { XAPI_ALLOWED_HOSTS: '127.0.0.1' } });
  const admin = (await usersRepository(t.app.db.models).findByEmail('admin@demo.test'))!;
  // Nothing listens on port 9: every POST is refused and the statements wait (retry).
  await t.app.services.xapi.saveSettings({
    actorId: admin._id,
    input: { enabled: true, endpoint: 'http://127.0.0.1:9/xapi', key: 'k', secret: 's', actor: 'account' },
    now: t.clock.now(),
  });
});
afterAll(async () => t?.close());

describe('the backlog summary after a burst of learners', () => {
  it('is exact again after the next sender run, not only after the nightly recount', async () => {
    const learner = (await usersRepository(t.app.db.models).findByEmail('employee@demo.test'))!;
    const lessonId = t.app.courses.get(COURSE_ID)!.lessons[0]!.id;
    const now = t.clock.now();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.app.services.xapi.recordLearningEvent({
          event: {
            kind: 'lessonCompleted',
            key: `burst-${i}`,
            userId: learner._id,
            courseId: COURSE_ID,
            lessonId,
            at: now,
          },
          now,
        }),
      ),
    );
    const summary = () => t.app.services.xapi.xapiBacklog({ now: t.clock.now() });
    console.log(`50 queued at once: the summary says ${(await summary()).pending} pending`);
    // The drift a burst can leave, forced so the test does not depend on the race.
    await t.app.db.models.XapiMark.updateOne({ _id: BACKLOG_ID }, { $set: { pending: 7 } });

    const run = await t.app.services.xapi.sendXapiBatch({ now: t.clock.now() });
    expect(run).toMatchObject({ ran: true, sent: 0 });
    expect(await t.app.db.models.XapiOutbox.countDocuments({ status: 'pending' })).toBe(50);
    expect(await summary()).toMatchObject({ pending: 50 });
  });
});
