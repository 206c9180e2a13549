import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY_LOCALES_MIGRATION, migrateLegacyLocales } from '../../src/db/legacy-locales.js';
import { usersRepository } from '../../src/db/repositories/users.js';
import { createTestApp, createUser, loginAs, Session, type TestApp } from '../helpers/app.js';

// Review of #26 (language choice): the legacy `locale: 'en'` default, sessions following a language
// change, no session for anonymous page views, bounded Accept-Language, the cookie for anonymous
// visitors only, Vary, and the switcher on long URLs.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ label: 'language-review' });
});
afterAll(async () => t.close());

const htmlLang = (body: string) => /<html lang="([a-z]+)"/.exec(body)?.[1];
const users = () => usersRepository(t.app.db.models);
const sessionCount = () => t.app.db.models.Session.countDocuments({});

describe('people stored before #26 with the old default locale "en"', () => {
  it('are cleared once at start (unless they chose English, audited) and odd codes normalised', async () => {
    const legacy = await createUser(t.app, { email: 'legacy@demo.test', locale: 'en' });
    const mexican = await createUser(t.app, { email: 'mx@demo.test', locale: 'es-MX' });
    const klingon = await createUser(t.app, { email: 'tlh@demo.test', locale: 'tlh' });
    const chose = await createUser(t.app, { email: 'chose-en@demo.test', locale: 'es' });
    await t.app.services.people.updatePerson({
      userId: chose._id,
      changes: { locale: 'en' },
      actorId: chose._id,
      now: t.clock.now(),
    });
    // The migration ran at this app's start on an empty database; a restart over legacy data:
    await t.app.db.conn.db!.collection('migrations').deleteOne({ _id: LEGACY_LOCALES_MIGRATION as never });
    const restarted = await createTestApp({
      label: 'language-review',
      seed: false,
      config: { DB_NAME: t.config.DB_NAME },
    });
    await restarted.app.close();
    expect((await users().findById(legacy._id))?.locale).toBe('');
    expect((await users().findById(mexican._id))?.locale).toBe('es');
    expect((await users().findById(klingon._id))?.locale).toBe('');
    expect((await users().findById(chose._id))?.locale).toBe('en');

    const s = await loginAs(t.app, 'legacy@demo.test');
    expect(htmlLang((await s.get('/', { 'accept-language': 'es' })).body)).toBe('es');

    // One-off: English chosen after the migration (e.g. a CSV import) is left alone by a later start.
    const later = await createUser(t.app, { email: 'later-en@demo.test', locale: 'en' });
    expect(await migrateLegacyLocales(t.app.db.models)).toBeNull();
    expect((await users().findById(later._id))?.locale).toBe('en');
  });
});

describe('a language change made elsewhere', () => {
  it("reaches the person's open session at the next page (changed, then cleared)", async () => {
    const person = await createUser(t.app, { email: 'open-session@demo.test', locale: 'es' });
    const s = await loginAs(t.app, 'open-session@demo.test');
    expect(htmlLang((await s.get('/', { 'accept-language': 'en' })).body)).toBe('es');
    const change = (locale: string) =>
      t.app.services.people.updatePerson({
        userId: person._id,
        changes: { locale },
        actorId: null,
        now: t.clock.now(),
      });
    await change('de');
    expect(htmlLang((await s.get('/', { 'accept-language': 'en' })).body)).toBe('de');
    await change('');
    expect(htmlLang((await s.get('/', { 'accept-language': 'en' })).body)).toBe('en');
  });
});

describe('anonymous page views', () => {
  it('store no session: a 404 and a /verify answer set no sid cookie', async () => {
    await t.app.db.models.Session.deleteMany({});
    for (const url of ['/no-such-page-1', '/verify/ABCD']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.body).toContain('class="language-switcher"');
      expect(String(res.headers['set-cookie'] ?? '')).not.toMatch(/sid=/);
    }
    expect(await sessionCount()).toBe(0);
  });

  it('can still switch without JavaScript: a GET form that only sets the preference cookie', async () => {
    const s = new Session(t.app);
    const page = await s.get('/no-such-page?x=1');
    expect(page.body).toMatch(/<form method="get" action="\/language"/);
    const res = await s.get('/language?lang=de&next=%2Fno-such-page%3Fx%3D1');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/no-such-page?x=1');
    expect(s.cookies.lang).toBe('de');
    expect(htmlLang((await s.get('/no-such-page', { 'accept-language': 'es' })).body)).toBe('de');
    const foreign = await s.get('/language?lang=es&next=https%3A%2F%2Fevil.example%2F');
    expect(foreign.headers.location).toBe('/');
    expect((await s.get('/language?lang=fr')).statusCode).toBe(400);
    expect(await sessionCount()).toBe(0);
  });

  it('signed in, the switcher is a POST form with a CSRF token', async () => {
    await createUser(t.app, { email: 'post-switch@demo.test' });
    const s = await loginAs(t.app, 'post-switch@demo.test');
    const page = await s.get('/');
    expect(page.body).toMatch(/<form method="post" action="\/language"/);
    expect((await s.post('/language', { lang: 'de', next: '/' })).statusCode).toBe(303);
    expect(htmlLang((await s.get('/')).body)).toBe('de');
  });
});

describe('Accept-Language', () => {
  it('is read only at its start (10 entries), and a bare * asks for nothing', async () => {
    const long = `${'fr;q=0.9,'.repeat(20)}es;q=0.8`;
    expect(htmlLang((await t.app.inject({ url: '/login', headers: { 'accept-language': long } })).body)).toBe(
      'en',
    );
    const profile = await t.app.services.organisation.currentProfile();
    const save = (defaultLanguage: string) =>
      t.app.services.organisation.saveProfile({
        actorId: 'admin-test',
        values: { ...profile, defaultLanguage },
        logo: null,
        now: t.clock.now(),
      });
    await save('de');
    try {
      const star = await t.app.inject({ url: '/login', headers: { 'accept-language': '*' } });
      expect(htmlLang(star.body)).toBe('de');
    } finally {
      await save('');
    }
  });
});

describe('the lang cookie', () => {
  it('decides for anonymous visitors only, and is cleared at sign-out', async () => {
    await createUser(t.app, { email: 'shared-pc@demo.test' });
    const s = await loginAs(t.app, 'shared-pc@demo.test');
    s.cookies.lang = 'de';
    expect(htmlLang((await s.get('/', { 'accept-language': 'es' })).body)).toBe('es');
    const out = await s.post('/logout', {});
    expect(out.statusCode).toBe(303);
    expect(out.cookies.find((c) => c.name === 'lang')?.value).toBe('');
  });
});

describe('negotiated HTML answers', () => {
  it('say they vary by Accept-Language and Cookie', async () => {
    const res = await t.app.inject({ url: '/login' });
    expect(String(res.headers.vary)).toMatch(/Accept-Language/);
    expect(String(res.headers.vary)).toMatch(/Cookie/);
  });
});

describe('the switcher on a long URL', () => {
  it('does not answer 400', async () => {
    await createUser(t.app, { email: 'long-url@demo.test' });
    const s = await loginAs(t.app, 'long-url@demo.test');
    const page = await s.get(`/?q=${'x'.repeat(2100)}`);
    const next = /name="next" value="([^"]*)"/.exec(page.body)?.[1] ?? '';
    const res = await s.post('/language', { lang: 'de', next });
    expect(res.statusCode).toBe(303);
  });
});
