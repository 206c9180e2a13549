import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleKey } from '../../src/db/keys.js';
import { usersRepository } from '../../src/db/repositories/users.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';

let t: TestApp;
let hr: Session;
beforeAll(async () => {
  t = await createTestApp({ label: 'hr-core-people' });
  hr = await loginAs(t.app, 'hr@demo.test');
});
afterAll(async () => t.close());

const HEADER = 'email,name,employee id,department,manager email,hire date,locale,active';
const GOOD = [
  HEADER,
  'ana.new@demo.test,Ana New,E9001,Support,ana.boss@demo.test,2026-02-01,en,yes',
  'ana.boss@demo.test,Ana Boss,E9000,Support,,2020-05-01,de-CH,yes',
  'erin.renamed@demo.test,Erin Example,E0100,Sales,manager@demo.test,2025-01-15,en,yes',
].join('\n');

async function preview(csv: string, extra: Record<string, string> = {}) {
  const res = await hr.post('/hr/people/import', { csv, ...extra }, '/hr/people/import');
  return res;
}

function count(html: string, name: string): number {
  const m = new RegExp(`data-count="${name}">(\\d+)<`).exec(html);
  if (!m) throw new Error(`no count ${name}`);
  return Number(m[1]);
}

describe('people CSV import', () => {
  it('previews without writing, then applies exactly the preview', async () => {
    const before = await t.app.db.models.User.countDocuments();
    const res = await preview(GOOD);
    expect(res.statusCode).toBe(303);
    const page = await hr.get(res.headers.location as string);
    expect(page.statusCode).toBe(200);
    expect(count(page.body, 'create')).toBe(2);
    expect(count(page.body, 'update')).toBe(1); // Erin matched by employee id, email changes
    expect(count(page.body, 'rejected')).toBe(0);
    expect(await t.app.db.models.User.countDocuments()).toBe(before);

    const applied = await hr.post(`${res.headers.location}/apply`, {}, res.headers.location as string);
    expect(applied.statusCode).toBe(200);
    expect(count(applied.body, 'created')).toBe(2);
    expect(count(applied.body, 'updated')).toBe(1);
    const users = usersRepository(t.app.db.models);
    const ana = await users.findByEmail('ana.new@demo.test');
    const boss = await users.findByEmail('ana.boss@demo.test');
    expect(ana?.managerId).toBe(boss?._id);
    expect(boss?.locale).toBe('de');
    expect(ana?.hireDate?.toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect((await users.findByEmail('erin.renamed@demo.test'))?.employeeId).toBe('E0100');
    // The old email no longer signs in; the new one does.
    expect(await users.findByEmail('employee@demo.test')).toBeNull();

    // Applying the same preview again creates nobody twice.
    const again = await hr.post(`${res.headers.location}/apply`, {}, res.headers.location as string);
    expect(again.statusCode).toBe(200);
    expect(await t.app.db.models.User.countDocuments()).toBe(before + 2);
    const audit = await t.app.db.models.AuditEvent.find({ action: 'people.imported' }).lean();
    expect(audit.length).toBe(2);
  });

  it('re-importing the same file changes nothing', async () => {
    const res = await preview(GOOD);
    const page = await hr.get(res.headers.location as string);
    expect(count(page.body, 'create')).toBe(0);
    expect(count(page.body, 'update')).toBe(0);
    expect(count(page.body, 'unchanged')).toBe(3);
    expect(page.body).toContain('There is nothing to apply');
  });

  it('rejects bad rows with a reason each, and imports the good ones', async () => {
    const csv = [
      HEADER,
      'not-an-email,Bad Email,,Sales,,,,',
      'ok.person@demo.test,Ok Person,,Sales,,2026-02-30,,yes',
      'orphan@demo.test,Orphan,,Sales,nobody@demo.test,,,',
      'twice@demo.test,Twice One,,Sales,,,,',
      'TWICE@demo.test,Twice Two,,Sales,,,,',
      'flag@demo.test,Flag,,Sales,,,,maybe',
      'fine@demo.test,Fine Person,E9100,Ops,,2026-01-05,en,no',
    ].join('\n');
    const res = await preview(csv);
    const page = await hr.get(res.headers.location as string);
    expect(count(page.body, 'rejected')).toBe(5);
    expect(count(page.body, 'create')).toBe(2); // twice@ (first) and fine@
    expect(page.body).toContain('is not a valid email address');
    expect(page.body).toContain('is not a real date');
    expect(page.body).toContain('Unknown manager');
    expect(page.body).toContain('Duplicate in the file: this email is also on line 5');
    expect(page.body).toContain('Active must be yes or no');
  });

  it('refuses a malformed or huge CSV with a clear message and writes nothing', async () => {
    const previews = await t.app.db.models.ImportPreview.countDocuments();
    const broken = await preview(`${HEADER}\n"unterminated,quote,,,,,,\n`);
    expect(broken.statusCode).toBe(400);
    // The parser's own words are English: the page says it in the catalogue's, with the line as data.
    expect(broken.body).toContain('Nothing was imported: the CSV could not be read near line 2.');
    expect(broken.body).not.toContain('Quote Not Closed');
    const noHeader = await preview('foo,bar\n1,2');
    expect(noHeader.statusCode).toBe(400);
    expect(noHeader.body).toContain('Unknown column');
    const rows = Array.from({ length: 20_001 }, (_, i) => `p${i}@x.test,P ${i},,,,,,`);
    const huge = await preview([HEADER, ...rows].join('\n'));
    expect(huge.statusCode).toBe(400);
    expect(huge.body).toContain('more than 20,000 rows');
    expect(huge.body).not.toMatch(/at .*\.ts:\d+/);
    expect(await t.app.db.models.ImportPreview.countDocuments()).toBe(previews);
  });

  it('rejects operator injection and unknown fields with a 400', async () => {
    const res = await hr.post('/hr/people/import', { 'csv[$ne]': 'x' }, '/hr/people/import');
    expect(res.statusCode).toBe(400);
  });

  it('can deactivate employees missing from the file, never HR or admin', async () => {
    const res = await preview(GOOD, { deactivateMissing: 'yes' });
    const page = await hr.get(res.headers.location as string);
    const n = count(page.body, 'deactivate');
    expect(n).toBeGreaterThan(10);
    expect(page.body).not.toContain('hr@demo.test');
    await hr.post(`${res.headers.location}/apply`, {}, res.headers.location as string);
    const users = usersRepository(t.app.db.models);
    expect((await users.findByEmail('ava.adams@demo.test'))?.active).toBe(false);
    expect((await users.findByEmail('hr@demo.test'))?.active).toBe(true);
    expect((await users.findByEmail('ana.new@demo.test'))?.active).toBe(true);
  });

  it('the CLI command previews and applies', async () => {
    const { command } = await import('../../src/cli/commands/users-import.js');
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const dir = await mkdtemp('/tmp/hr-import-');
    const file = `${dir}/people.csv`;
    await writeFile(file, `${HEADER}\ncli.person@demo.test,Cli Person,E9300,Ops,,,,\n`);
    const lines: string[] = [];
    const ctx = {
      config: t.config,
      db: t.app.db,
      courses: t.app.courses,
      catalogue: t.app.catalogue,
      clock: t.clock,
      audit: t.app.audit,
      services: t.app.services,
      mailKind: 'outbox' as const,
      out: (l: string) => lines.push(l),
      readStdin: async () => '',
    };
    expect(await command.run(ctx, { positionals: [file], flags: {} })).toBe(0);
    expect(lines.join('\n')).toContain('Dry run only');
    expect(await usersRepository(t.app.db.models).findByEmail('cli.person@demo.test')).toBeNull();
    expect(await command.run(ctx, { positionals: [file], flags: { apply: true } })).toBe(0);
    expect(await usersRepository(t.app.db.models).findByEmail('cli.person@demo.test')).not.toBeNull();
  });
});

describe('HR person forms', () => {
  it('adds a person, shows field errors for bad input', async () => {
    const bad = await hr.post(
      '/hr/people/new',
      {
        email: 'nope',
        name: '',
        employeeId: '',
        department: 'Ops',
        managerEmail: 'ghost@demo.test',
        hireDate: '2026-13-01',
        locale: 'en',
        role: 'employee',
        active: 'yes',
      },
      '/hr/people/new',
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('aria-describedby="email-error"');
    expect(bad.body).toContain('Nobody has that email address');
    const ok = await hr.post(
      '/hr/people/new',
      {
        email: 'form.person@demo.test',
        name: 'Form Person',
        employeeId: 'E9400',
        department: 'Ops',
        managerEmail: 'manager@demo.test',
        hireDate: '2026-03-01',
        locale: 'en',
        role: 'employee',
        active: 'yes',
      },
      '/hr/people/new',
    );
    expect(ok.statusCode).toBe(303);
    const list = await hr.get('/hr/people?q=form.person');
    expect(list.body).toContain('Form Person');
  });

  it('HR cannot make someone an administrator', async () => {
    const u = await createUser(t.app, { email: 'not.admin@demo.test' });
    const res = await hr.post(
      `/hr/people/${u._id}/edit`,
      {
        email: u.email,
        name: u.name,
        employeeId: '',
        department: 'Sales',
        managerEmail: '',
        hireDate: '',
        locale: 'en',
        role: 'admin',
        active: 'yes',
      },
      `/hr/people/${u._id}/edit`,
    );
    expect(res.statusCode).toBe(400);
    expect((await usersRepository(t.app.db.models).findById(u._id))?.role).toBe('employee');
  });

  it('a role change ends the person’s sessions and is audited', async () => {
    const u = await createUser(t.app, { email: 'promoted@demo.test', department: 'Ops' });
    const theirs = await loginAs(t.app, 'promoted@demo.test');
    expect((await theirs.get('/')).statusCode).toBe(200);
    const res = await hr.post(
      `/hr/people/${u._id}/edit`,
      {
        email: u.email,
        name: u.name,
        employeeId: '',
        department: 'Ops',
        managerEmail: '',
        hireDate: '',
        locale: 'en',
        role: 'hr',
        active: 'yes',
      },
      `/hr/people/${u._id}/edit`,
    );
    expect(res.statusCode).toBe(303);
    const after = await theirs.get('/');
    expect(after.statusCode).toBe(302);
    expect(after.headers.location).toMatch(/^\/login/);
    const event = await t.app.db.models.AuditEvent.findOne({
      action: 'role.changed',
      targetId: u._id,
    }).lean();
    expect(event?.details).toMatchObject({ from: 'employee', to: 'hr' });
    // HR's own session is untouched.
    expect((await hr.get('/hr/people')).statusCode).toBe(200);
  });

  it('employees cannot reach the people pages', async () => {
    await createUser(t.app, { email: 'plain.employee@demo.test' });
    const emp = await loginAs(t.app, 'plain.employee@demo.test');
    expect((await emp.get('/hr/people')).statusCode).toBe(403);
    expect((await emp.get('/hr/outbox')).statusCode).toBe(403);
  });
});

describe('demo training data', () => {
  it('assigns the course to everyone and gives a few people history', async () => {
    const { seedDemoTraining } = await import('../../src/services/demo/seed.js');
    const { outboxMailer } = await import('../../src/mail/transport.js');
    // A fresh demo organisation: the import tests above deactivated most of this one.
    const fresh = await createTestApp({ label: 'hr-core-demo' });
    try {
      const deps = {
        models: fresh.app.db.models,
        courses: fresh.app.courses,
        catalogue: fresh.app.catalogue,
        mailer: outboxMailer(fresh.app.db.models),
        audit: fresh.app.audit,
        baseUrl: fresh.config.BASE_URL,
      };
      await seedDemoTraining(deps, { now: fresh.clock.now() });
      const states = new Set(
        (await fresh.app.db.models.Assignment.find({ active: true }, { state: 1 }).lean()).map(
          (a) => a.state,
        ),
      );
      expect([...states].sort()).toEqual(expect.arrayContaining(['completed', 'overdue', 'not-started']));
      const dev = await usersRepository(fresh.app.db.models).findByEmail('dev.diallo@demo.test');
      expect(
        await fresh.app.db.models.Cycle.exists({ _id: cycleKey(dev!._id, COURSE_ID, 2) }),
      ).not.toBeNull();
      expect(await fresh.app.db.models.Outbox.countDocuments()).toBeGreaterThan(0);
    } finally {
      await fresh.close();
    }
  });

  it('says in words, not catalogue keys, why a row could not be applied (issue #26)', async () => {
    const person = await createUser(t.app, { email: 'erased.between@demo.test', name: 'Erased Between' });
    const res = await preview(`${HEADER}\nerased.between@demo.test,Erased Renamed,,,,,,yes\n`);
    expect(res.statusCode).toBe(303);
    await t.app.services.privacy.erasePerson({
      userId: person._id,
      actorId: null,
      reason: 'request',
      now: t.clock.now(),
    });
    const applied = await hr.post(`${res.headers.location}/apply`, {}, res.headers.location as string);
    expect(applied.statusCode).toBe(200);
    expect(applied.body).toContain('their record can no longer be changed.');
    expect(applied.body).not.toContain('people.errors.erased');
  });
});
