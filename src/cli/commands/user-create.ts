import { createInterface } from 'node:readline/promises';
import { DuplicateUserError } from '../../db/repositories/users.js';
import { isValidEmail, normaliseEmail, ROLES, type Role } from '../../domain/roles.js';
import { translator } from '../../i18n/translator.js';
import { hashPassword, newPasswordProblem } from '../../services/identity/passwords.js';
import { type CliCommand, CliUsageError, requireFlag, stringFlag } from '../types.js';

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
    const email = normaliseEmail(requireFlag(args, 'email'));
    if (!isValidEmail(email))
      throw new CliUsageError(`--email "${email.slice(0, 80)}" is not a valid e-mail address`);
    const name = requireFlag(args, 'name').trim();
    if (!name) throw new CliUsageError('--name is required');
    const role = requireFlag(args, 'role') as Role;
    if (!ROLES.includes(role)) throw new CliUsageError(`--role must be one of ${ROLES.join(', ')}`);
    const password = (process.stdin.isTTY ? await promptPassword() : await ctx.readStdin()).replace(
      /\r?\n$/,
      '',
    );
    // NIST SP 800-63B: length in code points, not only spaces, not common or breached, not the e-mail.
    const problem = await newPasswordProblem(password, email);
    // The command line speaks English (the operator's tool); the rule's message is the catalogue's.
    if (problem) throw new CliUsageError(translator('en').t(problem.key, problem.values));
    try {
      const passwordHash = await hashPassword(password);
      // Through the people service, as HR's form does: audited as person.created (via the CLI).
      const user = await ctx.services.people.createPerson({
        person: {
          email,
          name,
          role,
          employeeId: null,
          department: stringFlag(args, 'department') ?? '',
          active: true,
          locale: '',
          managerId: null,
          hireDate: null,
          passwordHash,
        },
        actorId: null,
        via: 'cli',
        now: ctx.clock.now(),
      });
      ctx.out(`Created ${role} ${user.email} (${user._id})`);
      return 0;
    } catch (err) {
      if (err instanceof DuplicateUserError) throw new CliUsageError(err.message);
      throw err;
    }
  },
};
