import fc from 'fast-check';
import type { FastifyInstance, FastifyRequest, LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { ACTOR_EMAILS, ClientSession, signIn } from '../../helpers/actors.js';
import { createTestApp, TEST_PASSWORD } from '../../helpers/app.js';

const errorLog: string[] = [];

/** Test-only routes that break a reply on purpose, the way a bad `next` once did. */
function addBrokenRoutes(app: FastifyInstance) {
  const config = { access: 'public' as const };
  // Any change makes @fastify/session save the session (through the store's callback) on send.
  const touch = (request: FastifyRequest) => {
    (request.session as unknown as Record<string, unknown>).touched = Date.now();
  };
  app.get('/test/bad-header', { config }, async (_request, reply) => {
    reply.header('x-note', 'line one\nline two');
    return 'ok';
  });
  app.get('/test/wide-header', { config }, async (_request, reply) => {
    reply.header('x-note', '\u65e5\u672c');
    return 'ok';
  });
  // A changed session is saved in an onSend hook whose callback writes the head: the crash path.
  app.get('/test/bad-header-with-session', { config }, async (request, reply) => {
    touch(request);
    reply.header('x-note', 'a\r\nSet-Cookie: evil=1');
    return 'ok';
  });
  app.get('/test/bad-redirect-with-session', { config }, async (request, reply) => {
    touch(request);
    return reply.redirect('/\nx', 303);
  });
  app.get('/test/offsite-redirect', { config }, async (_request, reply) =>
    reply.redirect('https://evil.example/', 303),
  );
}

const t = await createTestApp({
  label: 'redirects',
  extend: addBrokenRoutes,
  onErrorLog: (line) => errorLog.push(line),
});
const BASE = new URL(t.config.BASE_URL);

afterAll(async () => {
  await t.close();
});

/** A reply that never ends is a hung (or dead) app: fail in seconds, not at the test timeout. */
async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The app still answers a page and its health check. */
async function expectStillServing() {
  const health = await within(5000, 'GET /healthz', t.app.inject({ method: 'GET', url: '/healthz' }));
  expect(health.statusCode).toBe(200);
  const login = await within(5000, 'GET /login', t.app.inject({ method: 'GET', url: '/login' }));
  expect(login.statusCode).toBe(200);
}

/** A redirect, if any, resolves (as a browser would) to this site. */
function expectOnSite(res: LightMyRequestResponse, what: string) {
  expect(res.statusCode, `${what} → ${res.statusCode} ${res.body.slice(0, 200)}`).toBeLessThan(500);
  const location = res.headers.location;
  if (location === undefined) return;
  expect(typeof location, what).toBe('string');
  const target = new URL(String(location), BASE);
  expect(target.origin, `${what} → Location ${JSON.stringify(location)}`).toBe(BASE.origin);
  expect(String(location), what).toMatch(/^\/(?![/\\])/);
}

async function postLogin(next: string): Promise<LightMyRequestResponse> {
  const s = new ClientSession(t.app);
  return within(
    10_000,
    `POST /login next=${JSON.stringify(next)}`,
    s.post('/login', { email: ACTOR_EMAILS.employee, password: TEST_PASSWORD, next }, '/login'),
  );
}

describe('the sign-in redirect (issue #21, items 1 and 2)', () => {
  it('signs in with a newline in next, goes home, and keeps serving', async () => {
    const res = await postLogin('/\nx');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    await expectStillServing();
  });

  it('a link with a newline in next renders the form without it', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/login?next=%2F%0Ax' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/name="next" value="\/"/);
  });

  it('signed in, a CR LF in next redirects home instead of a 500', async () => {
    const s = await signIn(t.app, ACTOR_EMAILS.employee);
    const res = await within(5000, 'GET /login', s.get('/login?next=/%0D%0ASet-Cookie:%20a=b'));
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/');
    expect(res.headers['set-cookie']).toBeUndefined();
    await expectStillServing();
  });

  it.each([
    ['a tab before a second slash', '/\t/evil.example'],
    ['a backslash', '/\\evil.example'],
    ['protocol-relative', '//evil.example'],
    ['dot segments', '/.//evil.example'],
    ['absolute', 'https://evil.example/'],
  ])('never redirects off-site: %s', async (_what, next) => {
    const posted = await postLogin(next);
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe('/');
    const s = await signIn(t.app, ACTOR_EMAILS.employee);
    const got = await s.get(`/login?next=${encodeURIComponent(next)}`);
    expect(got.statusCode).toBe(302);
    expect(got.headers.location).toBe('/');
  });

  it('keeps a same-site next, with non-ASCII characters percent-encoded', async () => {
    const posted = await postLogin('/learn/social-media-policy?from=mail#start');
    expect(posted.headers.location).toBe('/learn/social-media-policy?from=mail#start');
    const s = await signIn(t.app, ACTOR_EMAILS.employee);
    const got = await s.get(`/login?next=${encodeURIComponent('/learn?q=\u65e5\u672c')}`);
    expect(got.headers.location).toBe('/learn?q=%E6%97%A5%E6%9C%AC');
  });
});

describe('an exception while sending one reply (issue #21, item 1)', () => {
  it.each([
    ['/test/bad-header', 'a newline in a header'],
    ['/test/wide-header', 'a character no header can carry'],
    ['/test/bad-header-with-session', 'a CR LF in a header while the session is saved'],
    ['/test/bad-redirect-with-session', 'a newline in a redirect while the session is saved'],
    ['/test/offsite-redirect', 'a redirect to another site'],
  ])('%s answers the error page with 500 (%s) and the app keeps serving', async (url) => {
    errorLog.length = 0;
    const res = await within(
      5000,
      url,
      t.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } }),
    );
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('Something went wrong on our side');
    expect(res.body).not.toMatch(/ERR_INVALID_CHAR|FST_|at .*\.(ts|js):\d+/);
    expect(res.headers['x-note']).toBeUndefined();
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['set-cookie'] ?? '').not.toContain('evil');
    // The cause is logged for the operator.
    expect(errorLog.join('\n')).toMatch(/header/i);
    await expectStillServing();
  });
});

/**
 * A query value as a link could carry it: fully percent-encoded, or `raw` with its own `%` escapes
 * kept (so `%0a` arrives as a newline and `%E0%A4%A` as a broken escape). A lone surrogate is sent
 * as the invalid UTF-8 a careless client would send.
 */
function queryValue(value: string, raw: boolean): string {
  let out = '';
  for (const ch of value) {
    if (raw && /^[%A-Za-z0-9._~/-]$/.test(ch)) out += ch;
    else {
      try {
        out += encodeURIComponent(ch);
      } catch {
        out += '%ED%A0%80';
      }
    }
  }
  return out;
}

describe('fuzzed next (fast-check): no 5xx, no hang, never off-site', () => {
  const seed = Number(process.env.FC_SEED ?? 20261206);
  const pieces = fc.constantFrom(
    '/',
    '//',
    '\\',
    '\t',
    '\n',
    '\r',
    '\u0000',
    '\u0085',
    '\u2028',
    '.',
    '..',
    '%2e',
    '%2f',
    '%5c',
    '%0a',
    '@',
    ':',
    '#',
    '?',
    ' ',
    'evil.example',
    'javascript:',
    'https:',
    '\u65e5',
    '\ud800',
  );
  const nextValue = fc.oneof(
    fc.array(pieces, { minLength: 1, maxLength: 8 }).map((p) => p.join('')),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => `/${s}`),
    fc.webUrl(),
  );

  it('GET /login signed in (query value as sent by a link)', async () => {
    const s = await signIn(t.app, ACTOR_EMAILS.employee);
    await fc.assert(
      fc.asyncProperty(nextValue, fc.boolean(), async (next, raw) => {
        const url = `/login?next=${queryValue(next, raw)}`;
        const res = await within(5000, url, s.get(url));
        expectOnSite(res, `GET ${url}`);
      }),
      { numRuns: 300, seed },
    );
    await expectStillServing();
  });

  it('GET of a protected page signed out (the request URL goes into the sign-in link)', async () => {
    await fc.assert(
      fc.asyncProperty(nextValue, async (q) => {
        const url = `/learn/social-media-policy?q=${queryValue(q, true)}`;
        const res = await within(5000, url, t.app.inject({ method: 'GET', url }));
        expect(res.statusCode).toBe(302);
        expectOnSite(res, `GET ${url}`);
      }),
      { numRuns: 200, seed },
    );
  });

  it('POST /login with valid credentials', async () => {
    await fc.assert(
      fc.asyncProperty(nextValue, async (next) => {
        const res = await postLogin(next);
        expect(res.statusCode).toBe(303);
        expectOnSite(res, `POST /login next=${JSON.stringify(next)}`);
      }),
      { numRuns: 25, seed },
    );
    await expectStillServing();
  });
});
