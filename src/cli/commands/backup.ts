import path from 'node:path';
import { DomainError } from '../../domain/errors.js';
import { ledgerFile } from '../../services/operations/backup/index.js';
import type { CliCommand } from '../types.js';
import { requireFlag } from '../types.js';

/** One line per collection holding documents (its name and count, aligned), then how many are empty. */
export function countLines(counts: Array<{ name: string; count: number }>): string[] {
  const full = counts.filter((c) => c.count > 0);
  const width = Math.max(...full.map((c) => c.name.length), 10);
  const lines = full.map((c) => `  ${c.name.padEnd(width)} ${c.count}`);
  const empty = counts.length - full.length;
  if (empty > 0) lines.push(`  and ${empty} empty collection${empty === 1 ? '' : 's'}`);
  return lines;
}

export const command: CliCommand = {
  name: 'backup',
  usage:
    'backup --out <file.tar.gz>\n' +
    '      write every collection (BSON, one tar entry each, gzip) and a manifest of counts, indexes\n' +
    '      and SHA-256 checksums; streamed, so memory stays flat; restore it with `restore`. The archive\n' +
    '      is readable by its owner only (0600); the erasures go to DATA_DIR/erasures/<DB_NAME>.jsonl',
  needsCourses: false,
  async run(ctx, args) {
    const file = path.resolve(requireFlag(args, 'out'));
    const started = Date.now();
    try {
      const manifest = await ctx.services.backup.backup({
        file,
        ledger: ledgerFile(ctx.config.DATA_DIR, ctx.config.DB_NAME),
        now: ctx.clock.now(),
      });
      const total = manifest.collections.reduce((n, c) => n + c.count, 0);
      ctx.out(`Backed up ${total} documents in ${manifest.collections.length} collections to ${file}`);
      for (const line of countLines(manifest.collections)) ctx.out(line);
      ctx.out(`Took ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      return 0;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      ctx.out(err.message);
      return 1;
    }
  },
};
