import { checkContent, defaultCoursesDir } from '../../content/index.js';
import type { CliCommand } from '../types.js';

export const command: CliCommand = {
  name: 'content:check',
  usage:
    'content:check [dir] [--strict]   validate every course under courses/ (or dir): schema, bank linter, ' +
    'coverage and the blind-guesser table (--strict: fail on the quality checks even where the loader only reports them)',
  needsDatabase: false,
  needsCourses: false,
  async run(ctx, args) {
    // `--strict dir` reads as a flag with a value: the value is the folder.
    const flag = args.flags.strict;
    const dir = args.positionals[0] ?? (typeof flag === 'string' ? flag : defaultCoursesDir);
    const options = flag === undefined ? {} : { strict: true };
    return (await checkContent(dir, ctx.out, options)) ? 0 : 1;
  },
};
