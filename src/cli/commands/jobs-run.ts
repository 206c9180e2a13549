import { hostname } from 'node:os';
import { holderId } from '../../domain/lease.js';
import type { HeldLease, LeasedRun } from '../../services/jobs/index.js';
import { type CliCommand, type CliContext, CliUsageError, stringFlag } from '../types.js';

const JOBS = ['all', 'sweep', 'nightly', 'xapi'] as const;
type Job = (typeof JOBS)[number];

export const command: CliCommand = {
  name: 'jobs:run',
  usage:
    'jobs:run [--now <ISO date>] [--job all|sweep|nightly|xapi]   run the scheduled jobs once as if at that time:\n' +
    '      sweep = refresher sweep (states, new cycles, reminders, report summaries);\n' +
    '      nightly = clause report, item statistics, new-hire catch-up, session clean-up, weekly digest (once per UTC day);\n' +
    '      xapi = send the xAPI statements due to the LRS (when the admin has turned it on);\n' +
    '      all (default) = the sweep, then the nightly job, then the xAPI sender;\n' +
    '      each under its job lease: a job an app instance is running now is not run (its holder is named)',
  async run(ctx, args) {
    const at = stringFlag(args, 'now');
    const now = at ? new Date(at) : ctx.clock.now();
    if (Number.isNaN(now.getTime()))
      throw new CliUsageError(`--now "${at}" is not a date (use e.g. 2027-01-31T09:00:00Z)`);
    const job = (stringFlag(args, 'job') ?? 'all') as Job;
    if (!JOBS.includes(job)) throw new CliUsageError(`--job must be one of ${JOBS.join(', ')}`);
    const via = ctx.mailKind === 'smtp' ? 'SMTP' : 'outbox';
    const print = (title: string, report: object) => {
      ctx.out(`${title} at ${now.toISOString()} (${via}):`);
      for (const [k, v] of Object.entries(report)) ctx.out(`  ${k.padEnd(22)} ${v}`);
    };
    const { runSweep, runNightly } = ctx.services.jobs;
    const leased = underLease(ctx);
    if (job === 'all' || job === 'sweep') {
      const report = await leased('sweep', 'Sweep', (lease) => runSweep({ now, checkLease: lease.check }));
      if (report) print('Sweep', report);
    }
    if (job === 'all' || job === 'nightly') {
      const report = await leased('nightly', 'Nightly job', () => runNightly({ now }));
      if (report) print('Nightly job', report);
      if (report && !report.ran) ctx.out(`  (already done for ${report.day}: it runs once per UTC day)`);
    }
    if (job === 'all' || job === 'xapi') {
      const report = await leased('xapi', 'xAPI sender', (lease) =>
        ctx.services.xapi.sendXapiBatch({ now, checkLease: lease.check }),
      );
      if (!report) return 0;
      print('xAPI sender', report);
      if (!report.ran) ctx.out('  (sending to an LRS is off: /admin/xapi)');
    }
    return 0;
  },
};

/**
 * Runs a job under its lease as the scheduler does (issue #30), so `jobs:run` never runs a job
 * while an app instance runs it; refused, it says who holds the lease and runs nothing.
 */
function underLease(ctx: CliContext) {
  const holder = holderId(hostname(), process.pid);
  const leaseMs = ctx.config.JOB_LEASE_SECONDS * 1000;
  return async <R>(job: string, title: string, run: (lease: HeldLease) => Promise<R>): Promise<R | null> => {
    const result = (await ctx.services.jobs.runUnderLease({ job, holder, leaseMs, run })) as LeasedRun<R>;
    if (result.ran) return result.report;
    const until = result.until.toISOString();
    ctx.out(`${title} not run: another instance runs it now (${result.heldBy}, lease until ${until})`);
    return null;
  };
}
