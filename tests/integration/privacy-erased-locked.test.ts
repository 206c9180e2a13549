import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserDoc } from '../../src/db/models/user.js';
import { pseudonymFor } from '../../src/domain/retention.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { newToken, newUserBody, PATCH_OP, type ScimJson, scimClient } from './scim-support.js';

/**
 * An erasure cannot be undone (issue #25): no write path (SCIM PUT or PATCH, HR's edit form, the
 * CSV import) may put a real identity back on an erased person. SCIM answers as for a deleted
 * User (RFC 7644 §3.6), HR gets a clear refusal, the import rejects the row naming why.
 */

let t: TestApp;
let hr: Session;
let scim: ReturnType<typeof scimClient>;
let erased: UserDoc;
const models = () => t.app.db.models;
const user = async (id: string) => (await models().User.findById(id).lean<UserDoc>())!;

beforeAll(async () => {
  t = await createTestApp({ label: 'privacy-erased-locked' });
  t.clock.set('2026-03-02T09:00:00Z');
  hr = await loginAs(t.app, 'hr@demo.test');
  scim = scimClient(t.app, (await newToken(t.app)).token);
  const created = await scim('POST', '/Users', newUserBody('gone.person@demo.test'));
  expect(created.statusCode).toBe(201);
  const id = (created.data as ScimJson).id as string;
  await models().User.updateOne({ _id: id }, { $set: { active: false, leftAt: t.clock.now() } });
  await t.app.services.privacy.erasePerson({
    userId: id,
    actorId: null,
    reason: 'request',
    now: t.clock.now(),
  });
  erased = await user(id);
  expect(erased.name).toBe(pseudonymFor(id).name);
});
afterAll(async () => t?.close());

async function expectStillErased(): Promise<void> {
  const now = await user(erased._id);
  expect(now.name).toBe(pseudonymFor(erased._id).name);
  expect(now.email).toBe(pseudonymFor(erased._id).email);
  expect(now.active).toBe(false);
  const text = JSON.stringify(await models().Assignment.find({ userId: erased._id }).lean());
  expect(text).not.toContain('gone.person@demo.test');
}

describe('an erased person cannot be brought back', () => {
  it('SCIM: GET, PUT and PATCH answer 404 as for a deleted User, and the pseudonym stays', async () => {
    expect((await scim('GET', `/Users/${erased._id}`)).statusCode).toBe(404);
    const put = await scim('PUT', `/Users/${erased._id}`, newUserBody('gone.person@demo.test'));
    expect(put.statusCode).toBe(404);
    const patch = await scim('PATCH', `/Users/${erased._id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: 'active', value: true },
        { op: 'replace', path: 'displayName', value: 'Ada Lovelace' },
      ],
    });
    expect(patch.statusCode).toBe(404);
    const list = await scim('GET', '/Users?count=500');
    expect(JSON.stringify(list.data)).not.toContain(erased._id);
    await expectStillErased();
  });

  it('HR edit form: refused with a clear message', async () => {
    const res = await hr.post(
      `/hr/people/${erased._id}/edit`,
      {
        email: 'gone.person@demo.test',
        name: 'Ada Lovelace',
        employeeId: '',
        department: 'Sales',
        managerEmail: '',
        hireDate: '',
        locale: 'en',
        role: 'employee',
        active: 'yes',
      },
      `/hr/people/${erased._id}/edit`,
    );
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('was erased');
    await expectStillErased();
  });

  it('CSV import: the row matching the erased person is rejected, naming why', async () => {
    const csv = [
      'email,name,employee id,department,manager email,hire date,locale,active',
      `${pseudonymFor(erased._id).email},Ada Lovelace,,Sales,,,en,yes`,
    ].join('\n');
    const res = await hr.post('/hr/people/import', { csv }, '/hr/people/import');
    expect(res.statusCode).toBe(303);
    const preview = await hr.get(res.headers.location as string);
    expect(preview.body).toMatch(/data-count="rejected">1</);
    expect(preview.body).toContain('was erased');
    await hr.post(`${res.headers.location}/apply`, {}, res.headers.location as string);
    await expectStillErased();
  });

  it('the people service itself refuses a change', async () => {
    const other = await createUser(t.app, { email: 'still.here@demo.test' });
    await expect(
      t.app.services.people.updatePerson({
        userId: erased._id,
        changes: { name: 'Ada Lovelace', active: true },
        actorId: other._id,
        now: t.clock.now(),
      }),
      // The refusal is a catalogue key, worded in the reader's language by the page.
    ).rejects.toThrow('people.errors.erased');
    await expectStillErased();
  });
});
