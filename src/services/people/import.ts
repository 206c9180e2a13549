import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { ImportPreviewDoc } from '../../db/models/hr.js';
import type { Models } from '../../db/models/index.js';
import { DuplicateUserError, newUserId } from '../../db/repositories/users.js';
import type { Course } from '../../domain/course.js';
import {
  type Column,
  CsvFormatError,
  type ExistingPerson,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  mapHeader,
  planImport,
} from '../../domain/people-csv.js';
import { inPool } from '../../domain/pool.js';
import { activeRules, applyRulesTo } from '../assignments/assignments.js';
import { createPerson, type PeopleDeps, updatePerson } from './people.js';

export type ImportDeps = PeopleDeps & { courses: Map<string, Course> };

export { CsvFormatError };

/**
 * Parses the CSV text into rows keyed by column. Everything that makes the whole file unusable
 * (too big, too many rows, broken quoting, a bad header) is one clear error and nothing is stored.
 */
export function parsePeopleCsv(
  text: string,
): Array<{ line: number; cells: Partial<Record<Column, string>> }> {
  if (Buffer.byteLength(text, 'utf8') > MAX_IMPORT_BYTES) {
    throw new CsvFormatError(
      `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Split it into smaller files.`,
    );
  }
  if (text.includes('\u0000'))
    throw new CsvFormatError('This is not a text CSV file (it contains binary data).');
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
    throw new CsvFormatError(
      `The CSV could not be read${where}: ${String(e.message ?? 'invalid format').slice(0, 200)}`,
    );
  }
  if (records.length === 0) throw new CsvFormatError('The file is empty.');
  if (records.length - 1 > MAX_IMPORT_ROWS) {
    throw new CsvFormatError(
      `The file has more than ${MAX_IMPORT_ROWS.toLocaleString('en')} rows. Split it into smaller files.`,
    );
  }
  const [header, ...data] = records;
  const columns = mapHeader(header!.record);
  if (data.length === 0) throw new CsvFormatError('The file has a header row but no people.');
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
    },
  )
    .lean<ExistingPerson>()
    .cursor({ batchSize: 2000 });
  for await (const p of cursor) out.push(p as ExistingPerson);
  return out;
}

/**
 * The dry run: parses and validates the whole file, compares it with the people we have, and
 * stores the plan under a random id, so "apply" writes exactly what HR saw.
 */
export async function previewImport(
  models: Models,
  input: { csv: string; fileName: string; deactivateMissing: boolean; actorId: string },
  now: Date,
): Promise<ImportPreviewDoc> {
  const rows = parsePeopleCsv(input.csv);
  const plan = planImport(rows, await existingPeople(models), {
    deactivateMissing: input.deactivateMissing,
    newId: newUserId,
  });
  const doc: ImportPreviewDoc = {
    _id: randomBytes(16).toString('hex'),
    createdBy: input.actorId,
    createdAt: now,
    fileName: input.fileName.slice(0, 200),
    deactivateMissing: input.deactivateMissing,
    ...plan,
    appliedAt: null,
  };
  await models.ImportPreview.create(doc);
  return doc;
}

export function findPreview(models: Models, id: string): Promise<ImportPreviewDoc | null> {
  return models.ImportPreview.findById(id).lean<ImportPreviewDoc>();
}

export interface ApplyResult {
  created: number;
  updated: number;
  deactivated: number;
  failed: Array<{ line: number; email: string; reason: string }>;
}

/**
 * Applies a stored preview. Every row is idempotent (creates use the id chosen at preview time, updates
 * set absolute values), so applying twice, or retrying after a crash, finishes the job without
 * duplicates. A row that can no longer be applied (someone took the email since) is reported.
 */
export async function applyImport(
  deps: ImportDeps,
  preview: ImportPreviewDoc,
  actorId: string,
  now: Date,
): Promise<ApplyResult> {
  const result: ApplyResult = { created: 0, updated: 0, deactivated: 0, failed: [] };
  // Creates first, so reports' manager ids exist before anyone points at them.
  const creates = preview.changes.filter((c) => c.action === 'create');
  const updates = preview.changes.filter((c) => c.action === 'update');
  await inPool(creates, 8, async (c) => {
    try {
      await createPerson(deps, { ...c.person, _id: c.userId }, actorId, now, { audit: false });
      result.created += 1;
    } catch (err) {
      if (!(err instanceof DuplicateUserError)) throw err;
      if (await deps.models.User.exists({ _id: c.userId })) return; // created by an earlier apply
      result.failed.push({ line: c.line, email: c.person.email, reason: err.message });
    }
  });
  await inPool(updates, 8, async (c) => {
    const fields = Object.fromEntries(c.fields.map((f) => [f, c.person[f as keyof typeof c.person]]));
    try {
      await updatePerson(deps, c.userId, fields, actorId, now, { audit: false });
      result.updated += 1;
    } catch (err) {
      if (!(err instanceof DuplicateUserError)) throw err;
      result.failed.push({ line: c.line, email: c.person.email, reason: err.message });
    }
  });
  await inPool(preview.deactivate, 8, async (d) => {
    await updatePerson(deps, d.userId, { active: false }, actorId, now, { audit: false });
    result.deactivated += 1;
  });
  // Assignment rules catch new and moved people now rather than at the next daily pass.
  const rules = await activeRules(deps.models);
  if (rules.length) {
    const people = preview.changes.map((c) => ({ _id: c.userId, ...c.person }));
    await applyRulesTo(deps, rules, people, now);
  }
  await deps.models.ImportPreview.updateOne({ _id: preview._id }, { $set: { appliedAt: now } });
  await deps.audit.append(
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
  return result;
}
