import { outboxMailer } from '../../src/mail/transport.js';
import type { ServiceContext } from '../../src/services/context.js';
import { runSweep } from '../../src/services/jobs/sweep/index.js';
import type { TestApp } from './app.js';

/** The context `jobs:run` gives the jobs, on the test app: mail goes to the outbox collection. */
export function jobContext(t: TestApp): ServiceContext {
  return {
    models: t.app.db.models,
    courses: t.app.courses,
    catalogue: t.app.catalogue,
    mailer: outboxMailer(t.app.db.models),
    audit: t.app.audit,
    baseUrl: t.config.BASE_URL,
  };
}

/** One refresher sweep at the given instant. */
export function sweepAt(t: TestApp, at: string | Date) {
  return runSweep(jobContext(t), { now: new Date(at) });
}

/** Everyone in the demo organisation assigned the first course, due in 30 days (cheaper than the demo training). */
export async function assignEveryone(t: TestApp) {
  await t.app.services.assignments.createRule({
    courseId: [...t.app.courses.keys()][0]!,
    target: { kind: 'everyone' },
    due: { kind: 'after-assignment', days: 30 },
    newHireWithinDays: null,
    actorId: 'system',
    now: t.clock.now(),
  });
}
