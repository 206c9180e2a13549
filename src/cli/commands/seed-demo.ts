import { usersRepository } from '../../db/repositories/users.js';
import { demoLoginLines, seedDemo } from '../../services/demo/seed.js';
import type { CliCommand } from '../types.js';

export const command: CliCommand = {
  name: 'seed:demo',
  usage: 'seed:demo   create the demo organisation (only into an empty database)',
  async run(ctx) {
    const created = await seedDemo(usersRepository(ctx.db.models), ctx.clock.now());
    ctx.out(
      created ? 'Created the demo organisation.' : 'The database already has people; nothing was changed.',
    );
    for (const line of demoLoginLines()) ctx.out(line);
    return 0;
  },
};
