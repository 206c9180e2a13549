import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { newToken, newUserBody, scimClient } from './scim-support.js';

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
