import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { usersRepository } from '../../src/db/repositories/users.js';
import { hashPassword } from '../../src/services/identity/passwords.js';
import { createTestApp, loginAs, type TestApp } from '../helpers/app.js';

// Test apps hash passwords at a cheap argon2 cost (config passwordHashCost, set by testConfig) so a
// sign-in takes a millisecond; these tests prove that everything else uses the production cost,
// argon2id with m=64 MiB, t=3, p=4, and that the environment cannot lower it.
const PRODUCTION = /^\$argon2id\$v=19\$m=65536,t=3,p=4\$/;

let configured: TestApp;
let asStarted: TestApp;
let dataDir: string;

beforeAll(async () => {
  configured = await createTestApp({ label: 'hash-cost-test' });
  asStarted = await createTestApp({ label: 'hash-cost-real', config: { passwordHashCost: undefined } });
  dataDir = await mkdtemp(path.join(tmpdir(), 'hash-cost-'));
});
afterAll(async () => {
  await configured.close();
  await asStarted.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function storedHash(t: TestApp, email: string): Promise<string> {
  const user = await usersRepository(t.app.db.models).findByEmail(email);
  return user?.passwordHash ?? '';
}

describe('password hashing cost', () => {
  it('an app without the test setting seeds the demo at the production cost, and its people sign in', async () => {
    expect(await storedHash(asStarted, 'hr@demo.test')).toMatch(PRODUCTION);
    await loginAs(asStarted.app, 'hr@demo.test');
  });

  it('hashPassword without a cost uses the production cost (the CLI’s user:create)', async () => {
    expect(await hashPassword('a long enough passphrase')).toMatch(PRODUCTION);
  });

  it('the configuration read from the environment never carries the test setting', async () => {
    const config = await loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      passwordHashCost: '{"memoryCost":8,"timeCost":1,"parallelism":1}',
    });
    expect(config.passwordHashCost).toBeUndefined();
  });

  it('test apps hash at the cheap cost, and sign-in checks those hashes too', async () => {
    const hash = await storedHash(configured, 'hr@demo.test');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(hash).not.toMatch(PRODUCTION);
    await loginAs(configured.app, 'hr@demo.test');
    await expect(loginAs(configured.app, 'hr@demo.test', 'not-the-password')).rejects.toThrow(/failed/);
  });
});
