import { readFileSync } from 'node:fs';
import type { mongo } from 'mongoose';
import type { ServiceContext } from '../../context.js';
import { addToLedger, erasuresInDatabase, readLedger, reapplyErasures } from './erasure-ledger.js';
import type { Manifest } from './manifest.js';
import { type RestoreReport, restoreBackup } from './restore.js';
import { type ScheduledBackupReport, scheduledBackup } from './scheduled.js';
import { writeBackup } from './write.js';

export { ledgerFile } from './erasure-ledger.js';
export { backupDirectory, backupSchedule } from './scheduled.js';
export type { Manifest, RestoreReport, ScheduledBackupReport };

/** The app's version from package.json, recorded in every manifest. */
const APP_VERSION: string = JSON.parse(
  readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8'),
).version;

/** The driver's database under the models' connection: backups work below mongoose's schemas. */
function databaseOf(ctx: ServiceContext): mongo.Db {
  const db = ctx.models.User.db.db;
  if (!db) throw new Error('the database connection is not open');
  return db;
}

/** `npm run lms -- backup --out <file>`: every collection into one gzipped tar with its manifest. */
function backup(ctx: ServiceContext, input: { file: string; now: Date }): Promise<Manifest> {
  return writeBackup({ db: databaseOf(ctx), file: input.file, appVersion: APP_VERSION, now: input.now });
}

/** `npm run lms -- backup`: the archive, and the database's erasures added to the ledger (if given). */
async function backupWithLedger(
  ctx: ServiceContext,
  input: { file: string; ledger: string | null; now: Date },
): Promise<Manifest> {
  if (input.ledger) await addToLedger(input.ledger, await erasuresInDatabase(ctx));
  return backup(ctx, input);
}

export interface RestoreInput {
  file: string;
  replace: boolean;
  /** The erasure ledger (DATA_DIR/erasures/<DB_NAME>.jsonl): read, and given the current database's erasures first. */
  ledger: string | null;
  /** More ledgers to honour (`--erasures <file>`, e.g. copied from the machine that was lost). */
  moreLedgers: string[];
  now: Date;
}

/**
 * `npm run lms -- restore <file> [--replace]`: verified first; an occupied database only with
 * `replace`. The erasures the current database records are written to the ledger before anything
 * is dropped; afterwards everyone in the ledgers the archive still holds un-erased is erased again,
 * so an older archive never brings an erased person back.
 */
async function restore(
  ctx: ServiceContext,
  input: RestoreInput,
): Promise<RestoreReport & { erasedAgain: string[] }> {
  const current = await erasuresInDatabase(ctx);
  if (input.ledger) await addToLedger(input.ledger, current);
  const report = await restoreBackup({ db: databaseOf(ctx), file: input.file, replace: input.replace });
  const ledgers = [...(input.ledger ? [input.ledger] : []), ...input.moreLedgers];
  const entries = [...current, ...(await Promise.all(ledgers.map(readLedger))).flat()];
  return { ...report, erasedAgain: await reapplyErasures(ctx, entries, input.now) };
}

/** The nightly backup into `dir`, keeping the last `keep` archives. */
function runScheduledBackup(
  ctx: ServiceContext,
  input: { dir: string; keep: number; ledger?: string; now: Date },
): Promise<ScheduledBackupReport> {
  const ledger = input.ledger ?? null;
  return scheduledBackup((file) => backupWithLedger(ctx, { file, ledger, now: input.now }), input);
}

/** The backup area's commands, bound to the service context in services/index.ts. */
export const backupCommands = { backup: backupWithLedger, restore, runScheduledBackup };
