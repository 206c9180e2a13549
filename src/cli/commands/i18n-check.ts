import { printI18nReport, runI18nCheck } from '../../i18n/check/index.js';
import type { CliCommand } from '../types.js';

export const command: CliCommand = {
  name: 'i18n:check',
  usage:
    'i18n:check [paths…]   list every person-visible English string left in views/*.eta and in ' +
    'route/service/domain/mail code (or in the given files and folders) with file:line, and check the ' +
    'interface catalogues (every English key in every language, same ICU arguments, valid ICU, every ' +
    'key used exists); fails on any finding',
  needsDatabase: false,
  needsCourses: false,
  async run(ctx, args) {
    const report = runI18nCheck({ paths: args.positionals });
    return printI18nReport(report, ctx.out, { detailed: true, englishFails: true }) ? 0 : 1;
  },
};
