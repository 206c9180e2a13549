import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { scimClient } from './scim-support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ label: 'scim-token-cli' });
});
afterAll(() => t.close());

/** `npm run lms -- scim:token …` as an operator runs it: src/cli.ts in its own process, same database. */
async function lms(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', 'scim:token', ...args],
    {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        MONGODB_URI: inject('mongoUri'),
        DB_NAME: t.config.DB_NAME,
        BASE_URL: 'http://localhost:3000',
        LOG_LEVEL: 'silent',
      },
      timeout: 60_000,
    },
  );
  return stdout;
}

describe('scim:token through the real CLI', () => {
  it('the printed token opens SCIM, is listed, and is refused once revoked', async () => {
    const created = await lms('--label', 'Entra prod');
    const token = /^(scim_([0-9a-f]+)\.\S+)$/m.exec(created);
    expect(token, created).not.toBeNull();
    const [, secret, id] = token as unknown as [string, string, string];
    const scim = scimClient(t.app, secret);
    expect((await scim('GET', '/ServiceProviderConfig')).statusCode).toBe(200);

    expect(await lms('--list')).toMatch(new RegExp(`^${id} .*active.*Entra prod$`, 'm'));
    expect(await lms('--revoke', id)).toContain(`Revoked SCIM token ${id}`);
    expect((await scim('GET', '/ServiceProviderConfig')).statusCode).toBe(401);
    expect(await lms('--list')).not.toMatch(new RegExp(`^${id} .*active`, 'm'));
  });
});
