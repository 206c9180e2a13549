import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordProblem } from '../../src/domain/password-policy.js';
import { translator } from '../../src/i18n/translator.js';
import { createTestApp, loginAs, Session, type TestApp } from '../helpers/app.js';

/** Sign-in, admin and password rules in the visitor's language (issue #26). */
let t: TestApp;
let admin: Session;
beforeAll(async () => {
  t = await createTestApp({ label: 'i18n-admin-auth', onErrorLog: (line) => console.error(line) });
  admin = await loginAs(t.app, 'admin@demo.test');
});
afterAll(async () => t.close());

const h1 = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];

describe('the sign-in page before anyone signs in', () => {
  it('is in Spanish for a browser asking for Spanish', async () => {
    const res = await t.app.inject({ url: '/login', headers: { 'accept-language': 'es-ES,es;q=0.9' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="es"');
    expect(h1(res.body)).toBe('Iniciar sesión');
    expect(res.body).toContain('Correo electrónico del trabajo');
    expect(res.body).not.toContain('Work e-mail');
  });

  it('is in Arabic, right to left, for a browser asking for Arabic', async () => {
    const res = await t.app.inject({ url: '/login', headers: { 'accept-language': 'ar' } });
    expect(res.body).toMatch(/<html lang="ar" dir="rtl"/);
    expect(h1(res.body)).toBe('تسجيل الدخول');
    expect(res.body).not.toContain('Sign in to see your assigned training');
  });

  it('follows the lang cookie over the browser, and a wrong password is told in that language', async () => {
    const page = await t.app.inject({
      url: '/login',
      cookies: { lang: 'de' },
      headers: { 'accept-language': 'es' },
    });
    expect(h1(page.body)).toBe('Anmelden');
    const visitor = new Session(t.app);
    visitor.cookies.lang = 'de';
    const res = await visitor.post(
      '/login',
      { email: 'nobody@demo.test', password: 'wrong-password' },
      '/login',
    );
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('Diese Kombination aus E-Mail-Adresse und Passwort hat nicht funktioniert.');
  });

  it('stays English with no preference (the English wording unchanged)', async () => {
    const res = await t.app.inject({ url: '/login' });
    expect(h1(res.body)).toBe('Sign in');
    expect(res.body).toContain('Sign in to see your assigned training.');
  });
});

describe('password rules', () => {
  it('say why a password is refused in German, with the numbers filled in', () => {
    const problem = passwordProblem('😀'.repeat(6), { isCommon: () => false });
    expect(problem).not.toBeNull();
    expect(translator('de').t(problem!.key, problem!.values)).toBe(
      'Das Passwort muss mindestens 12 Zeichen haben (es hat 6).',
    );
    expect(translator('en').t(problem!.key, problem!.values)).toBe(
      'The password must have at least 12 characters (it has 6).',
    );
  });
});

describe('admin pages', () => {
  it('the admin home, organisation profile and retention pages are in Spanish', async () => {
    const es = { 'accept-language': 'es' };
    const home = await admin.get('/admin', es);
    expect(h1(home.body)).toBe('Administración');
    expect(home.body).toContain('Perfil de la organización');
    const org = await admin.get('/admin/organisation', es);
    expect(h1(org.body)).toBe('Perfil de la organización');
    expect(org.body).toContain('Nombre de la organización');
    expect(org.body).not.toContain('Name and brand');
    const retention = await admin.get('/admin/retention', es);
    expect(h1(retention.body)).toBe('Conservación y datos personales');
    expect(retention.body).not.toContain('How long things are kept');
    const sso = await admin.get('/admin/sso', es);
    expect(h1(sso.body)).toBe('Inicio de sesión único');
    expect(sso.body).not.toContain('Claim mapping');
  });
});
