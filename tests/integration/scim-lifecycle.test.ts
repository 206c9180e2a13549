import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { ENTERPRISE, newToken, newUserBody, PATCH_OP, scimClient } from './scim-support.js';

let t: TestApp;
let scim: ReturnType<typeof scimClient>;

beforeAll(async () => {
  t = await createTestApp({ label: 'scim-lifecycle', onErrorLog: (l) => console.error(l.slice(0, 1500)) });
  scim = scimClient(t.app, (await newToken(t.app)).token);
});
afterAll(() => t.close());

const byExternalId = (id: string) =>
  scim('GET', `/Users?filter=${encodeURIComponent(`externalId eq "${id}"`)}`);

describe('SCIM DELETE releases the externalId', () => {
  it('a person re-created with the same externalId but a new userName is created and found', async () => {
    const first = await scim('POST', '/Users', newUserBody('leaver@example.com', { externalId: 'ext-77' }));
    expect(first.statusCode).toBe(201);
    expect((await scim('DELETE', `/Users/${first.data.id}`)).statusCode).toBe(204);
    expect((await byExternalId('ext-77')).data.totalResults).toBe(0);

    const again = await scim('POST', '/Users', newUserBody('returner@example.com', { externalId: 'ext-77' }));
    expect(again.statusCode).toBe(201);
    expect(again.data.externalId).toBe('ext-77');
    const found = await byExternalId('ext-77');
    expect(found.data.totalResults).toBe(1);
    expect(found.data.Resources[0].id).toBe(again.data.id);

    // The deleted person, brought back by userName, no longer claims the externalId.
    const back = await scim('POST', '/Users', newUserBody('leaver@example.com'));
    expect(back.statusCode).toBe(201);
    expect(back.data.id).toBe(first.data.id);
    expect(back.data.externalId).toBeUndefined();
    expect((await byExternalId('ext-77')).data.Resources[0].id).toBe(again.data.id);
  });
});

describe('SCIM leaves break-glass admins able to sign in', () => {
  it('refuses to deactivate, delete or re-address a break-glass admin with 400 mutability', async () => {
    const admin = await t.app.db.models.User.findOne({ email: 'admin@demo.test' }).lean();
    if (!admin) throw new Error('no demo admin');
    await t.app.services.identity.saveSsoPasswordPolicy({
      actorId: admin._id,
      passwordLogin: 'off',
      breakGlass: 'admin@demo.test',
      now: new Date(),
    });
    const id = admin._id;
    const refused = [
      await scim('PATCH', `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      }),
      await scim('PATCH', `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'moved@demo.test' }],
      }),
      await scim('PUT', `/Users/${id}`, newUserBody('moved@demo.test')),
      await scim('PUT', `/Users/${id}`, newUserBody('admin@demo.test', { active: false })),
      await scim('DELETE', `/Users/${id}`),
    ];
    for (const res of refused) {
      expect(res.statusCode).toBe(400);
      expect(res.data.scimType).toBe('mutability');
      expect(res.data.detail).toMatch(/break-glass/);
    }
    const after = await scim('GET', `/Users/${id}`);
    expect(after.statusCode).toBe(200);
    expect(after.data).toMatchObject({ userName: 'admin@demo.test', active: true });
    // Other attributes still follow the directory.
    const dept = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: `${ENTERPRISE}:department`, value: 'IT' }],
    });
    expect(dept.statusCode).toBe(200);
  });
});
