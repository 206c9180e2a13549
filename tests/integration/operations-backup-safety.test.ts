import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson } from '../factories.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { runLms } from './operations-backup-support.js';

// Issue #25 review: an archive holds personal data and password hashes, and restoring an older
// archive must not bring back the people erased since it was written.
let t: TestApp;
let dataDir: string;
let archive: string;
const person = buildPerson({ name: 'Erin Erased', email: 'erin.erased@example.test' });

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'lms-backup-safety-'));
  archive = path.join(dataDir, 'before-erasure.tar.gz');
  t = await createTestApp({ label: 'backup_safety', config: { DATA_DIR: dataDir } });
  await t.app.db.models.User.create(person);
}, 120_000);

afterAll(async () => {
  await t?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('backup archives and erasures', () => {
  it('writes the archive readable by its owner only', async () => {
    const backup = await runLms(t, 'backup', ['--out', archive]);
    expect(backup.code, backup.lines.join('\n')).toBe(0);
    expect((await stat(archive)).mode & 0o777).toBe(0o600);
  });
});
