import { demoLoginLines } from '../../services/demo/index.js';
import type { CliCommand } from '../types.js';

export const command: CliCommand = {
  name: 'seed:demo',
  usage: 'seed:demo   create the demo organisation (only into an empty database)',
  async run(ctx) {
    const created = await ctx.services.demo.seedDemo({ now: ctx.clock.now() });
    ctx.out(
      created ? 'Created the demo organisation.' : 'The database already has people; nothing was changed.',
    );
    for (const line of demoLoginLines()) ctx.out(line);
    return 0;
  },
};
