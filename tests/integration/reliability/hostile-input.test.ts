import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { decideAccess } from '../../../src/domain/access.js';
import { ACTOR_EMAILS, ClientSession, signIn, stillSignedIn } from '../../helpers/actors.js';
import { createTestApp } from '../../helpers/app.js';
import { changedCollections, snapshotDb } from '../../helpers/db-snapshot.js';
import { sampleContext, sampleFor, sampleUrl } from '../../helpers/route-params.js';
import { isStateChanging, printReport, tableRoutes } from './support.js';

const RUNS_PER_ROUTE = 40;
const BODY_LIMIT = 256 * 1024;

const t = await createTestApp({ label: 'hostile-input' });
const ctx = sampleContext(t.app);
const targets = tableRoutes(t.app).filter((r) => isStateChanging(r.method));
const tried = { generated: 0, fixed: 0 };
/** Bearer-token routes (SCIM) are attacked with a valid token, so the hostile bodies reach the handler. */
const scimToken = (
  await t.app.services.identity.createScimToken({ createdBy: 'hostile-input', now: t.clock.now() })
).token;
const authFor = (route: { method: string; url: string }): Record<string, string> =>
  sampleFor(route.method, route.url)?.bearer ? { authorization: `Bearer ${scimToken}` } : {};
const statusCounts = new Map<number, number>();

afterAll(async () => {
  printReport('hostile input', [
    `${targets.length} state-changing routes; ${tried.generated} generated bodies (${RUNS_PER_ROUTE}/route, fast-check) + ${tried.fixed} fixed cases (oversized, invalid UTF-8, malformed JSON, wrong content types)`,
    `statuses: ${[...statusCounts].map(([s, n]) => `${s}×${n}`).join(' ')}; no 5xx, no database change`,
  ]);
  await t.close();
});

/** The actor that the route's own access admits, with a fresh session from its own address. */
async function clientFor(
  access: (typeof targets)[number]['access'],
): Promise<{ s: ClientSession; csrfPage: string; email: string | null }> {
  for (const role of ['employee', 'hr', 'admin'] as const) {
    if (decideAccess(access, role) === 'allow') {
      return { s: await signIn(t.app, ACTOR_EMAILS[role]), csrfPage: '/', email: ACTOR_EMAILS[role] };
    }
  }
  return { s: new ClientSession(t.app), csrfPage: '/login', email: null };
}

/**
 * The form's required fields, learnt from the route's own validation answers (the schema is not
 * exposed): post with what we know so far until no "required property" is reported.
 */
async function requiredFields(
  s: ClientSession,
  method: string,
  url: string,
  token: string,
  extra: Record<string, string> = {},
): Promise<string[]> {
  const known: string[] = [];
  for (let i = 0; i < 10; i += 1) {
    const res = await s.request({
      method: method as 'POST',
      url,
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        'x-csrf-token': token,
        ...extra,
      },
      payload: JSON.stringify({ _csrf: token, ...Object.fromEntries(known.map((k) => [k, {}])) }),
    });
    const missing = /required property '([^']+)'/.exec(res.body);
    if (res.statusCode !== 400 || !missing || known.includes(missing[1]!)) break;
    known.push(missing[1]!);
  }
  return known;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const INJECTION_KEYS = [
  '$gt',
  '$ne',
  '$where',
  '$set',
  '$regex',
  '__proto__',
  'constructor',
  'prototype',
  'a[$ne]',
  'a.b',
  '$',
];

/** A value of the wrong kind, or a hostile one. */
const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constant('x'.repeat(20_000)),
  fc.array(fc.string({ maxLength: 10 }), { minLength: 2, maxLength: 5 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom<Json>({ $gt: '' }, { $ne: null }, { $where: 'sleep(1000)' }, { $regex: '.*' }),
  fc.constantFrom(
    '<script>alert(1)</script>',
    'javascript:alert(1)',
    '=cmd|" /C calc"!A0',
    '\u0000',
    '\ud800',
    '../../etc/passwd',
  ),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);

/** An element that makes any body invalid for a strict form schema (unknown or operator key, or an object value). */
function poison(fields: string[]): fc.Arbitrary<[string, Json]> {
  return fc.oneof(
    fc.tuple(fc.constantFrom(...INJECTION_KEYS), hostileValue),
    fc.tuple(
      fc.constantFrom(...(fields.length ? fields : ['field'])).map((f) => `${f}[$ne]`),
      hostileValue,
    ),
    fc.tuple(
      fc.string({ minLength: 1, maxLength: 30 }).filter((k) => k !== '_csrf' && !fields.includes(k)),
      hostileValue,
    ),
    ...(fields.length
      ? [
          fc.tuple(
            fc.constantFrom(...fields),
            fc.constantFrom<Json>({ $gt: '' }, { $where: '1' }, { nested: { deep: [1, 2] } }),
          ),
        ]
      : []),
  );
}

type Encoding = 'json' | 'form';

/** JSON text built key by key, so `__proto__` and `constructor` arrive as real keys. */
function jsonText(entries: Array<[string, Json]>): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
}

/** Urlencoded, with nested values flattened into bracket keys (the classic `a[$ne]=1`). */
function formText(entries: Array<[string, Json]>): string {
  const out = new URLSearchParams();
  const add = (k: string, v: Json) => {
    // Empty lists and objects still send the key, so the hostile key itself always arrives.
    if (
      v === null ||
      (Array.isArray(v) && v.length === 0) ||
      (typeof v === 'object' && Object.keys(v).length === 0)
    )
      out.append(k, '');
    else if (Array.isArray(v)) for (const item of v) add(k, item);
    else if (typeof v === 'object') for (const [sub, x] of Object.entries(v)) add(`${k}[${sub}]`, x);
    else out.append(k, String(v));
  };
  for (const [k, v] of entries) add(k, v);
  return out.toString();
}

function count(res: LightMyRequestResponse) {
  statusCounts.set(res.statusCode, (statusCounts.get(res.statusCode) ?? 0) + 1);
}

function expectRefused(res: LightMyRequestResponse, what: string) {
  count(res);
  expect(res.statusCode, `${what} → ${res.statusCode} ${res.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, `${what} → ${res.statusCode} ${res.body.slice(0, 300)}`).toBeLessThan(500);
  expect(res.body, what).not.toMatch(/at .*\.(ts|js):\d+|MongoServerError|ValidationError: /);
}

describe('hostile input on every state-changing route', () => {
  it('has state-changing routes to attack', () => {
    expect(targets.length).toBeGreaterThan(0);
  });

  it.each(targets.map((r) => [`${r.method} ${r.url}`, r] as const))('%s', async (_n, route) => {
    const sample = sampleFor(route.method, route.url);
    expect(sample, `no ROUTE_SAMPLES entry for ${route.method} ${route.url}`).toBeDefined();
    const url = await sampleUrl(ctx, route.method, route.url);
    let { s, csrfPage, email } = await clientFor(route.access);
    let token = await s.csrf(csrfPage);
    const fields = await requiredFields(s, route.method, url, token, authFor(route));
    // The probe may have completed a valid request (e.g. a logout): start again from a fresh session.
    if (email && !(await stillSignedIn(s))) ({ s, csrfPage, email } = await clientFor(route.access));
    token = await s.csrf(csrfPage);
    const send = (payload: string | Buffer, contentType: string, extra: Record<string, string> = {}) =>
      s.request({
        method: route.method as 'POST',
        url,
        payload,
        headers: {
          'content-type': contentType,
          'x-csrf-token': token,
          accept: 'text/html',
          ...authFor(route),
          ...extra,
        },
      });

    const before = await snapshotDb(t.app.db.conn);

    const body = fc.record({
      encoding: fc.constantFrom<Encoding>('json', 'form'),
      entries: fc.array(fc.tuple(fc.constantFrom(...(fields.length ? fields : ['x'])), hostileValue), {
        maxLength: 4,
      }),
      poison: fc.array(poison(fields), { minLength: 1, maxLength: 3 }),
      position: fc.nat(),
    });
    await fc.assert(
      fc.asyncProperty(body, async ({ encoding, entries, poison: bad, position }) => {
        // A later duplicate key would overwrite the poison in JSON, so poisoned keys appear only as poison.
        const all: Array<[string, Json]> = [
          ['_csrf', token],
          ...entries.filter(([k]) => !bad.some(([b]) => b === k)),
        ];
        const at = position % (all.length + 1);
        all.splice(at, 0, ...bad.filter(([k], i) => bad.findLastIndex(([b]) => b === k) === i));
        const res =
          encoding === 'json'
            ? await send(jsonText(all), 'application/json')
            : await send(formText(all), 'application/x-www-form-urlencoded');
        tried.generated += 1;
        expectRefused(res, `${route.method} ${url} ${encoding} ${JSON.stringify(all).slice(0, 200)}`);
      }),
      { numRuns: RUNS_PER_ROUTE, seed: Number(process.env.FC_SEED ?? 20260302), endOnFailure: true },
    );

    // Routes such as the CSV import accept more than the app-wide limit; probe past the route's own.
    const limit = route.bodyLimit ?? BODY_LIMIT;
    const fixed: Array<[string, () => Promise<LightMyRequestResponse>]> = [
      [
        'oversized form',
        () => send(`_csrf=${token}&x=${'a'.repeat(limit + 10)}`, 'application/x-www-form-urlencoded'),
      ],
      [
        'oversized JSON',
        () =>
          send(
            jsonText([
              ['_csrf', token],
              ['x', 'a'.repeat(limit + 10)],
            ]),
            'application/json',
          ),
      ],
      [
        'invalid UTF-8 form',
        () =>
          send(
            Buffer.concat([
              Buffer.from(`_csrf=${encodeURIComponent(token)}&${fields[0] ?? 'x'}=`),
              Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
              Buffer.from('&$gt=1'),
            ]),
            'application/x-www-form-urlencoded',
          ),
      ],
      [
        'invalid UTF-8 JSON',
        () =>
          send(
            Buffer.concat([
              Buffer.from(`{"_csrf":"${token}","${fields[0] ?? 'x'}":"`),
              Buffer.from([0xff, 0xc0, 0x80]),
              Buffer.from('","$where":"1"}'),
            ]),
            'application/json',
          ),
      ],
      [
        'percent-encoded garbage',
        () => send(`_csrf=${token}&%ZZ%=%E0%A4%A&a[$ne]=1`, 'application/x-www-form-urlencoded'),
      ],
      ['truncated JSON', () => send(`{"_csrf":"${token}","a":`, 'application/json')],
      ['JSON array body', () => send('[1,2,3]', 'application/json')],
      ['JSON string body', () => send('"just a string"', 'application/json')],
      ['JSON null body', () => send('null', 'application/json')],
      [
        'deeply nested JSON',
        () => send(`{"_csrf":"${token}","a":${'['.repeat(5000)}${']'.repeat(5000)}}`, 'application/json'),
      ],
      ['__proto__ JSON', () => send(`{"_csrf":"${token}","__proto__":{"role":"admin"}}`, 'application/json')],
      [
        'constructor.prototype JSON',
        () => send(`{"_csrf":"${token}","constructor":{"prototype":{"role":"admin"}}}`, 'application/json'),
      ],
      ['plain text', () => send('hello', 'text/plain')],
      ['XML', () => send('<?xml version="1.0"?><a>1</a>', 'application/xml')],
      ['multipart without boundary', () => send('--x\r\n\r\n', 'multipart/form-data')],
      ['empty body with JSON type', () => send('', 'application/json')],
    ];
    for (const [what, run] of fixed) {
      const res = await run();
      tried.fixed += 1;
      expectRefused(res, `${route.method} ${url} ${what}`);
      if (what.startsWith('oversized')) expect(res.statusCode, what).toBe(413);
    }

    expect(
      changedCollections(before, await snapshotDb(t.app.db.conn)),
      `${route.method} ${url} changed the database`,
    ).toEqual([]);
    // The attack did not end the session either.
    if (email) expect(await stillSignedIn(s)).toBe(true);
  });
});
