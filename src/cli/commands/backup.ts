import path from 'node:path';
import { DomainError } from '../../domain/errors.js';
import type { CliCommand } from '../types.js';
import { requireFlag } from '../types.js';

/** One line per collection: its name and count, aligned. */
export function countLines(counts: Array<{ name: string; count: number }>): string[] {
  const width = Math.max(...counts.map((c) => c.name.length), 10);
  return counts.map((c) => `  ${c.name.padEnd(width)} ${c.count}`);
}

export const command: CliCommand = {
  name: 'backup',
  usage:
    'backup --out <file.tar.gz>\n' +
    '      write every collection (BSON, one tar entry each, gzip) and a manifest of counts, indexes\n' +
    '      and SHA-256 checksums; streamed, so memory stays flat; restore it with `restore`',
  needsCourses: false,
  async run(ctx, args) {
    const file = path.resolve(requireFlag(args, 'out'));
    const started = Date.now();
    try {
      const manifest = await ctx.services.backup.backup({ file, now: ctx.clock.now() });
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
