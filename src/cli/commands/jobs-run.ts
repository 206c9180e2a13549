import { type CliCommand, CliUsageError, stringFlag } from '../types.js';

const JOBS = ['all', 'sweep', 'nightly', 'xapi'] as const;
type Job = (typeof JOBS)[number];

export const command: CliCommand = {
  name: 'jobs:run',
  usage:
    'jobs:run [--now <ISO date>] [--job all|sweep|nightly|xapi]   run the scheduled jobs once as if at that time:\n' +
    '      sweep = refresher sweep (states, new cycles, reminders, report summaries);\n' +
    '      nightly = clause report, item statistics, new-hire catch-up, session clean-up, weekly digest (once per UTC day);\n' +
    '      xapi = send the xAPI statements due to the LRS (when the admin has turned it on);\n' +
    '      all (default) = the sweep, then the nightly job, then the xAPI sender',
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
    if (job === 'all' || job === 'sweep') print('Sweep', await runSweep({ now }));
    if (job === 'all' || job === 'nightly') {
      const report = await runNightly({ now });
      print('Nightly job', report);
      if (!report.ran) ctx.out(`  (already done for ${report.day}: it runs once per UTC day)`);
    }
    if (job === 'all' || job === 'xapi') {
      const report = await ctx.services.xapi.sendXapiBatch({ now });
      print('xAPI sender', report);
      if (report.busy) ctx.out('  (another xAPI sender is running, e.g. the scheduler: it sends these)');
      else if (!report.ran) ctx.out('  (sending to an LRS is off: /admin/xapi)');
    }
    return 0;
  },
};
