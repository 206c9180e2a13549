import { checkContent, defaultCoursesDir } from '../../content/index.js';
import type { CliCommand } from '../types.js';

export const command: CliCommand = {
  name: 'content:check',
  usage:
    'content:check [dir]   validate every course under courses/ (or dir): schema, bank linter, ' +
    'coverage and the blind-guesser table; fails on any problem, as the server start does',
  needsDatabase: false,
  needsCourses: false,
  async run(ctx, args) {
    return (await checkContent(args.positionals[0] ?? defaultCoursesDir, ctx.out)) ? 0 : 1;
  },
};
