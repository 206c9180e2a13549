import { type CliCommand, CliUsageError, stringFlag } from '../types.js';

const JOBS = ['all', 'sweep', 'nightly'] as const;
type Job = (typeof JOBS)[number];

export const command: CliCommand = {
  name: 'jobs:run',
  usage:
    'jobs:run [--now <ISO date>] [--job all|sweep|nightly]   run the scheduled jobs once as if at that time:\n' +
    '      sweep = refresher sweep (states, new cycles, reminders, report summaries);\n' +
    '      nightly = clause report, item statistics, new-hire catch-up, session clean-up, weekly digest (once per UTC day);\n' +
    '      all (default) = the sweep, then the nightly job',
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
    if (job !== 'nightly') print('Sweep', await runSweep({ now }));
    if (job !== 'sweep') {
      const report = await runNightly({ now });
      print('Nightly job', report);
      if (!report.ran) ctx.out(`  (already done for ${report.day}: it runs once per UTC day)`);
    }
    return 0;
  },
};
