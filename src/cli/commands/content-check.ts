import { checkContent, defaultCoursesDir } from '../../content/index.js';
import { ENGLISH_LEFT_FAILS_CONTENT_CHECK, printI18nReport, runI18nCheck } from '../../i18n/check/index.js';
import type { CliCommand } from '../types.js';

export const command: CliCommand = {
  name: 'content:check',
  usage:
    'content:check [dir]   validate every course under courses/ (or dir): schema, bank linter, ' +
    'coverage and the blind-guesser table; fails on any problem, as the server start does; then the ' +
    'interface catalogues (i18n:check without the list of English left)',
  needsDatabase: false,
  needsCourses: false,
  async run(ctx, args) {
    const coursesOk = await checkContent(args.positionals[0] ?? defaultCoursesDir, ctx.out);
    const messagesOk = printI18nReport(runI18nCheck(), ctx.out, {
      detailed: false,
      englishFails: ENGLISH_LEFT_FAILS_CONTENT_CHECK,
    });
    return coursesOk && messagesOk ? 0 : 1;
  },
};
