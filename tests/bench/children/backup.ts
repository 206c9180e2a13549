/**
 * Child process: one backup or one restore through the same functions as `lms backup` / `lms
 * restore`, after a baseline in the same process. Backup: the baseline reads every collection with
 * a raw cursor and discards the bytes (the least any backup must do). Restore: the baseline is the
 * checksum pass alone (read, gunzip, hash). Prints one JSON line: times, RSS before, peak RSS
 * after the baseline and after the operation (`process.resourceUsage().maxRSS`).
 */
import { stat } from 'node:fs/promises';
import mongoose from 'mongoose';
import { verifyArchive } from '../../../src/services/operations/backup/read.js';
import { restoreBackup } from '../../../src/services/operations/backup/restore.js';
import { collectionNames, writeBackup } from '../../../src/services/operations/backup/write.js';

interface Options {
  mode: 'backup' | 'restore';
  mongoUri: string;
  dbName: string;
  file: string;
}

const peakMb = () => process.resourceUsage().maxRSS / 1024;

async function readEverything(db: mongoose.mongo.Db): Promise<number> {
  let bytes = 0;
  for (const name of await collectionNames(db))
    for await (const doc of db
      .collection(name)
      .find({}, { raw: true, batchSize: 1000 }) as unknown as AsyncIterable<Buffer>)
      bytes += doc.length;
  return bytes;
}

async function main(): Promise<void> {
  const opts = JSON.parse(process.env.BENCH_BACKUP ?? '{}') as Options;
  const client = new mongoose.mongo.MongoClient(opts.mongoUri, { retryWrites: false });
  await client.connect();
  const db = client.db(opts.dbName);
  const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
  const t0 = performance.now();
  if (opts.mode === 'backup') await readEverything(db);
  else await verifyArchive(opts.file);
  const baselineMs = performance.now() - t0;
  const baselinePeakMb = peakMb();
  const t1 = performance.now();
  let documents = 0;
  if (opts.mode === 'backup') {
    const manifest = await writeBackup({ db, file: opts.file, appVersion: 'bench', now: new Date() });
    documents = manifest.collections.reduce((n, c) => n + c.count, 0);
  } else {
    const report = await restoreBackup({ db, file: opts.file, replace: false });
    documents = report.counts.reduce((n, c) => n + c.restored, 0);
    if (report.counts.some((c) => c.restored !== c.expected)) throw new Error('restored counts differ');
  }
  const ms = performance.now() - t1;
  const archiveMb = (await stat(opts.file)).size / 2 ** 20;
  await client.close();
  console.log(
    JSON.stringify({ baselineMs, ms, documents, rssBeforeMb, baselinePeakMb, peakMb: peakMb(), archiveMb }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
