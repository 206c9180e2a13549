import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { command as backupCommand } from '../../src/cli/commands/backup.js';
import { command as restoreCommand } from '../../src/cli/commands/restore.js';
import { parseArgs } from '../../src/cli/parse-args.js';
import type { TestApp } from '../helpers/app.js';
import { cliContext } from '../helpers/cli.js';

/** Runs `npm run lms -- backup|restore ...` on a test app; the exit code and the printed lines. */
export async function runLms(
  t: TestApp,
  name: 'backup' | 'restore',
  argv: string[],
): Promise<{ code: number; lines: string[] }> {
  const { ctx, lines } = cliContext(t);
  const command = name === 'backup' ? backupCommand : restoreCommand;
  const code = await command.run(ctx, parseArgs(argv));
  return { code, lines };
}

/**
 * Copies an archive entry by entry (a valid gzip and tar), letting `change` rewrite one entry's
 * bytes: a corruption the checksums must catch, since neither gzip nor tar would notice it.
 */
export async function rewriteArchive(
  from: string,
  to: string,
  change: (name: string, bytes: Buffer) => Buffer,
): Promise<void> {
  const pack = tar.pack();
  const written = pipeline(pack, createGzip(), createWriteStream(to));
  const extract = tar.extract();
  const reading = pipeline(createReadStream(from), createGunzip(), extract);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    const bytes = change(entry.header.name, Buffer.concat(chunks));
    pack.entry({ name: entry.header.name, size: bytes.length }, bytes);
  }
  await reading;
  pack.finalize();
  await written;
}
