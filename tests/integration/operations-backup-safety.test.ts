import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserDoc } from '../../src/db/models/user.js';
import { verifyAuditChain } from '../../src/services/audit/verify.js';
import { buildPerson } from '../factories.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { runLms } from './operations-backup-support.js';

// Issue #25 review: an archive holds personal data and password hashes, and restoring an older
// archive must not bring back the people erased since it was written.
let t: TestApp;
let dataDir: string;
let dbName: string;
let archive: string;
const person = buildPerson({ name: 'Erin Erased', email: 'erin.erased@example.test' });
const later = buildPerson({ name: 'Lee Later', email: 'lee.later@example.test' });

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'lms-backup-safety-'));
  archive = path.join(dataDir, 'before-erasure.tar.gz');
  t = await createTestApp({ label: 'backup_safety', config: { DATA_DIR: dataDir } });
  dbName = t.config.DB_NAME;
  await t.app.db.models.User.create([person, later]);
}, 120_000);

afterAll(async () => {
  await t?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Restores with the app stopped, as the README says: a new app (no audit chain end in memory). */
async function restoreInFreshApp(args: string[]): Promise<string> {
  await t.app.close(); // the database stays: a restore replaces it
  t = await createTestApp({ seed: false, config: { DB_NAME: dbName, DATA_DIR: dataDir } });
  const restore = await runLms(t, 'restore', args);
  expect(restore.code, restore.lines.join('\n')).toBe(0);
  return restore.lines.join('\n');
}

async function expectErasedAgain(output: string, who: UserDoc[], count = '1 person'): Promise<void> {
  expect(output).toContain(`ERASED AGAIN: ${count} `);
  for (const p of who) {
    const user = await t.app.db.models.User.findById(p._id).lean<UserDoc>();
    expect(user?.erasedAt).toBeInstanceOf(Date);
    expect(user?.email).not.toBe(p.email);
    expect(user?.name).not.toBe(p.name);
  }
  const chain = await verifyAuditChain(t.app.db.models);
  expect(chain.brokenAt).toBeNull();
  expect(chain.ok).toBe(true);
}

describe('backup archives and erasures', () => {
  it('writes the archive readable by its owner only', async () => {
    const backup = await runLms(t, 'backup', ['--out', archive]);
    expect(backup.code, backup.lines.join('\n')).toBe(0);
    expect((await stat(archive)).mode & 0o777).toBe(0o600);
  });

  it('erases again, on restoring an older archive, a person erased since it was written', async () => {
    t.clock.advance(3600_000);
    await t.app.services.privacy.erasePerson({
      userId: person._id,
      actorId: null,
      reason: 'request',
      now: t.clock.now(),
    });
    await expectErasedAgain(await restoreInFreshApp([archive, '--replace']), [person]);
  });

  it('erases them again from the ledger in DATA_DIR/erasures when the database itself was lost', async () => {
    await t.app.db.conn.dropDatabase();
    await expectErasedAgain(await restoreInFreshApp([archive]), [person]);
  });

  it('erases again a person erased after the last backup and restore, once the database is lost', async () => {
    // The erasure itself writes the ledger: no backup ran between it and the loss.
    await t.app.services.privacy.erasePerson({
      userId: later._id,
      actorId: null,
      reason: 'request',
      now: t.clock.now(),
    });
    await t.app.db.conn.dropDatabase();
    await expectErasedAgain(await restoreInFreshApp([archive]), [person, later], '2 people');
  });
});
