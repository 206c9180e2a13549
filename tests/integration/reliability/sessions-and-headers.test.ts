import { afterAll, describe, expect, it } from 'vitest';
import { sessionsRepository } from '../../../src/db/session-store.js';
import { decideAccess } from '../../../src/domain/access.js';
import type { Role } from '../../../src/domain/roles.js';
import { ACTOR_EMAILS, ClientSession, signIn, stillSignedIn, userIdOf } from '../../helpers/actors.js';
import { createTestApp, type Session, TEST_PASSWORD } from '../../helpers/app.js';
import { changedCollections, snapshotDb } from '../../helpers/db-snapshot.js';
import { sampleContext, sampleFor, sampleUrl } from '../../helpers/route-params.js';
import { isStateChanging, printReport, sendForm, tableRoutes } from './support.js';

const t = await createTestApp({ label: 'sessions-headers' });
const routes = tableRoutes(t.app);
const sessions: Partial<Record<Role, Session>> = {
  employee: await signIn(t.app, ACTOR_EMAILS.employee),
  hr: await signIn(t.app, ACTOR_EMAILS.hr),
  admin: await signIn(t.app, ACTOR_EMAILS.admin),
};
const ctx = sampleContext(t.app);

const counts = { csrfRoutes: 0, csrfRequests: 0, htmlResponses: 0 };

afterAll(async () => {
  printReport('sessions, CSRF and headers', [
    `CSRF: ${counts.csrfRoutes} state-changing routes × 3 forgeries = ${counts.csrfRequests} requests, all 403, database unchanged`,
    `security headers checked on ${counts.htmlResponses} HTML responses`,
  ]);
  await t.close();
});

/** A signed-in session whose role the route admits (employee first), or a signed-out one for public routes. */
function sessionFor(access: (typeof routes)[number]['access']): { s: Session; csrfPage: string } {
  for (const role of ['employee', 'hr', 'admin'] as const) {
    if (decideAccess(access, role) === 'allow') return { s: sessions[role]!, csrfPage: '/' };
  }
  return { s: new ClientSession(t.app), csrfPage: '/login' };
}

async function urlOf(route: { method: string; url: string }): Promise<string> {
  return sampleUrl(ctx, route.method, route.url);
}

const isBearer = (r: { method: string; url: string }) => sampleFor(r.method, r.url)?.bearer === true;
const isCrossSite = (r: { method: string; url: string }) =>
  sampleFor(r.method, r.url)?.crossSitePost === true;
const stateChanging = routes.filter((r) => isStateChanging(r.method) && !isBearer(r) && !isCrossSite(r));
const crossSitePosts = routes.filter((r) => isStateChanging(r.method) && isCrossSite(r));
const bearerChanging = routes.filter((r) => isStateChanging(r.method) && isBearer(r));

describe('bearer-token routes (SCIM) take no session and so need no CSRF token', () => {
  it.each(bearerChanging.map((r) => [`${r.method} ${r.url}`, r] as const))(
    '%s refuses a signed-in admin with a valid CSRF token (401), database unchanged',
    async (_n, route) => {
      const url = await urlOf(route);
      const before = await snapshotDb(t.app.db.conn, { ignore: ['sessions'] });
      const res = await sendForm(sessions.admin!, route.method, url, { probe: 'x' }, '/');
      expect(res.statusCode, `${route.method} ${url}`).toBe(401);
      expect(changedCollections(before, await snapshotDb(t.app.db.conn, { ignore: ['sessions'] }))).toEqual(
        [],
      );
    },
  );
});

describe('cross-site posts by design (SAML ACS) take no CSRF token and trust only a signed answer', () => {
  it('the route table has them', () => {
    expect(crossSitePosts.length).toBeGreaterThan(0);
  });
  it.each(crossSitePosts.map((r) => [`${r.method} ${r.url}`, r] as const))(
    '%s: a forged post signs no one in and changes nothing but the audit log',
    async (_n, route) => {
      const url = await urlOf(route);
      const s = sessions.employee!;
      const before = await snapshotDb(t.app.db.conn, { ignore: ['sessions', 'audit_events'] });
      const forged = Buffer.from(
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>',
      ).toString('base64');
      const bodies: Array<Record<string, string>> = [
        {},
        { SAMLResponse: forged },
        { SAMLResponse: forged, resubmitted: '1' },
      ];
      for (const body of bodies) {
        const res = await sendForm(s, route.method, url, { ...body, _csrf: null }, '/');
        expect(res.statusCode, `${route.method} ${url} ${JSON.stringify(body)}`).toBeLessThan(500);
      }
      expect(
        changedCollections(before, await snapshotDb(t.app.db.conn, { ignore: ['sessions', 'audit_events'] })),
      ).toEqual([]);
      expect(await stillSignedIn(s)).toBe(true);
    },
  );
});

describe('CSRF on every state-changing route', () => {
  it('the route table has state-changing routes to check', () => {
    expect(stateChanging.length).toBeGreaterThan(0);
  });

  it.each(stateChanging.map((r) => [`${r.method} ${r.url}`, r] as const))(
    '%s rejects missing, forged and foreign tokens with 403',
    async (_n, route) => {
      const url = await urlOf(route);
      const { s, csrfPage } = sessionFor(route.access);
      // CSRF is checked before body validation, so an otherwise empty form must already be refused.
      const body = { probe: 'x' };
      // A token that is valid, but for another session.
      const foreign = await signIn(t.app, ACTOR_EMAILS.otherEmployee);
      const foreignToken = await foreign.csrf('/');
      const before = await snapshotDb(t.app.db.conn, { ignore: ['sessions'] });
      for (const token of [null, 'forged-token', foreignToken]) {
        const res = await sendForm(s, route.method, url, { ...body, _csrf: token }, csrfPage);
        counts.csrfRequests += 1;
        expect(res.statusCode, `${route.method} ${url} with token ${String(token)}`).toBe(403);
        expect(res.body).toContain('Your form expired or was not sent from this site');
      }
      counts.csrfRoutes += 1;
      expect(changedCollections(before, await snapshotDb(t.app.db.conn, { ignore: ['sessions'] }))).toEqual(
        [],
      );
      // A forged logout (or any forged post) leaves the signed-in session untouched.
      if (csrfPage === '/') expect(await stillSignedIn(s)).toBe(true);
    },
  );
});

function expectSecurityHeaders(where: string, headers: Record<string, unknown>) {
  const csp = String(headers['content-security-policy'] ?? '');
  expect(csp, `${where}: CSP`).toContain("default-src 'self'");
  expect(csp, `${where}: CSP`).toContain("script-src 'self'");
  expect(csp, `${where}: CSP`).toContain("object-src 'none'");
  expect(csp, `${where}: CSP`).toContain("frame-ancestors 'self'");
  expect(csp, `${where}: CSP`).toContain("base-uri 'self'");
  expect(csp, `${where}: CSP`).toContain("form-action 'self'");
  expect(csp, `${where}: no unsafe-inline scripts`).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(headers['x-content-type-options'], `${where}: nosniff`).toBe('nosniff');
  expect(headers['x-frame-options'], `${where}: x-frame-options`).toBe('SAMEORIGIN');
  expect(headers['referrer-policy'], `${where}: referrer-policy`).toBe('no-referrer');
  expect(headers['cross-origin-opener-policy'], `${where}: COOP`).toBe('same-origin');
  expect(headers['x-powered-by'], `${where}: no x-powered-by`).toBeUndefined();
}

describe('security headers on every HTML response', () => {
  const pages = routes.filter((r) => r.method === 'GET');
  it.each(pages.map((r) => [r.url, r] as const))('GET %s', async (_n, route) => {
    const url = await urlOf(route);
    const { s } = sessionFor(route.access);
    const res = await s.get(url, { accept: 'text/html' });
    expect(res.statusCode, url).toBeLessThan(500);
    const type = String(res.headers['content-type'] ?? '');
    // Every response carries the headers; HTML ones are the ones that matter and are counted.
    expectSecurityHeaders(url, res.headers);
    if (type.includes('text/html')) {
      counts.htmlResponses += 1;
      // Course content and user data never put an inline script or a javascript: link on a page.
      expect(res.body, `${url}: inline script`).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i);
      expect(res.body, `${url}: javascript: link`).not.toMatch(
        /(href|src|action)\s*=\s*["']?\s*javascript:/i,
      );
      expect(res.body, `${url}: inline event handler`).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
    }
  });

  it('error pages (404, 403, 400, CSRF 403, login redirect) carry them too', async () => {
    const emp = sessions.employee!;
    const cases = [
      await emp.get('/no-such-page', { accept: 'text/html' }),
      await emp.get('/admin', { accept: 'text/html' }),
      await new ClientSession(t.app).post('/login', { email: ['a@b.c', 'd@e.f'], password: 'x' }, '/login'),
      await emp.post('/logout', { _csrf: 'forged' }),
      await new ClientSession(t.app).get('/', { accept: 'text/html' }),
    ];
    for (const res of cases) {
      expectSecurityHeaders(`${res.statusCode} page`, res.headers);
      if (String(res.headers['content-type']).includes('text/html')) {
        counts.htmlResponses += 1;
        expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/);
      }
    }
  });

  it('session cookies are HttpOnly, SameSite=Lax, Path=/ and carry no user data', async () => {
    const s = new ClientSession(t.app);
    await s.get('/login');
    const res = await s.post('/login', { email: ACTOR_EMAILS.employee, password: TEST_PASSWORD }, '/login');
    const raw = [res.headers['set-cookie']].flat().join('\n');
    expect(raw).toMatch(/sid=/);
    expect(raw).toMatch(/HttpOnly/i);
    expect(raw).toMatch(/SameSite=Lax/i);
    expect(raw).toMatch(/Path=\//);
    expect(raw).not.toMatch(/employee@demo/);
  });
});

describe('sessions', () => {
  it('blocks session fixation: the id set before login is not the one after, and it never becomes signed in', async () => {
    const s = new ClientSession(t.app);
    await s.get('/login');
    const planted = s.cookies.sid;
    expect(planted, 'the login page starts a session (it holds the CSRF secret)').toBeDefined();
    const res = await s.post('/login', { email: ACTOR_EMAILS.employee, password: TEST_PASSWORD }, '/login');
    expect(res.statusCode).toBe(303);
    expect(s.cookies.sid).toBeDefined();
    expect(s.cookies.sid).not.toBe(planted);
    // The victim's pre-login id (which an attacker could have planted) is not signed in.
    const attacker = await t.app.inject({
      method: 'GET',
      url: '/',
      cookies: { sid: planted! },
      remoteAddress: '10.9.9.9',
    });
    expect(attacker.statusCode).toBe(302);
    expect(attacker.headers.location).toMatch(/^\/login/);
  });

  it('ignores an unsigned or made-up session cookie', async () => {
    for (const sid of ['attacker-chosen-id', 'x'.repeat(64), 's%3Afake.sig']) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/',
        cookies: { sid },
        remoteAddress: '10.9.9.8',
      });
      expect(res.statusCode).toBe(302);
    }
  });

  it('logout deletes the server-side session, so a copied cookie stops working', async () => {
    const s = await signIn(t.app, ACTOR_EMAILS.manager);
    const copied = s.cookies.sid!;
    const userId = await userIdOf(t.app, ACTOR_EMAILS.manager);
    const stored = await t.app.db.models.Session.countDocuments({ userId });
    expect(stored).toBeGreaterThan(0);
    expect((await s.post('/logout')).statusCode).toBe(303);
    const replay = await t.app.inject({
      method: 'GET',
      url: '/',
      cookies: { sid: copied },
      remoteAddress: '10.9.9.7',
    });
    expect(replay.statusCode).toBe(302);
    // Only this session ended (the manager might be signed in elsewhere; here they are not).
    expect(await t.app.db.models.Session.countDocuments({ userId })).toBe(stored - 1);
  });

  it('ending a user’s sessions (used on role change) signs out every device of that user and no one else', async () => {
    const userId = await userIdOf(t.app, ACTOR_EMAILS.otherManager);
    const laptop = await signIn(t.app, ACTOR_EMAILS.otherManager);
    const phone = await signIn(t.app, ACTOR_EMAILS.otherManager);
    const bystander = await signIn(t.app, ACTOR_EMAILS.otherEmployee);
    const ended = await sessionsRepository(t.app.db.models).endSessionsOf(userId, undefined);
    expect(ended).toBeGreaterThanOrEqual(2);
    expect(await stillSignedIn(laptop)).toBe(false);
    expect(await stillSignedIn(phone)).toBe(false);
    expect(await stillSignedIn(bystander)).toBe(true);
  });
});

describe('login rate limit', () => {
  it('failures for one account from many addresses never lock out the right password (login-throttle.test.ts)', async () => {
    const email = ACTOR_EMAILS.otherEmployee;
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      const res = await new ClientSession(t.app).post('/login', { email, password: `wrong-${i}` }, '/login');
      statuses.push(res.statusCode);
    }
    expect(statuses.every((s) => s === 401)).toBe(true);
    const right = await new ClientSession(t.app).post('/login', { email, password: TEST_PASSWORD }, '/login');
    expect(right.statusCode).toBe(303);
  });

  it('answers 429 after 5 failures for one account from one address, however the address is spelled', async () => {
    const email = ACTOR_EMAILS.manager;
    const s = new ClientSession(t.app);
    for (let i = 0; i < 5; i += 1) {
      expect((await s.post('/login', { email, password: `wrong-${i}` }, '/login')).statusCode).toBe(401);
    }
    for (const variant of ['MANAGER@demo.test', ` ${email}`, `${email} `, `  ${email}\t`]) {
      const res = await s.post('/login', { email: variant, password: 'wrong' }, '/login');
      expect(res.statusCode, JSON.stringify(variant)).toBe(429);
    }
  });

  it('answers 429 after 30 failures from one address, whatever the accounts', async () => {
    const s = new ClientSession(t.app);
    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1) {
      const res = await s.post('/login', { email: `nobody-${i}@example.com`, password: 'wrong' }, '/login');
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 30).every((x) => x === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
    expect(String((await s.get('/login')).statusCode)).toBe('200');
  });
});
