import { checkContent, defaultCoursesDir } from '../../content/index.js';
import { printI18nReport, runI18nCheck } from '../../i18n/check/index.js';
import type { CliCommand } from '../types.js';

export const command: CliCommand = {
  name: 'content:check',
  usage:
    'content:check [dir]   validate every course under courses/ (or dir): schema, bank linter, ' +
    'coverage and the blind-guesser table; fails on any problem, as the server start does; then the ' +
    'interface catalogues and English left in templates and code (i18n:check lists it)',
  needsDatabase: false,
  needsCourses: false,
  async run(ctx, args) {
    const coursesOk = await checkContent(args.positionals[0] ?? defaultCoursesDir, ctx.out);
    const messagesOk = printI18nReport(runI18nCheck(), ctx.out, {
      detailed: false,
      // Every area is translated: person-visible English left in a template or in code is a failure.
      englishFails: true,
    });
    return coursesOk && messagesOk ? 0 : 1;
  },
};
