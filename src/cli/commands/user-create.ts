import { createInterface } from 'node:readline/promises';
import { DuplicateUserError, usersRepository } from '../../db/repositories/users.js';
import { ROLES, type Role } from '../../domain/roles.js';
import { hashPassword } from '../../services/passwords.js';
import { type CliCommand, CliUsageError, requireFlag, stringFlag } from '../types.js';

const MIN_PASSWORD = 12;

async function promptPassword(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return await rl.question('Password: ');
  } finally {
    rl.close();
  }
}

export const command: CliCommand = {
  name: 'user:create',
  usage:
    'user:create --email <email> --name "<name>" --role employee|hr|admin [--department <d>]  (password prompted, or piped on stdin)',
  async run(ctx, args) {
    const email = requireFlag(args, 'email');
    const name = requireFlag(args, 'name');
    const role = requireFlag(args, 'role') as Role;
    if (!ROLES.includes(role)) throw new CliUsageError(`--role must be one of ${ROLES.join(', ')}`);
    const password = (process.stdin.isTTY ? await promptPassword() : await ctx.readStdin()).replace(
      /\r?\n$/,
      '',
    );
    if (password.length < MIN_PASSWORD)
      throw new CliUsageError(`the password must have at least ${MIN_PASSWORD} characters`);
    try {
      const user = await usersRepository(ctx.db.models).insert({
        email,
        name,
        role,
        department: stringFlag(args, 'department') ?? '',
        active: true,
        locale: 'en',
        managerId: null,
        hireDate: null,
        passwordHash: await hashPassword(password),
      });
      await ctx.audit.append(
        {
          actorId: null,
          action: 'user.created',
          targetType: 'user',
          targetId: user._id,
          subjectId: user._id,
          details: { role, via: 'cli' },
        },
        ctx.clock.now(),
      );
      ctx.out(`Created ${role} ${user.email} (${user._id})`);
      return 0;
    } catch (err) {
      if (err instanceof DuplicateUserError) throw new CliUsageError(err.message);
      throw err;
    }
  },
};
