import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Manifest } from './manifest.js';

/** The nightly archives' names sort by time: `lms-backup-2026-12-06T02-00-00Z.tar.gz`. */
const SCHEDULED_NAME = /^lms-backup-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.tar\.gz$/;

export function scheduledFileName(now: Date): string {
  return `lms-backup-${now.toISOString().slice(0, 19).replaceAll(':', '-')}Z.tar.gz`;
}

/**
 * When the nightly backup runs: BACKUP_SCHEDULE when set; otherwise 02:00 UTC on the embedded
 * database (nobody else backs it up) and "off" on MONGODB_URI (its operator has their own backups).
 */
export function backupSchedule(config: { BACKUP_SCHEDULE?: string; MONGODB_URI?: string }): string {
  if (config.BACKUP_SCHEDULE !== undefined) return config.BACKUP_SCHEDULE;
  return config.MONGODB_URI ? 'off' : '0 2 * * *';
}

export const backupDirectory = (dataDir: string) => path.resolve(dataDir, 'backups');

export interface ScheduledBackupReport {
  file: string;
  documents: number;
  removed: string[];
}

/**
 * Writes tonight's archive into `dir`, then deletes the oldest nightly archives beyond `keep`.
 * Only files named like the nightly's are counted or removed (an operator's own copies are left),
 * and only after the new archive is complete (it is renamed into place when finished).
 */
export async function scheduledBackup(
  write: (file: string) => Promise<Manifest>,
  { dir, keep, now }: { dir: string; keep: number; now: Date },
): Promise<ScheduledBackupReport> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, scheduledFileName(now));
  const manifest = await write(file);
  const nightly = (await readdir(dir)).filter((n) => SCHEDULED_NAME.test(n)).sort();
  const removed = nightly.slice(0, Math.max(0, nightly.length - keep));
  for (const name of removed) await rm(path.join(dir, name), { force: true });
  return { file, documents: manifest.collections.reduce((n, c) => n + c.count, 0), removed };
}
