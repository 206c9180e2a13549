import { existsSync } from 'node:fs';
import path from 'node:path';
import { DomainError } from '../../domain/errors.js';
import { ledgerFile } from '../../services/operations/backup/index.js';
import type { CliCommand } from '../types.js';
import { CliUsageError } from '../types.js';
import { countLines } from './backup.js';

export const command: CliCommand = {
  name: 'restore',
  usage:
    'restore <file.tar.gz> [--replace] [--erasures <ledger.jsonl>]\n' +
    '      check every checksum of a `backup` archive, then restore it into an empty database (with the\n' +
    '      app stopped); --replace drops the collections of a database that holds documents first.\n' +
    '      Everyone erased since the archive was written (by the current database, the erasure ledger\n' +
    '      DATA_DIR/erasures/<DB_NAME>.jsonl and --erasures) is erased again',
  needsCourses: false,
  async run(ctx, args) {
    const [given, ...extra] = args.positionals;
    if (!given || extra.length > 0)
      throw new CliUsageError('restore takes one archive: restore <file.tar.gz>');
    const file = path.resolve(given);
    const more = args.flags.erasures;
    if (typeof more === 'boolean')
      throw new CliUsageError('--erasures takes a file: --erasures <ledger.jsonl>');
    // A ledger that is not there would silently erase no one: name the mistake instead.
    if (more !== undefined && !existsSync(more))
      throw new CliUsageError(`--erasures: there is no file ${more}`);
    try {
      const report = await ctx.services.backup.restore({
        file,
        replace: args.flags.replace === true,
        ledger: ledgerFile(ctx.config.DATA_DIR, ctx.config.DB_NAME),
        moreLedgers: more === undefined ? [] : [path.resolve(more)],
        now: ctx.clock.now(),
      });
      const wrong = report.counts.filter((c) => c.restored !== c.expected);
      const total = report.counts.reduce((n, c) => n + c.restored, 0);
      const { createdAt, appVersion } = report.manifest;
      ctx.out(`Restored ${total} documents in ${report.counts.length} collections from ${file}`);
      ctx.out(`(backed up at ${createdAt} by version ${appVersion})`);
      for (const line of countLines(report.counts.map((c) => ({ name: c.name, count: c.restored }))))
        ctx.out(line);
      if (report.erasedAgain.length > 0)
        ctx.out(
          `ERASED AGAIN: ${report.erasedAgain.length} ${report.erasedAgain.length === 1 ? 'person' : 'people'} ` +
            'in the archive had been erased since it was written (erasure ledger); their personal data is ' +
            `removed again: ${report.erasedAgain.join(', ')}`,
        );
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
