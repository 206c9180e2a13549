/**
 * A person's region must be one the organisation profile enables (issue #22): HR's person form and
 * the CSV import refuse another, naming the enabled ones (any region while the profile names none).
 * A person whose region the profile stopped enabling later sees the enabled regions' notices, not
 * none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usersRepository } from '../../src/db/repositories/users.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { setOrgRegions } from '../helpers/org-regions.js';
import { flatText } from '../helpers/page-text.js';
import { personFormFields } from '../helpers/person-form.js';
import { course } from './records-helpers.js';

let t: TestApp;
let hr: Session;
const LESSON = `/learn/${COURSE_ID}/lessons/why-this-policy`;
const NLRA = 'Section 7 of the National Labor Relations Act';
const PIDA = 'Public Interest Disclosure Act 1998';

const form = (email: string, region: string) =>
  personFormFields({ email, name: 'Pat Region', locale: 'en', region });

async function importCsv(csv: string): Promise<{ page: string; at: string }> {
  const res = await hr.post('/hr/people/import', { csv }, '/hr/people/import');
  expect(res.statusCode).toBe(303);
  const at = res.headers.location as string;
  return { page: flatText((await hr.get(at)).body), at };
}

const regionOf = async (email: string) => (await usersRepository(t.app.db.models).findByEmail(email))?.region;

beforeAll(async () => {
  t = await createTestApp({ label: 'person-region-profile' });
  hr = await loginAs(t.app, 'hr@demo.test');
});
afterAll(async () => t.close());

describe('HR sets a region the organisation profile enables', () => {
  it('the person form refuses another, naming the enabled ones, and offers only them', async () => {
    await setOrgRegions(t.app, ['uk']);
    const refused = await hr.post('/hr/people/new', form('pat.us@demo.test', 'us'), '/hr/people/new');
    expect(refused.statusCode).toBe(400);
    expect(flatText(refused.body)).toContain(
      'The organisation profile does not enable the United States. Choose one of its regions (the United Kingdom), or leave it not set.',
    );
    expect(await regionOf('pat.us@demo.test')).toBeUndefined();
    const blank = await hr.get('/hr/people/new');
    expect(blank.body).toContain('<option value="uk"');
    expect(blank.body).not.toContain('<option value="us"');
    const ok = await hr.post('/hr/people/new', form('pat.uk@demo.test', 'uk'), '/hr/people/new');
    expect(ok.statusCode).toBe(303);
    expect(await regionOf('pat.uk@demo.test')).toBe('uk');
  });

  it('the CSV import rejects the row, naming the enabled ones', async () => {
    await setOrgRegions(t.app, ['uk', 'eu']);
    const { page, at } = await importCsv(
      ['email,name,region', 'cass.us@demo.test,Cass Us,US', 'cass.eu@demo.test,Cass Eu,eu'].join('\n'),
    );
    expect(page).toContain(
      'Region "US" is not enabled in the organisation profile, which enables only uk (the United Kingdom), eu (the EU and EEA).',
    );
    await hr.post(`${at}/apply`, {}, at);
    expect(await usersRepository(t.app.db.models).findByEmail('cass.us@demo.test')).toBeNull();
    expect(await regionOf('cass.eu@demo.test')).toBe('eu');
  });

  it('while the profile names no region, any region is accepted', async () => {
    await setOrgRegions(t.app, []);
    const ok = await hr.post('/hr/people/new', form('pat.any@demo.test', 'us'), '/hr/people/new');
    expect(ok.statusCode).toBe(303);
    expect(await regionOf('pat.any@demo.test')).toBe('us');
    const { page } = await importCsv(['email,name,region', 'cass.ca@demo.test,Cass Ca,ca'].join('\n'));
    expect(page).not.toContain('not enabled');
  });
});

describe('a region the profile stopped enabling', () => {
  it("the learner sees the enabled regions' notices, not none", async () => {
    await setOrgRegions(t.app, ['us', 'uk']);
    const user = await createUser(t.app, { email: 'val.us@demo.test', name: 'Val Us', region: 'us' });
    await t.app.services.assignments.ensureEnrolled({
      learner: { id: user._id, department: user.department },
      course: course(t.app),
      now: t.app.clock.now(),
    });
    await setOrgRegions(t.app, ['uk']);
    const page = flatText((await (await loginAs(t.app, 'val.us@demo.test')).get(LESSON)).body);
    expect(page).toContain(PIDA);
    expect(page).not.toContain(NLRA);
  });
});
