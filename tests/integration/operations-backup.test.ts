import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/services/audit/verify.js';
import { COURSE_ID } from '../factories.js';
import { signIn } from '../helpers/actors.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { type DbSnapshot, snapshotDb } from '../helpers/db-snapshot.js';
import { rewriteArchive, runLms } from './operations-backup-support.js';

// Issue #25: the demo organisation with its history is backed up, the database wiped, the archive
// restored with the app stopped, and the app started again on it.
let dir: string;
let archive: string;
let dbName: string;
let before: DbSnapshot;
let backupLines: string[];
let restoreLines: string[];
let restored: TestApp;
let lessonUrl: (i: number) => string;

const LEARNER = 'employee@demo.test';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lms-backup-test-'));
  archive = path.join(dir, 'demo.tar.gz');
  const t = await createTestApp({ label: 'backup_demo' });
  dbName = t.config.DB_NAME;
  await t.app.services.demo.seedDemoTraining({ now: t.clock.now() });
  const course = t.app.courses.get(COURSE_ID)!;
  lessonUrl = (i) => `/learn/${COURSE_ID}/lessons/${course.lessons[i]!.id}`;
  // The learner read three lessons and went back to the second: where they resume.
  const learner = await signIn(t.app, LEARNER);
  for (const i of [0, 1, 2, 1]) expect((await learner.get(lessonUrl(i))).statusCode).toBe(200);
  before = await snapshotDb(t.app.db.conn);

  const backup = await runLms(t, 'backup', ['--out', archive]);
  expect(backup.code).toBe(0);
  backupLines = backup.lines;
  await t.app.db.conn.dropDatabase(); // the wipe
  await t.app.close();

  // Restore with the app stopped (its caches hold nothing of the wiped data), then start it again.
  const restorer = await createTestApp({ seed: false, config: { DB_NAME: dbName } });
  const restore = await runLms(restorer, 'restore', [archive]);
  restoreLines = restore.lines;
  expect(restore.code, restore.lines.join('\n')).toBe(0);
  await restorer.app.close();
  restored = await createTestApp({ seed: false, config: { DB_NAME: dbName } });
}, 300_000);

afterAll(async () => {
  await restored?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('backup and restore of the demo organisation', () => {
  it('restores every document of every collection as it was', async () => {
    const after = await snapshotDb(restored.app.db.conn);
    const withData = Object.entries(before).filter(([, c]) => c.count > 0);
    expect(withData.length).toBeGreaterThan(20);
    for (const [name, snapshot] of withData) expect(after[name], name).toEqual(snapshot);
    // The backup and the restore each print the counts, and they agree with the database's.
    const users = before.users!.count;
    expect(backupLines.join('\n')).toMatch(new RegExp(`users\\s+${users}\\b`));
    expect(restoreLines.join('\n')).toMatch(new RegExp(`users\\s+${users}\\b`));
  });

  it('keeps the audit chain verifying', async () => {
    const report = await verifyAuditChain(restored.app.db.models, {});
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.count).toBe(before.audit_events!.count);
  });

  it('lets a learner sign in and resume where they left off', async () => {
    const learner = await signIn(restored.app, LEARNER);
    const overview = await learner.get(`/learn/${COURSE_ID}`);
    expect(overview.statusCode).toBe(200);
    expect(overview.body).toContain(`href="${lessonUrl(1)}">Resume where you left off`);
  });

  it('recreates the indexes, so a unique key still refuses a duplicate', async () => {
    const users = restored.app.db.conn.db!.collection('users');
    const indexes = await users.indexes();
    expect(indexes.map((i) => i.name)).toContain('email_1');
    const someone = await users.findOne({});
    await expect(users.insertOne({ ...someone, _id: 'another-id' } as never)).rejects.toThrow(/duplicate/i);
  });

  it('refuses a database that is not empty, and replaces it only when told to', async () => {
    const now = await snapshotDb(restored.app.db.conn);
    const refused = await runLms(restored, 'restore', [archive]);
    expect(refused.code).toBe(1);
    expect(refused.lines.join('\n')).toMatch(
      /not empty \(assignment_rules: \d+ documents.*--replace to drop its collections/s,
    );
    expect(await snapshotDb(restored.app.db.conn)).toEqual(now);

    await restored.app.db.conn.db!.collection('users').deleteMany({ role: 'employee' });
    const replaced = await runLms(restored, 'restore', [archive, '--replace']);
    expect(replaced.code, replaced.lines.join('\n')).toBe(0);
    expect((await snapshotDb(restored.app.db.conn)).users).toEqual(before.users);
  });

  it('refuses an archive whose entry does not match its checksum, before touching the database', async () => {
    const corrupted = path.join(dir, 'corrupted.tar.gz');
    await rewriteArchive(archive, corrupted, (name, bytes) => {
      if (name !== 'users.bson') return bytes;
      const copy = Buffer.from(bytes);
      copy[copy.length - 10] = (copy[copy.length - 10]! + 1) % 256;
      return copy;
    });
    const now = await snapshotDb(restored.app.db.conn);
    const refused = await runLms(restored, 'restore', [corrupted, '--replace']);
    expect(refused.code).toBe(1);
    expect(refused.lines.join('\n')).toMatch(/users\.bson.*checksum/);
    expect(await snapshotDb(restored.app.db.conn)).toEqual(now);
  });

  it('refuses a file that is not a backup archive', async () => {
    const notArchive = path.join(dir, 'notes.tar.gz');
    await writeFile(notArchive, 'these are not the bytes you are looking for');
    const refused = await runLms(restored, 'restore', [notArchive, '--replace']);
    expect(refused.code).toBe(1);
    expect(refused.lines.join('\n')).toMatch(/not a readable backup archive/);
  });
});
