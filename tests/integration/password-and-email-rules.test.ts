import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { command as userCreate } from '../../src/cli/commands/user-create.js';
import { CliUsageError } from '../../src/cli/types.js';
import { usersRepository } from '../../src/db/repositories/users.js';
import { ClientSession } from '../helpers/actors.js';
import { createTestApp, loginAs, type Session, type TestApp } from '../helpers/app.js';

let t: TestApp;
let hr: Session;
beforeAll(async () => {
  t = await createTestApp({ label: 'password-email-rules' });
  hr = await loginAs(t.app, 'hr@demo.test');
});
afterAll(async () => t.close());

function cliContext(password: string) {
  const lines: string[] = [];
  return {
    lines,
    ctx: {
      config: t.config,
      db: t.app.db,
      courses: t.app.courses,
      clock: t.clock,
      audit: t.app.audit,
      services: t.app.services,
      mailKind: 'outbox' as const,
      out: (l: string) => lines.push(l),
      readStdin: async () => `${password}\n`,
    },
  };
}

async function createViaCli(email: string, password: string) {
  const { ctx } = cliContext(password);
  return userCreate.run(ctx, { positionals: [], flags: { email, name: 'New Admin', role: 'admin' } });
}

describe('user:create refuses weak passwords and bad e-mails (NIST SP 800-63B)', () => {
  it.each([
    ['twelve spaces', 'new.admin1@demo.test', ' '.repeat(12), 'cannot be only spaces'],
    ['one repeated character', 'new.admin2@demo.test', 'a'.repeat(12), 'repeated or sequential'],
    ['a common password', 'new.admin3@demo.test', 'password1234', 'list of common or breached passwords'],
    ['a common password in other case', 'new.admin4@demo.test', 'Password1234', 'common or breached'],
    ['a sequence', 'new.admin5@demo.test', 'abcdefghijklmn', 'repeated or sequential'],
    // Six emoji are twelve UTF-16 units but six characters: the rule counts code points.
    [
      'six characters of twelve UTF-16 units',
      'new.admin6@demo.test',
      '😀'.repeat(6),
      'at least 12 characters (it has 6)',
    ],
    ['the e-mail itself', 'marguerite.x@demo.test', 'marguerite.x-2026', 'must not contain your e-mail'],
    [
      'a malformed e-mail',
      'not-an-email',
      'violet-ocean-lamp-42',
      '"not-an-email" is not a valid e-mail address',
    ],
  ])('refuses %s with a clear message', async (_what, email, password, message) => {
    await expect(createViaCli(email, password)).rejects.toThrow(CliUsageError);
    await expect(createViaCli(email, password)).rejects.toThrow(message);
    expect(await usersRepository(t.app.db.models).findByEmail(email)).toBeNull();
  });

  it('creates an account with a long passphrase, NFKC-normalised, so the same password typed another way signs in', async () => {
    // Full-width letters and an ideographic space: NFKC turns them into the ASCII passphrase.
    const typedOnOneKeyboard = 'ｖｉｏｌｅｔ　ｏｃｅａｎ　ｌａｍｐ';
    expect(await createViaCli('Passphrase.Person@Demo.Test', typedOnOneKeyboard)).toBe(0);
    const res = await new ClientSession(t.app).post(
      '/login',
      { email: 'passphrase.person@demo.test', password: 'violet ocean lamp' },
      '/login',
    );
    expect(res.statusCode).toBe(303);
  });

  it('the real CLI exits with code 1 and says why', async () => {
    const run = promisify(execFile);
    const err = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli.ts',
        'user:create',
        '--email',
        'not-an-email',
        '--name',
        'X',
        '--role',
        'admin',
      ],
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
    ).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err?.stderr).toContain('Error: --email "not-an-email" is not a valid e-mail address');
  }, 70_000);
});

describe('one e-mail rule wherever an address is entered', () => {
  it.each(['not-an-email', 'name@example..com', 'name@-example.com', 'name@localhost'])(
    'the HR person form refuses %s',
    async (email) => {
      const res = await hr.post(
        '/hr/people/new',
        {
          email,
          name: 'Bad Email',
          employeeId: '',
          department: 'Sales',
          managerEmail: '',
          hireDate: '',
          locale: 'en',
          role: 'employee',
          active: 'yes',
        },
        '/hr/people/new',
      );
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('Enter a valid email address');
    },
  );

  it('the CSV import rejects each bad row with its own reason and keeps the good ones', async () => {
    const csv = [
      'email,name,department',
      'not-an-email,Bad One,Sales',
      'name@example..com,Bad Two,Sales',
      'good.row@demo.test,Good Row,Sales',
    ].join('\n');
    const res = await hr.post('/hr/people/import', { csv }, '/hr/people/import');
    expect(res.statusCode).toBe(303);
    const page = await hr.get(res.headers.location as string);
    expect(page.body).toMatch(/not-an-email[\s\S]*is not a valid email address/);
    expect(page.body).toMatch(/name@example\.\.com[\s\S]*is not a valid email address/);
    expect(page.body).toMatch(/data-count="create">1</);
  });

  it('a malformed e-mail at sign-in is just a failed sign-in', async () => {
    for (const email of ['not-an-email', 'a@b..c', '@@', '"quoted"@x.y']) {
      const res = await new ClientSession(t.app).post(
        '/login',
        { email, password: 'whatever-password' },
        '/login',
      );
      expect(res.statusCode, email).toBe(401);
      expect(res.body).toContain('That e-mail and password combination did not work.');
    }
  });
});
