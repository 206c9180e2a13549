import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { ENTERPRISE, newToken, newUserBody, PATCH_OP, scimClient } from './scim-support.js';

let t: TestApp;
let scim: ReturnType<typeof scimClient>;
const protoKeys = () => Object.getOwnPropertyNames(Object.prototype).sort();
let baseline: string[];
let n = 0;

beforeAll(async () => {
  t = await createTestApp({ label: 'scim-hostile', onErrorLog: (l) => console.error(l.slice(0, 1500)) });
  scim = scimClient(t.app, (await newToken(t.app)).token);
  baseline = protoKeys();
});
afterAll(() => t.close());
afterEach(() => {
  // A failing run cleans up, so one pollution does not hide the next case's.
  for (const k of protoKeys()) if (!baseline.includes(k)) delete (Object.prototype as never)[k];
});

function unpolluted() {
  expect(({} as Record<string, unknown>).csrf).toBeUndefined();
  expect(protoKeys()).toEqual(baseline);
}

/** Parsed from text so `__proto__` is an own key, as it is in a request body. */
const HOSTILE_OPS: string[] = [
  '{"op":"Add","path":"constructor.prototype.csrf","value":false}',
  '{"op":"replace","path":"__proto__.csrf","value":false}',
  '{"op":"add","path":"name.__proto__.csrf","value":false}',
  '{"op":"add","path":"name.constructor.prototype.csrf","value":false}',
  '{"op":"add","path":"emails[type eq \\"work\\"].constructor.prototype.csrf","value":false}',
  '{"op":"add","path":"prototype","value":{"csrf":false}}',
  '{"op":"add","value":{"constructor.prototype.csrf":false}}',
  '{"op":"add","value":{"name.constructor.prototype.csrf":false}}',
  '{"op":"add","value":{"name":{"constructor.prototype.csrf":false}}}',
  '{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:constructor.prototype.csrf","value":false}',
  '{"op":"add","path":"name","value":{"constructor":{"prototype":{"csrf":false}}}}',
  '{"op":"add","value":{"__proto__":{"csrf":false}}}',
];

const patchBody = (op: string) => ({ schemas: [PATCH_OP], Operations: [JSON.parse(op)] });

describe('SCIM PATCH cannot reach shared prototypes', () => {
  it.each(HOSTILE_OPS)('refuses %s on a User and a Group', async (op) => {
    n += 1;
    const user = await scim('POST', '/Users', newUserBody(`proto${n}@example.com`));
    expect(user.statusCode).toBe(201);
    const res = await scim('PATCH', `/Users/${user.data.id}`, patchBody(op));
    expect(res.statusCode).toBe(400);
    unpolluted();
    const group = await scim('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: `G${n}`,
    });
    expect(group.statusCode).toBe(201);
    const g = await scim('PATCH', `/Groups/${group.data.id}`, patchBody(op));
    expect(g.statusCode).toBe(400);
    unpolluted();
  });

  it('names the refused path with scimType invalidPath', async () => {
    const user = await scim('POST', '/Users', newUserBody('proto-path@example.com'));
    const res = await scim('PATCH', `/Users/${user.data.id}`, patchBody(HOSTILE_OPS[0] as string));
    expect(res.data.scimType).toBe('invalidPath');
    const unknown = await scim(
      'PATCH',
      `/Users/${user.data.id}`,
      patchBody('{"op":"add","path":"favouriteColour","value":"red"}'),
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.data.scimType).toBe('invalidPath');
    unpolluted();
  });

  it('refuses POST and PUT bodies carrying __proto__ or constructor.prototype keys', async () => {
    const user = await scim('POST', '/Users', newUserBody('proto-put@example.com'));
    const bodies = [
      '{"__proto__":{"csrf":false}}',
      '{"name":{"__proto__":{"csrf":false}}}',
      '{"constructor":{"prototype":{"csrf":false}}}',
    ];
    for (const extra of bodies) {
      const body = { ...newUserBody('proto-post@example.com'), ...JSON.parse(extra) };
      expect((await scim('POST', '/Users', body)).statusCode).toBe(400);
      expect((await scim('PUT', `/Users/${user.data.id}`, body)).statusCode).toBe(400);
      unpolluted();
    }
  });

  it('still applies the clients ordinary paths', async () => {
    const user = await scim('POST', '/Users', newUserBody('proto-ok@example.com'));
    const res = await scim('PATCH', `/Users/${user.data.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: 'name.familyName', value: 'Byron' },
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'proto-ok2@example.com' },
        {
          op: 'replace',
          path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
          value: 'Poetry',
        },
        { op: 'replace', value: { active: 'True', displayName: 'Ada Byron' } },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.data.userName).toBe('proto-ok2@example.com');
    unpolluted();
  });
});

describe('SCIM filters with bad escapes', () => {
  it('answers userName eq "\\q" with 400 invalidFilter', async () => {
    const res = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "\\q"')}`);
    expect(res.statusCode).toBe(400);
    expect(res.data.scimType).toBe('invalidFilter');
  });
});

describe('SCIM attribute lengths are capped as on HR person form', () => {
  it('refuses an overlong name, department, employeeNumber or userName with 400 invalidValue naming it', async () => {
    const long = 'x'.repeat(250_000);
    const user = await scim('POST', '/Users', newUserBody('long@example.com'));
    const cases: Array<[string, Record<string, unknown>]> = [
      ['displayName', { displayName: long }],
      ['department', { [ENTERPRISE]: { department: long } }],
      ['employeeNumber', { [ENTERPRISE]: { employeeNumber: 'e'.repeat(500) } }],
      ['userName', { userName: `${'a'.repeat(300)}@example.com` }],
    ];
    for (const [attribute, extra] of cases) {
      const post = await scim('POST', '/Users', { ...newUserBody('long2@example.com'), ...extra });
      expect(post.statusCode, attribute).toBe(400);
      expect(post.data.scimType).toBe('invalidValue');
      expect(post.data.detail).toContain(attribute);
      const put = await scim('PUT', `/Users/${user.data.id}`, {
        ...newUserBody('long@example.com'),
        ...extra,
      });
      expect(put.statusCode, attribute).toBe(400);
    }
    const patch = await scim('PATCH', `/Users/${user.data.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'name.familyName', value: long }],
    });
    expect(patch.statusCode).toBe(400);
    expect(patch.data.detail).toContain('name');
    const group = await scim('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: long,
    });
    expect(group.statusCode).toBe(400);
    const after = await scim('GET', `/Users/${user.data.id}`);
    expect(after.data.displayName).toBe('Ada Lovelace');
  });
});
