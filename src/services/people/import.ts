import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { FeedBatch } from '../../db/feed-batch.js';
import type { ImportPreviewDoc } from '../../db/models/hr.js';
import type { Models } from '../../db/models/index.js';
import type { UserDoc } from '../../db/models/user.js';
import { DuplicateUserError, newUserId } from '../../db/repositories/users.js';
import { Conflict, type ErrorValues, NotFound } from '../../domain/errors.js';
import { keyWords, type WordValues } from '../../domain/i18n/words.js';
import {
  type Column,
  CsvFormatError,
  type ExistingPerson,
  type ImportPlan,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  mapHeader,
  planImport,
} from '../../domain/people-csv.js';
import { inPool } from '../../domain/pool.js';
import type { ServiceContext } from '../context.js';
import { currentProfile } from '../organisation/profile.js';
import {
  applyRulesToPeople,
  changePerson,
  insertPerson,
  type PeopleContext,
  personErasedReason,
} from './people.js';

export { CsvFormatError };

/**
 * The CSV parser refused the text. Its own words (`detail`) stay English, for the command line;
 * the page shows the catalogue's, with the line it stopped at as data.
 */
export class CsvUnreadableError extends CsvFormatError {
  constructor(
    readonly detail: string,
    readonly line?: number,
  ) {
    super(
      line ? 'people.import.errors.unreadableAt' : 'people.import.errors.unreadableCsv',
      line ? { line: String(line) } : undefined,
    );
  }
}

/**
 * Parses the CSV text into rows keyed by column. Everything that makes the whole file unusable
 * (too big, too many rows, broken quoting, a bad header) is one clear error and nothing is stored.
 */
export function parsePeopleCsv(
  text: string,
): Array<{ line: number; cells: Partial<Record<Column, string>> }> {
  if (Buffer.byteLength(text, 'utf8') > MAX_IMPORT_BYTES)
    throw new CsvFormatError('people.import.file.tooLarge', { mb: MAX_IMPORT_BYTES / 1024 / 1024 });
  if (text.includes('\u0000')) throw new CsvFormatError('people.import.file.binary');
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
      max_record_size: 10_000,
      to_line: MAX_IMPORT_ROWS + 2,
      info: true,
      trim: false,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    const where = e.lines ? ` near line ${e.lines}` : '';
    // i18n-ignore: the parser's English, for the command line; the page words err.key instead
    throw new CsvUnreadableError(
      `The CSV could not be read${where}: ${String(e.message ?? 'invalid format').slice(0, 200)}`,
      e.lines,
    );
  }
  if (records.length === 0) throw new CsvFormatError('people.import.file.empty');
  if (records.length - 1 > MAX_IMPORT_ROWS)
    throw new CsvFormatError('people.import.file.tooManyRows', { rows: MAX_IMPORT_ROWS });
  const [header, ...data] = records;
  const columns = mapHeader(header!.record);
  if (data.length === 0) throw new CsvFormatError('people.import.file.noPeople');
  return data.map(({ record, info }) => {
    const cells: Partial<Record<Column, string>> = {};
    columns.forEach((c, i) => {
      cells[c] = record[i] ?? '';
    });
    return { line: info.lines, cells };
  });
}

async function existingPeople(models: Models): Promise<ExistingPerson[]> {
  const out: ExistingPerson[] = [];
  const cursor = models.User.find(
    {},
    {
      email: 1,
      name: 1,
      employeeId: 1,
      department: 1,
      managerId: 1,
      hireDate: 1,
      locale: 1,
      active: 1,
      role: 1,
      region: 1,
    },
  )
    .lean<ExistingPerson>()
    .cursor({ batchSize: 2000 });
  for await (const p of cursor) out.push(p as ExistingPerson);
  return out;
}

/**
 * A row that would change an erased person is rejected: writing a name or e-mail back would undo
 * the erasure (changePerson refuses it too, should someone be erased between preview and apply).
 */
async function refuseErasedPeople(models: Models, plan: ImportPlan): Promise<ImportPlan> {
  const ids = [...plan.changes, ...plan.deactivate].map((c) => c.userId);
  if (!ids.length) return plan;
  const erased = new Map(
    (
      await models.User.find({ _id: { $in: ids }, erasedAt: { $ne: null } }, { erasedAt: 1 }).lean<
        Pick<UserDoc, '_id' | 'erasedAt'>[]
      >()
    ).map((u) => [u._id, u.erasedAt as Date]),
  );
  if (!erased.size) return plan;
  const rejected = [...plan.rejected];
  const changes = plan.changes.filter((c) => {
    const at = erased.get(c.userId);
    if (at) rejected.push({ line: c.line, email: c.person.email, reasons: [personErasedReason(at)] });
    return !at;
  });
  rejected.sort((a, b) => a.line - b.line);
  return { ...plan, changes, rejected, deactivate: plan.deactivate.filter((d) => !erased.has(d.userId)) };
}

/**
 * The dry run: parses and validates the whole file, compares it with the people we have, and
 * stores the plan under a random id, so "apply" writes exactly what HR saw. Throws CsvFormatError
 * when the file as a whole is unusable.
 */
export async function previewImport(
  ctx: Pick<ServiceContext, 'models'>,
  input: { csv: string; fileName: string; deactivateMissing: boolean; actorId: string; now: Date },
): Promise<ImportPreviewDoc> {
  const rows = parsePeopleCsv(input.csv);
  const [existing, profile] = await Promise.all([existingPeople(ctx.models), currentProfile(ctx)]);
  const plan = await refuseErasedPeople(
    ctx.models,
    planImport(rows, existing, {
      deactivateMissing: input.deactivateMissing,
      newId: newUserId,
      // A region column accepts only the regions the organisation profile enables.
      regions: profile.regions,
    }),
  );
  const doc: ImportPreviewDoc = {
    _id: randomBytes(16).toString('hex'),
    createdBy: input.actorId,
    createdAt: input.now,
    fileName: input.fileName.slice(0, 200),
    deactivateMissing: input.deactivateMissing,
    ...plan,
    appliedAt: null,
  };
  await ctx.models.ImportPreview.create(doc);
  return doc;
}

/** Why a pasted CSV was refused: a catalogue key and its values (domain/i18n/words.ts). */
export interface PastedCsvError {
  field: 'csv';
  message: string;
  values?: WordValues;
}

/** Pasted CSV longer than this is not shown again with an error. */
const ECHOED_CSV_CHARS = 200_000;

/**
 * HR's pasted CSV: the id of the stored preview, or the error to show with what to put back in
 * the form (nothing is stored then).
 */
export async function previewPastedImport(
  ctx: Pick<ServiceContext, 'models'>,
  input: { csv: string; fileName?: string; deactivateMissing: boolean; actorId: string; now: Date },
): Promise<{ previewId: string } | { errors: PastedCsvError[]; csv: string }> {
  if (!input.csv.trim())
    return { errors: [{ field: 'csv', message: 'people.import.errors.empty' }], csv: '' };
  try {
    const preview = await previewImport(ctx, { ...input, fileName: input.fileName ?? 'pasted CSV' });
    return { previewId: preview._id };
  } catch (err) {
    if (!(err instanceof CsvFormatError)) throw err;
    return {
      errors: [unreadable(err)],
      csv: input.csv.length <= ECHOED_CSV_CHARS ? input.csv : '',
    };
  }
}

/**
 * Why the pasted CSV was refused, worded by the page: the parser's refusal is a message of its own,
 * the file's own checks a reason after "Nothing was imported."
 */
function unreadable(err: CsvFormatError): PastedCsvError {
  if (err instanceof CsvUnreadableError)
    return { field: 'csv', message: err.key, ...(err.values ? { values: err.values } : {}) };
  return {
    field: 'csv',
    message: 'people.import.errors.unreadable',
    values: { reason: keyWords(err.key, err.values) },
  };
}

async function findPreview(models: Models, id: string): Promise<ImportPreviewDoc> {
  const preview = await models.ImportPreview.findById(id).lean<ImportPreviewDoc>();
  if (!preview) throw new NotFound('people.import.errors.noPreview');
  return preview;
}

/** Rows of each kind the preview page lists (the counts cover all of them). */
export const PREVIEW_ROWS_SHOWN = 200;

/** A stored preview as its page shows it: the counts, and the first rows of each kind. */
export async function importPreview(ctx: Pick<ServiceContext, 'models'>, input: { previewId: string }) {
  const preview = await findPreview(ctx.models, input.previewId);
  const creates = preview.changes.filter((c) => c.action === 'create');
  const updates = preview.changes.filter((c) => c.action === 'update');
  return {
    preview,
    counts: {
      create: creates.length,
      update: updates.length,
      unchanged: preview.unchanged,
      rejected: preview.rejected.length,
      deactivate: preview.deactivate.length,
    },
    creates: creates.slice(0, PREVIEW_ROWS_SHOWN),
    updates: updates.slice(0, PREVIEW_ROWS_SHOWN),
    rejected: preview.rejected.slice(0, PREVIEW_ROWS_SHOWN),
    deactivate: preview.deactivate.slice(0, PREVIEW_ROWS_SHOWN),
    shown: PREVIEW_ROWS_SHOWN,
  };
}

export interface ApplyResult {
  created: number;
  updated: number;
  deactivated: number;
  /** Rows refused at apply time, each with its reason as a catalogue key and values. */
  failed: Array<{ line: number; email: string; reason: { key: string; values?: ErrorValues } }>;
}

/**
 * Applies a stored preview. Every row is idempotent (creates use the id chosen at preview time, updates
 * set absolute values), so applying twice, or retrying after a crash, finishes the job without
 * duplicates. A row that can no longer be applied (someone took the email since) is reported.
 * One `people.imported` event audits the whole import (no event per person).
 */
export async function applyImport(
  ctx: PeopleContext,
  input: { previewId: string; actorId: string; now: Date },
): Promise<{ preview: ImportPreviewDoc; result: ApplyResult }> {
  const { actorId, now } = input;
  const preview = await findPreview(ctx.models, input.previewId);
  const result: ApplyResult = { created: 0, updated: 0, deactivated: 0, failed: [] };
  // One change-feed entry for the whole import, not one per row (written even if a row fails midway).
  const batch = new FeedBatch(ctx.models);
  let updated: Map<string, UserDoc>;
  try {
    await applyCreates(ctx.models, preview, result, batch);
    updated = await applyUpdates(ctx, preview, result, { actorId, now, batch });
  } finally {
    await batch.flush();
  }
  // Assignment rules catch new and moved people now rather than at the next daily pass. An updated
  // person as stored after the update: a file without the region column kept their region, and
  // their new assignments copy it.
  await applyRulesToPeople(
    ctx,
    preview.changes.map((c) => updated.get(c.userId) ?? { _id: c.userId, ...c.person }),
    now,
  );
  await ctx.models.ImportPreview.updateOne({ _id: preview._id }, { $set: { appliedAt: now } });
  await ctx.audit.append(
    {
      actorId,
      action: 'people.imported',
      targetType: 'import',
      targetId: preview._id,
      details: {
        fileName: preview.fileName,
        created: result.created,
        updated: result.updated,
        deactivated: result.deactivated,
        unchanged: preview.unchanged,
        rejected: preview.rejected.length,
        failed: result.failed.length,
      },
    },
    now,
  );
  return { preview, result };
}

/** Why a row could not be written, as a catalogue key (a Conflict's message already is one). */
function applyFailure(err: DuplicateUserError | Conflict): { key: string; values?: ErrorValues } {
  if (err instanceof DuplicateUserError) return { key: `people.form.errors.duplicate.${err.field}` };
  return { key: err.message, ...(err.values ? { values: err.values } : {}) };
}

/** Creates first, so reports' manager ids exist before anyone points at them. */
async function applyCreates(
  models: Models,
  preview: ImportPreviewDoc,
  result: ApplyResult,
  batch: FeedBatch,
): Promise<void> {
  const creates = preview.changes.filter((c) => c.action === 'create');
  await inPool(creates, 8, async (c) => {
    try {
      await insertPerson(models, { ...c.person, _id: c.userId }, batch);
      result.created += 1;
    } catch (err) {
      if (!(err instanceof DuplicateUserError)) throw err;
      if (await models.User.exists({ _id: c.userId })) return; // created by an earlier apply
      result.failed.push({ line: c.line, email: c.person.email, reason: applyFailure(err) });
    }
  });
}

/**
 * The updates, then the people missing from the file (when the preview deactivates them). Returns
 * the updated people as stored.
 */
async function applyUpdates(
  ctx: PeopleContext,
  preview: ImportPreviewDoc,
  result: ApplyResult,
  by: { actorId: string; now: Date; batch: FeedBatch },
): Promise<Map<string, UserDoc>> {
  const { actorId, now, batch } = by;
  const updated = new Map<string, UserDoc>();
  const updates = preview.changes.filter((c) => c.action === 'update');
  await inPool(updates, 8, async (c) => {
    const changes = Object.fromEntries(c.fields.map((f) => [f, c.person[f as keyof typeof c.person]]));
    try {
      const changed = await changePerson(ctx, { userId: c.userId, changes, actorId, now, batch });
      if (changed) updated.set(c.userId, changed.after);
      result.updated += 1;
    } catch (err) {
      if (!(err instanceof DuplicateUserError || err instanceof Conflict)) throw err;
      result.failed.push({ line: c.line, email: c.person.email, reason: applyFailure(err) });
    }
  });
  await inPool(preview.deactivate, 8, async (d) => {
    try {
      await changePerson(ctx, { userId: d.userId, changes: { active: false }, actorId, now, batch });
      result.deactivated += 1;
    } catch (err) {
      // Erased since the preview: already inactive, and left as the erasure left them.
      if (!(err instanceof Conflict)) throw err;
    }
  });
  return updated;
}
