import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuplicateUserError, usersRepository } from '../../src/db/repositories/users.js';
import { createTestApp, createUser, loginAs, Session, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ label: 'auth' });
});
afterAll(async () => t.close());

describe('login', () => {
  it('signs in with the right password, issues a new session id, and lands on the role home', async () => {
    const s = new Session(t.app);
    await s.get('/login');
    const before = s.cookies.sid;
    const res = await s.post('/login', { email: 'HR@demo.test', password: 'demo-password' }, '/login');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/hr');
    expect(s.cookies.sid).toBeDefined();
    expect(s.cookies.sid).not.toBe(before);
    expect((await s.get('/hr')).statusCode).toBe(200);
  });

  it('rejects a wrong password and an unknown account with the same message', async () => {
    const wrong = await new Session(t.app).post(
      '/login',
      { email: 'hr@demo.test', password: 'nope' },
      '/login',
    );
    const unknown = await new Session(t.app).post(
      '/login',
      { email: 'ghost@demo.test', password: 'nope' },
      '/login',
    );
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const msg = (html: string) => /<p class="field-error"[^>]*>([^<]+)</.exec(html)?.[1];
    expect(msg(wrong.body)).toBe('That e-mail and password combination did not work.');
    expect(msg(unknown.body)).toBe(msg(wrong.body));
  });

  it('records login success and failure in the audit log', async () => {
    const events = await t.app.db.models.AuditEvent.find({ action: /^login\./ }).lean();
    expect(events.some((e) => e.action === 'login.success')).toBe(true);
    expect(events.some((e) => e.action === 'login.failure')).toBe(true);
  });
});

describe('route guards', () => {
  it('redirects anonymous visitors to the login page', async () => {
    for (const url of ['/', '/hr', '/admin']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toMatch(/^\/login/);
    }
  });

  it('gives each role its own pages and 403 elsewhere', async () => {
    const expectations: Array<[string, Record<string, number>]> = [
      ['employee@demo.test', { '/': 200, '/hr': 403, '/admin': 403 }],
      ['hr@demo.test', { '/': 200, '/hr': 200, '/admin': 403 }],
      ['admin@demo.test', { '/': 200, '/hr': 200, '/admin': 200 }],
    ];
    for (const [email, pages] of expectations) {
      const s = await loginAs(t.app, email);
      for (const [url, status] of Object.entries(pages)) {
        expect((await s.get(url)).statusCode, `${email} ${url}`).toBe(status);
      }
    }
  });
});

describe('CSRF', () => {
  it('rejects a state-changing request without a valid token with 403', async () => {
    const s = await loginAs(t.app, 'employee@demo.test');
    expect((await s.post('/logout', { _csrf: null })).statusCode).toBe(403);
    expect((await s.post('/logout', { _csrf: 'forged-token' })).statusCode).toBe(403);
    // Still signed in after the rejected logouts.
    expect((await s.get('/')).statusCode).toBe(200);
  });

  it('rejects a login post without a token', async () => {
    const res = await new Session(t.app).post('/login', {
      email: 'hr@demo.test',
      password: 'demo-password',
      _csrf: null,
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('logout', () => {
  it('destroys the server-side session, so the old cookie no longer works', async () => {
    const s = await loginAs(t.app, 'employee@demo.test');
    const sid = s.cookies.sid!;
    const stored = await t.app.db.models.Session.countDocuments({});
    expect(stored).toBeGreaterThan(0);
    const res = await s.post('/logout');
    expect(res.statusCode).toBe(303);
    const replay = await t.app.inject({ method: 'GET', url: '/', cookies: { sid } });
    expect(replay.statusCode).toBe(302);
  });
});

describe('users', () => {
  it('rejects a duplicate e-mail (any case) through the unique index with a clear message', async () => {
    await createUser(t.app, { email: 'dup@example.com' });
    await expect(createUser(t.app, { email: 'DUP@Example.com' })).rejects.toThrow(DuplicateUserError);
    await expect(createUser(t.app, { email: 'dup@example.com' })).rejects.toThrow(
      'A person with this e-mail address already exists.',
    );
  });

  it('allows many people without an employee id but not two with the same one', async () => {
    await createUser(t.app, { email: 'noid1@example.com' });
    await createUser(t.app, { email: 'noid2@example.com' });
    await createUser(t.app, { email: 'id1@example.com', employeeId: 'X-1' });
    await expect(createUser(t.app, { email: 'id2@example.com', employeeId: 'X-1' })).rejects.toThrow(
      'A person with this employee ID already exists.',
    );
  });

  it('finds people by e-mail through the login key, and repairs a missing key', async () => {
    const users = usersRepository(t.app.db.models);
    const u = await createUser(t.app, { email: 'key@example.com' });
    await t.app.db.models.LoginKey.deleteOne({ _id: 'key@example.com' });
    expect((await users.findByEmail('Key@Example.com'))?._id).toBe(u._id);
    expect(await t.app.db.models.LoginKey.findById('key@example.com').lean()).toMatchObject({
      userId: u._id,
    });
  });
});

describe('errors', () => {
  it('renders a 404 page for browsers and JSON for API clients, without internals', async () => {
    const html = await t.app.inject({
      method: 'GET',
      url: '/no-such-page',
      headers: { accept: 'text/html' },
    });
    expect(html.statusCode).toBe(404);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.body).toContain('Page not found');
    const json = await t.app.inject({
      method: 'GET',
      url: '/no-such-page',
      headers: { accept: 'application/json' },
    });
    expect(json.json()).toMatchObject({ statusCode: 404 });
  });

  it('answers a malformed login body with a 400 page, not a stack trace', async () => {
    const s = new Session(t.app);
    const res = await s.post('/login', { email: ['a@b.c', 'd@e.f'], password: 'x' }, '/login');
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
  });
});
