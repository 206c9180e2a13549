import type { ServiceContext } from '../context.js';
import { repairPublishedCourses } from '../policy/publish.js';
import { runUnderLease } from './lease.js';
import { runNightly } from './nightly.js';
import { runSweep } from './sweep/index.js';

export type { HeldLease, LeasedRun } from './lease.js';
export type { NightlyReport } from './nightly.js';
export type { SweepReport } from './sweep/index.js';

/**
 * A job that first re-reads the organisation profile and the published policy versions, so its
 * e-mails and checks use the courses as served now, whichever process published the change. A
 * publish cut short by a crash (version inserted, head not moved) is completed first, so its
 * campaign is there for the sweep.
 */
function withCoursesRefreshed<I, R>(job: (ctx: ServiceContext, input: I) => Promise<R>) {
  return async (ctx: ServiceContext, input: I): Promise<R> => {
    await repairPublishedCourses(ctx);
    await ctx.catalogue.refresh({ force: true });
    return job(ctx, input);
  };
}

/**
 * The jobs area's commands, bound to the service context in services/index.ts: the refresher
 * sweep (every 15 minutes) and the nightly job (once per UTC day), run by the scheduler and `jobs:run`,
 * each under its job lease (`runUnderLease`: one instance at a time).
 */
export const jobsCommands = {
  runSweep: withCoursesRefreshed(runSweep),
  runNightly: withCoursesRefreshed(runNightly),
  runUnderLease,
};
