import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { ACTOR_EMAILS, type ClientSession, signIn } from '../../helpers/actors.js';
import { createTestApp } from '../../helpers/app.js';

// Issue #21, item 10: errors that fastify raises before a route runs (a broken URL, a path past the
// parameter limit, a body it cannot parse) must get the app's own error page, not fastify's JSON.
const t = await createTestApp({ label: 'framework-errors' });

afterAll(async () => {
  await t.close();
});

const INTERNAL = /FST_|ERR_|"code"|at .*\.(ts|js):\d+|SyntaxError|RangeError|node_modules/;
/** fastify's own wording, meant for developers. */
const FRAMEWORK_WORDING =
  /not a valid url component|max param length|content-type is set to|Unsupported Media Type|Request body is too large|forbidden prototype property|did not match Content-Length/;

/** The app's error page: HTML from views/errors/error.eta, with a plain message and no internals. */
function expectErrorPage(res: LightMyRequestResponse, status: number, what: string) {
  const show = `${what} → ${res.statusCode} ${res.headers['content-type']} ${res.body.slice(0, 300)}`;
  expect(res.statusCode, show).toBe(status);
  expect(res.headers['content-type'], show).toMatch(/^text\/html/);
  expect(res.body, show).toContain(`Error ${status}`);
  expect(res.body, show).toContain('Go to my training');
  expect(res.body, show).not.toMatch(INTERNAL);
  expect(res.body, show).not.toMatch(FRAMEWORK_WORDING);
}

async function asBrowser(opts: InjectOptions, s?: ClientSession): Promise<LightMyRequestResponse> {
  const headers = { accept: 'text/html,application/xhtml+xml', ...(opts.headers ?? {}) };
  return s ? s.request({ ...opts, headers }) : t.app.inject({ ...opts, headers });
}

/** A signed-in POST to a form route, CSRF token in a header so only the body is at fault. */
async function post(payload: string | Buffer, contentType: string): Promise<LightMyRequestResponse> {
  const s = await signIn(t.app, ACTOR_EMAILS.employee);
  const token = await s.csrf('/');
  return asBrowser(
    {
      method: 'POST',
      url: '/logout',
      payload,
      headers: { 'content-type': contentType, 'x-csrf-token': token },
    },
    s,
  );
}

describe('framework errors get the app error page', () => {
  it('a URL with a broken percent escape: 400', async () => {
    expectErrorPage(await asBrowser({ method: 'GET', url: '/verify/%E0%A4%A' }), 400, 'bad URL');
  });

  it('a path parameter past the length limit: 414', async () => {
    const res = await asBrowser({ method: 'GET', url: `/verify/${'a'.repeat(10_000)}` });
    expectErrorPage(res, 414, 'long parameter');
  });

  it('a broken URL answers JSON clients without internal codes too', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/verify/%E0%A4%A',
      headers: { accept: 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ statusCode: 400 });
    expect(res.body).not.toMatch(INTERNAL);
  });

  it.each([
    ['malformed JSON', '{"a":', 'application/json', 400],
    ['an empty JSON body', '', 'application/json', 400],
    ['a JSON __proto__ key', '{"__proto__":{"role":"admin"}}', 'application/json', 400],
    ['an unsupported content type', 'hello', 'application/octet-stream', 415],
    ['XML', '<?xml version="1.0"?><a/>', 'application/xml', 415],
    // fastify reads text/plain as a string, which no form schema accepts.
    ['plain text', 'hello', 'text/plain', 400],
    ['a form over the body limit', `x=${'a'.repeat(300 * 1024)}`, 'application/x-www-form-urlencoded', 413],
    ['a JSON body over the limit', `{"x":"${'a'.repeat(300 * 1024)}"}`, 'application/json', 413],
  ] as const)('%s', async (what, payload, contentType, status) => {
    expectErrorPage(await post(payload, contentType), status, what);
  });

  it('a body shorter than its Content-Length: 400', async () => {
    const res = await asBrowser({
      method: 'POST',
      url: '/login',
      payload: 'email=a',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '50' },
    });
    // light-my-request sends what it is given; fastify notices the length does not match.
    expectErrorPage(res, 400, 'short body');
  });

  it.each([
    ['a broken session signature', 'sid=abc.def'],
    ['a broken percent escape', 'sid=%E0%A4%A'],
    ['control characters', 'sid=\u0001\u0002; x=\u007f'],
    ['a cookie without a name', '=value; ==; ;;'],
    ['a huge cookie', `sid=${'a'.repeat(8000)}`],
  ])('a bad cookie (%s) is ignored, never an error', async (what, cookie) => {
    const res = await asBrowser({ method: 'GET', url: '/login', headers: { cookie } });
    expect(res.statusCode, what).toBe(200);
    expect(res.body, what).not.toMatch(INTERNAL);
    const home = await asBrowser({ method: 'GET', url: '/', headers: { cookie } });
    expect(home.statusCode, what).toBe(302);
    expect(home.headers.location).toBe('/login?next=%2F');
  });

  it('a broken escape in a query value is not an error', async () => {
    const res = await asBrowser({ method: 'GET', url: '/login?next=%E0%A4%A&x=%ZZ' });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(INTERNAL);
  });

  it('an unknown page: 404', async () => {
    expectErrorPage(await asBrowser({ method: 'GET', url: '/no/such/page' }), 404, 'unknown page');
  });
});
