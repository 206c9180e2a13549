import { createMailer } from '../../mail/transport.js';
import { runSweep } from '../../services/sweep.js';
import { type CliCommand, CliUsageError, stringFlag } from '../types.js';

export const command: CliCommand = {
  name: 'jobs:run',
  usage:
    'jobs:run [--now <ISO date>]   run one refresher sweep (states, new cycles, reminders) as if at that time',
  async run(ctx, args) {
    const at = stringFlag(args, 'now');
    const now = at ? new Date(at) : ctx.clock.now();
    if (Number.isNaN(now.getTime()))
      throw new CliUsageError(`--now "${at}" is not a date (use e.g. 2027-01-31T09:00:00Z)`);
    const mailer = createMailer(ctx.config, ctx.db.models);
    try {
      const report = await runSweep(
        {
          models: ctx.db.models,
          courses: ctx.courses,
          mailer,
          audit: ctx.audit,
          baseUrl: ctx.config.BASE_URL,
        },
        now,
      );
      ctx.out(`Sweep at ${now.toISOString()} (${mailer.kind === 'smtp' ? 'SMTP' : 'outbox'}):`);
      for (const [k, v] of Object.entries(report)) ctx.out(`  ${k.padEnd(22)} ${v}`);
      return 0;
    } finally {
      mailer.close();
    }
  },
};
