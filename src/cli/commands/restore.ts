import path from 'node:path';
import { DomainError } from '../../domain/errors.js';
import type { CliCommand } from '../types.js';
import { CliUsageError } from '../types.js';
import { countLines } from './backup.js';

export const command: CliCommand = {
  name: 'restore',
  usage:
    'restore <file.tar.gz> [--replace]\n' +
    '      check every checksum of a `backup` archive, then restore it into an empty database (with the\n' +
    '      app stopped); --replace drops the collections of a database that holds documents first',
  needsCourses: false,
  async run(ctx, args) {
    const [given, ...extra] = args.positionals;
    if (!given || extra.length > 0)
      throw new CliUsageError('restore takes one archive: restore <file.tar.gz>');
    const file = path.resolve(given);
    try {
      const report = await ctx.services.backup.restore({ file, replace: args.flags.replace === true });
      const wrong = report.counts.filter((c) => c.restored !== c.expected);
      const total = report.counts.reduce((n, c) => n + c.restored, 0);
      const { createdAt, appVersion } = report.manifest;
      ctx.out(`Restored ${total} documents in ${report.counts.length} collections from ${file}`);
      ctx.out(`(backed up at ${createdAt} by version ${appVersion})`);
      for (const line of countLines(report.counts.map((c) => ({ name: c.name, count: c.restored }))))
        ctx.out(line);
      for (const c of wrong)
        ctx.out(`MISMATCH: ${c.name} has ${c.restored} documents, the archive ${c.expected}`);
      return wrong.length === 0 ? 0 : 1;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      ctx.out(err.message);
      return 1;
    }
  },
};
