import { readFile, stat } from 'node:fs/promises';
import type { RowReason } from '../../domain/people-csv.js';
import { MAX_IMPORT_BYTES } from '../../domain/people-csv.js';
import { translator } from '../../i18n/translator.js';
import { wordMessage } from '../../i18n/words.js';
import { CsvFormatError, CsvUnreadableError } from '../../services/people/import.js';
import { type CliArgs, type CliCommand, type CliContext, CliUsageError } from '../types.js';

/** The CLI speaks English (an operator's tool): a row's reason worded from its catalogue key. */
const ENGLISH = translator('en');
const inEnglish = (r: RowReason | string) =>
  typeof r === 'string' ? r : wordMessage(ENGLISH, r.key, r.values);

/** Previews the file, prints the preview, and applies it when asked. Returns the exit code. */
async function importFile(cli: CliContext, file: string, args: CliArgs): Promise<number> {
  const now = cli.clock.now();
  const people = cli.services.people;
  let preview: Awaited<ReturnType<typeof people.previewImport>>;
  try {
    preview = await people.previewImport({
      csv: await readFile(file, 'utf8'),
      fileName: file,
      deactivateMissing: args.flags['deactivate-missing'] === true,
      actorId: 'cli',
      now,
    });
  } catch (err) {
    if (!(err instanceof CsvFormatError)) throw err;
    // The parser's own words say more to an operator than the page's catalogue message.
    const why = err instanceof CsvUnreadableError ? err.detail : wordMessage(ENGLISH, err.key, err.values);
    cli.out(`Nothing imported: ${why}`);
    return 1;
  }
  const creates = preview.changes.filter((c) => c.action === 'create').length;
  cli.out(`Preview of ${file}:`);
  cli.out(`  create      ${creates}`);
  cli.out(`  update      ${preview.changes.length - creates}`);
  cli.out(`  unchanged   ${preview.unchanged}`);
  cli.out(`  deactivate  ${preview.deactivate.length}`);
  cli.out(`  rejected    ${preview.rejected.length}`);
  for (const r of preview.rejected.slice(0, 50))
    cli.out(`    line ${r.line} ${r.email}: ${r.reasons.map(inEnglish).join(' ')}`);
  if (preview.rejected.length > 50) cli.out(`    … and ${preview.rejected.length - 50} more`);
  if (args.flags.apply !== true) {
    cli.out('Dry run only: add --apply to write these changes.');
    return 0;
  }
  const { result } = await people.applyImport({ previewId: preview._id, actorId: 'cli', now });
  cli.out(
    `Applied: ${result.created} created, ${result.updated} updated, ${result.deactivated} deactivated.`,
  );
  for (const f of result.failed)
    cli.out(`  not applied: line ${f.line} ${f.email}: ${ENGLISH.t(f.reason.key, f.reason.values)}`);
  return result.failed.length ? 1 : 0;
}

export const command: CliCommand = {
  name: 'users:import',
  usage: 'users:import <file.csv> [--apply] [--deactivate-missing]   preview (default) or apply a people CSV',
  async run(ctx, args) {
    const file = args.positionals[0];
    if (!file) throw new CliUsageError('give the CSV file to import');
    const size = (await stat(file).catch(() => null))?.size;
    if (size === undefined) throw new CliUsageError(`cannot read ${file}`);
    if (size > MAX_IMPORT_BYTES) {
      ctx.out(ENGLISH.t('people.import.file.tooLarge', { mb: MAX_IMPORT_BYTES / 1024 / 1024 }));
      return 1;
    }
    return importFile(ctx, file, args);
  },
};
