import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { backupDirectory, backupSchedule } from '../../src/services/operations/backup/index.js';
import { verifyArchive } from '../../src/services/operations/backup/read.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'lms-nightly-backup-'));
  t = await createTestApp({ label: 'backup_nightly', config: { DATA_DIR: dataDir, BACKUP_KEEP: 3 } });
}, 120_000);

afterAll(async () => {
  await t.close();
  await rm(dataDir, { recursive: true, force: true });
});

const DAY = 24 * 3600_000;

describe('nightly backup', () => {
  it('writes a verified archive into DATA_DIR/backups each night and keeps only the last BACKUP_KEEP', async () => {
    const dir = backupDirectory(dataDir);
    const kept = path.join(dir, 'before-the-upgrade.tar.gz'); // an operator's own copy: never pruned
    await rm(dir, { recursive: true, force: true });
    const start = new Date('2026-03-01T02:00:00Z');
    for (let night = 0; night < 5; night += 1) {
      t.clock.set(new Date(start.getTime() + night * DAY));
      const report = await t.app.services.backup.runScheduledBackup({
        dir,
        keep: t.config.BACKUP_KEEP,
        now: t.clock.now(),
      });
      expect(report.documents).toBeGreaterThan(0);
      if (night === 0) await writeFile(kept, 'mine');
      if (night === 4) expect(report.removed).toEqual(['lms-backup-2026-03-02T02-00-00Z.tar.gz']);
    }
    expect((await readdir(dir)).sort()).toEqual([
      'before-the-upgrade.tar.gz',
      'lms-backup-2026-03-03T02-00-00Z.tar.gz',
      'lms-backup-2026-03-04T02-00-00Z.tar.gz',
      'lms-backup-2026-03-05T02-00-00Z.tar.gz',
    ]);
    const manifest = await verifyArchive(path.join(dir, 'lms-backup-2026-03-05T02-00-00Z.tar.gz'));
    expect(manifest.createdAt).toBe('2026-03-05T02:00:00.000Z');
    expect(manifest.collections.find((c) => c.name === 'users')?.count).toBe(
      await t.app.db.models.User.countDocuments({}),
    );
  });

  it('is on by default for the embedded database, off for MONGODB_URI unless set', () => {
    expect(backupSchedule(readEnv({}))).toBe('0 2 * * *');
    expect(readEnv({}).BACKUP_KEEP).toBe(7);
    expect(backupSchedule(readEnv({ MONGODB_URI: 'mongodb://db.example:27017' }))).toBe('off');
    expect(backupSchedule(readEnv({ MONGODB_URI: 'mongodb://db:27017', BACKUP_SCHEDULE: '0 3 * * *' }))).toBe(
      '0 3 * * *',
    );
    expect(() => readEnv({ BACKUP_KEEP: '0' })).toThrow(/BACKUP_KEEP/);
  });

  it('is scheduled beside the other jobs, and not when off', () => {
    const off = { SWEEP_SCHEDULE: 'off', NIGHTLY_SCHEDULE: 'off', XAPI_SCHEDULE: 'off' };
    const jobs = (config: object) => {
      const { services, log, clock } = t.app;
      const config_ = { ...t.config, ...off, ...config };
      const app = { config: config_, services, log, clock, addHook: () => {} } as unknown as typeof t.app;
      const started = startScheduler(app);
      for (const job of started) job.stop();
      return started.length;
    };
    expect(jobs({ BACKUP_SCHEDULE: undefined })).toBe(1);
    expect(jobs({ BACKUP_SCHEDULE: 'off' })).toBe(0);
    expect(jobs({ BACKUP_SCHEDULE: undefined, MONGODB_URI: 'mongodb://db:27017' })).toBe(0);
  });
});
