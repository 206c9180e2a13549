import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usersRepository } from '../../src/db/repositories/users.js';
import { ACTOR_EMAILS } from '../helpers/actors.js';
import { createTestApp, createUser, loginAs, Session, type TestApp } from '../helpers/app.js';

// Choosing the language (issue #26): Accept-Language for a new visitor, the switcher (a plain form,
// no JavaScript) for anonymous and signed-in people, the person's choice over the browser's, the
// organisation's default when the browser asks for nothing shipped, and HR setting it per person.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ label: 'language-choice' });
});
afterAll(async () => t.close());

const htmlTag = (body: string) => /<html lang="([a-z]+)" dir="(ltr|rtl)">/.exec(body)?.slice(1, 3);
const users = () => usersRepository(t.app.db.models);

describe('a visitor who has chosen nothing', () => {
  it('gets the language the browser asks for, English when it asks for nothing shipped', async () => {
    const es = await new Session(t.app).get('/login', { 'accept-language': 'es-MX,es;q=0.9,en;q=0.5' });
    expect(htmlTag(es.body)).toEqual(['es', 'ltr']);
    expect(es.body).toContain('Cambiar idioma');
    const fr = await new Session(t.app).get('/login', { 'accept-language': 'fr-FR,fr;q=0.9' });
    expect(htmlTag(fr.body)).toEqual(['en', 'ltr']);
  });

  it('gets the page in Arabic, right to left, when the browser asks for it', async () => {
    const res = await new Session(t.app).get('/login', { 'accept-language': 'ar' });
    expect(htmlTag(res.body)).toEqual(['ar', 'rtl']);
    expect(res.body).toContain('تغيير اللغة');
  });
});

describe('the switcher', () => {
  it('works without JavaScript for an anonymous visitor: a plain POST sets the cookie and goes back', async () => {
    const s = new Session(t.app);
    const page = await s.get('/login?next=%2Flearn', { 'accept-language': 'es' });
    expect(page.body).toMatch(/<form method="post" action="\/language"/);
    expect(page.body).toContain('<option value="de" lang="de">Deutsch</option>');
    const res = await s.post('/language', { lang: 'de', next: '/login?next=%2Flearn' }, '/login');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Flearn');
    expect(s.cookies.lang).toBe('de');
    const after = await s.get('/login', { 'accept-language': 'es' });
    expect(htmlTag(after.body)).toEqual(['de', 'ltr']);
    expect(after.body).toContain('Sprache ändern');
  });

  it('refuses a post without the CSRF token, a language not shipped, and sends a foreign next home', async () => {
    const s = new Session(t.app);
    await s.get('/login');
    expect((await s.post('/language', { lang: 'de', _csrf: null })).statusCode).toBe(403);
    expect((await s.post('/language', { lang: 'fr' }, '/login')).statusCode).toBe(400);
    const res = await s.post('/language', { lang: 'es', next: 'https://evil.example/x' }, '/login');
    expect(res.headers.location).toBe('/');
  });

  it('for a signed-in person stores the choice on the profile and applies it at once and after the next sign-in', async () => {
    const person = await createUser(t.app, { email: 'switcher@demo.test', name: 'Sam Switcher' });
    const s = await loginAs(t.app, 'switcher@demo.test');
    const res = await s.post('/language', { lang: 'ar', next: '/' });
    expect(res.statusCode).toBe(303);
    expect(htmlTag((await s.get('/', { 'accept-language': 'en' })).body)).toEqual(['ar', 'rtl']);
    expect((await users().findById(person._id))?.locale).toBe('ar');
    const audit = await t.app.db.models.AuditEvent.findOne({
      action: 'person.updated',
      targetId: person._id,
    }).lean();
    expect(audit?.details).toMatchObject({ fields: ['locale'] });
    // Another device, a browser asking for English, no cookie: the person's choice wins.
    const other = await loginAs(t.app, 'switcher@demo.test');
    expect(other.cookies.lang).toBeUndefined();
    expect(htmlTag((await other.get('/', { 'accept-language': 'en-GB,en' })).body)).toEqual(['ar', 'rtl']);
  });
});

describe('the organisation default', () => {
  it('applies when the browser asks for nothing shipped, after the browser and the person', async () => {
    const current = await t.app.services.organisation.currentProfile();
    await t.app.services.organisation.saveProfile({
      actorId: 'admin-test',
      values: { ...current, defaultLanguage: 'de' },
      logo: null,
      now: t.clock.now(),
    });
    try {
      const fr = await new Session(t.app).get('/login', { 'accept-language': 'fr' });
      expect(htmlTag(fr.body)).toEqual(['de', 'ltr']);
      const none = await new Session(t.app).get('/login');
      expect(htmlTag(none.body)).toEqual(['de', 'ltr']);
      const es = await new Session(t.app).get('/login', { 'accept-language': 'es' });
      expect(htmlTag(es.body)).toEqual(['es', 'ltr']);
    } finally {
      await t.app.services.organisation.saveProfile({
        actorId: 'admin-test',
        values: { ...current, defaultLanguage: '' },
        logo: null,
        now: t.clock.now(),
      });
    }
  });
});

describe('HR sets a person’s language', () => {
  const person = (over: Record<string, string>) => ({
    email: 'hr.set@demo.test',
    name: 'Hana Set',
    employeeId: '',
    department: 'Sales',
    managerEmail: '',
    hireDate: '',
    locale: 'es',
    role: 'employee',
    active: 'yes',
    ...over,
  });

  it('in the person form: a shipped language or not set; anything else is refused with a message', async () => {
    const hr = await loginAs(t.app, ACTOR_EMAILS.hr);
    const form = await hr.get('/hr/people/new');
    expect(form.body).toMatch(/<select[^>]*name="locale"/);
    expect(form.body).toMatch(
      /<option value="" selected>Not set \(browser or organisation default\)<\/option>/,
    );
    const refused = await hr.post('/hr/people/new', person({ locale: 'fr' }), '/hr/people/new');
    expect(refused.body).toContain('Choose one of the listed languages, or leave it not set.');
    expect(await users().findByEmail('hr.set@demo.test')).toBeNull();
    const added = await hr.post('/hr/people/new', person({}), '/hr/people/new');
    expect(added.statusCode).toBe(303);
    const saved = await users().findByEmail('hr.set@demo.test');
    expect(saved?.locale).toBe('es');
    const edited = await hr.post(
      `/hr/people/${saved!._id}/edit`,
      person({ locale: '' }),
      `/hr/people/${saved!._id}/edit`,
    );
    expect(edited.statusCode).toBe(303);
    expect((await users().findByEmail('hr.set@demo.test'))?.locale).toBe('');
  });

  it('in a CSV import: the language column takes a shipped code; a bad value is a clear row error', async () => {
    const hr = await loginAs(t.app, ACTOR_EMAILS.hr);
    const csv = [
      'email,name,department,language',
      'csv.de@demo.test,Carl Csv,Sales,de',
      'csv.bad@demo.test,Bea Bad,Sales,klingon',
    ].join('\n');
    const res = await hr.post('/hr/people/import', { csv }, '/hr/people/import');
    expect(res.statusCode).toBe(303);
    const preview = await hr.get(res.headers.location as string);
    expect(preview.body).toContain(
      'Language &quot;klingon&quot; is not one the product ships: use en, es, de, ar, or leave it empty.',
    );
    const applied = await hr.post(`${res.headers.location}/apply`, {}, res.headers.location as string);
    expect(applied.statusCode).toBe(200);
    expect((await users().findByEmail('csv.de@demo.test'))?.locale).toBe('de');
    expect(await users().findByEmail('csv.bad@demo.test')).toBeNull();
  });
});
