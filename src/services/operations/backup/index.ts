import { readFileSync } from 'node:fs';
import type { mongo } from 'mongoose';
import type { ServiceContext } from '../../context.js';
import type { Manifest } from './manifest.js';
import { type RestoreReport, restoreBackup } from './restore.js';
import { type ScheduledBackupReport, scheduledBackup } from './scheduled.js';
import { writeBackup } from './write.js';

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

/** `npm run lms -- restore <file> [--replace]`: verified first; an occupied database only with `replace`. */
function restore(ctx: ServiceContext, input: { file: string; replace: boolean }): Promise<RestoreReport> {
  return restoreBackup({ db: databaseOf(ctx), ...input });
}

/** The nightly backup into `dir`, keeping the last `keep` archives. */
function runScheduledBackup(
  ctx: ServiceContext,
  input: { dir: string; keep: number; now: Date },
): Promise<ScheduledBackupReport> {
  return scheduledBackup((file) => backup(ctx, { file, now: input.now }), input);
}

/** The backup area's commands, bound to the service context in services/index.ts. */
export const backupCommands = { backup, restore, runScheduledBackup };
