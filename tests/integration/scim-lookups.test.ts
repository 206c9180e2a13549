import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { commandsDuring, monitoredUri } from '../helpers/db-commands.js';
import { newToken, newUserBody, PATCH_OP, scimClient } from './scim-support.js';

/**
 * Entra and Okta look a person up by userName before every create and by externalId throughout.
 * On FerretDB v1 only `_id` is indexed, so each lookup must be a read of a key document by `_id`:
 * a filter on any other field reads every person.
 */
let t: TestApp;
let scim: ReturnType<typeof scimClient>;

beforeAll(async () => {
  t = await createTestApp({ label: 'scim-lookups', mongoUri: monitoredUri(inject('mongoUri')) });
  scim = scimClient(t.app, (await newToken(t.app)).token);
});
afterAll(() => t.close());

const filter = (f: string) => `/Users?filter=${encodeURIComponent(f)}`;

async function lookup(f: string) {
  let total = -1;
  const scans: string[] = [];
  await commandsDuring(
    t.app,
    async () => {
      const res = await scim('GET', filter(f));
      expect(res.statusCode, res.body).toBe(200);
      total = res.data.totalResults;
    },
    scans,
  );
  return { total, scans };
}

describe('SCIM lookups by key', () => {
  it('a userName or externalId lookup, found or not, reads only by _id', async () => {
    const created = await scim(
      'POST',
      '/Users',
      newUserBody('keyed@example.com', { externalId: 'ext-keyed' }),
    );
    expect(created.statusCode, created.body).toBe(201);
    for (const [f, total] of [
      ['userName eq "nobody@example.com"', 0],
      ['externalId eq "ext-nobody"', 0],
      ['userName eq "keyed@example.com"', 1],
      ['externalId eq "ext-keyed"', 1],
    ] as const) {
      const seen = await lookup(f);
      expect(seen, f).toEqual({ total, scans: [] });
    }
  });

  it('externalId is one person’s: create, PUT and PATCH refuse a taken one with 409 uniqueness', async () => {
    const a = (await scim('POST', '/Users', newUserBody('ext-a@example.com', { externalId: 'ext-1' }))).data;
    const taken = await scim('POST', '/Users', newUserBody('ext-b@example.com', { externalId: 'ext-1' }));
    expect(taken.statusCode).toBe(409);
    expect(taken.data.scimType).toBe('uniqueness');
    const b = (await scim('POST', '/Users', newUserBody('ext-b@example.com', { externalId: 'ext-2' }))).data;

    const patch = await scim('PATCH', `/Users/${b.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'externalId', value: 'ext-1' }],
    });
    expect(patch.statusCode).toBe(409);
    expect(patch.data.scimType).toBe('uniqueness');
    const put = await scim(
      'PUT',
      `/Users/${b.id}`,
      newUserBody('ext-b@example.com', { externalId: 'ext-1' }),
    );
    expect(put.statusCode).toBe(409);
    expect((await scim('GET', `/Users/${b.id}`)).data.externalId).toBe('ext-2');
    expect((await lookup('externalId eq "ext-2"')).total).toBe(1);

    // A moves to ext-3: ext-1 is free again and B takes it; ext-2 (B's old one) finds nobody.
    const moved = await scim('PATCH', `/Users/${a.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'externalId', value: 'ext-3' }],
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await lookup('externalId eq "ext-3"')).total).toBe(1);
    expect((await lookup('externalId eq "ext-1"')).total).toBe(0);
    const retaken = await scim(
      'PUT',
      `/Users/${b.id}`,
      newUserBody('ext-b@example.com', { externalId: 'ext-1' }),
    );
    expect(retaken.statusCode, retaken.body).toBe(200);
    const found = await scim('GET', filter('externalId eq "ext-1"'));
    expect(found.data.Resources.map((r: { id: string }) => r.id)).toEqual([b.id]);
    expect((await lookup('externalId eq "ext-2"')).total).toBe(0);

    // Removing it frees it too.
    await scim('PATCH', `/Users/${a.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: 'externalId' }],
    });
    expect((await lookup('externalId eq "ext-3"')).total).toBe(0);
  });
});
