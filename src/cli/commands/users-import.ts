import { readFile, stat } from 'node:fs/promises';
import { MAX_IMPORT_BYTES } from '../../domain/people-csv.js';
import { applyImport, CsvFormatError, previewImport } from '../../services/people/import.js';
import { type CliCommand, CliUsageError } from '../types.js';

export const command: CliCommand = {
  name: 'users:import',
  usage: 'users:import <file.csv> [--apply] [--deactivate-missing]   preview (default) or apply a people CSV',
  async run(ctx, args) {
    const file = args.positionals[0];
    if (!file) throw new CliUsageError('give the CSV file to import');
    const size = (await stat(file).catch(() => null))?.size;
    if (size === undefined) throw new CliUsageError(`cannot read ${file}`);
    if (size > MAX_IMPORT_BYTES) {
      ctx.out(`The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Split it into smaller files.`);
      return 1;
    }
    const now = ctx.clock.now();
    let preview: Awaited<ReturnType<typeof previewImport>>;
    try {
      preview = await previewImport(
        ctx.db.models,
        {
          csv: await readFile(file, 'utf8'),
          fileName: file,
          deactivateMissing: args.flags['deactivate-missing'] === true,
          actorId: 'cli',
        },
        now,
      );
    } catch (err) {
      if (!(err instanceof CsvFormatError)) throw err;
      ctx.out(`Nothing imported: ${err.message}`);
      return 1;
    }
    const creates = preview.changes.filter((c) => c.action === 'create').length;
    ctx.out(`Preview of ${file}:`);
    ctx.out(`  create      ${creates}`);
    ctx.out(`  update      ${preview.changes.length - creates}`);
    ctx.out(`  unchanged   ${preview.unchanged}`);
    ctx.out(`  deactivate  ${preview.deactivate.length}`);
    ctx.out(`  rejected    ${preview.rejected.length}`);
    for (const r of preview.rejected.slice(0, 50))
      ctx.out(`    line ${r.line} ${r.email}: ${r.reasons.join(' ')}`);
    if (preview.rejected.length > 50) ctx.out(`    … and ${preview.rejected.length - 50} more`);
    if (args.flags.apply !== true) {
      ctx.out('Dry run only: add --apply to write these changes.');
      return 0;
    }
    const result = await applyImport(
      { models: ctx.db.models, audit: ctx.audit, courses: ctx.courses, courseIds: [...ctx.courses.keys()] },
      preview,
      'cli',
      now,
    );
    ctx.out(
      `Applied: ${result.created} created, ${result.updated} updated, ${result.deactivated} deactivated.`,
    );
    for (const f of result.failed) ctx.out(`  not applied: line ${f.line} ${f.email}: ${f.reason}`);
    return result.failed.length ? 1 : 0;
  },
};
