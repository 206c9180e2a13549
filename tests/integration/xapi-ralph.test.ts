import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Ralph, startRalph } from '../helpers/ralph.js';

/** The tests' LRS itself (#27): what other xAPI tests rely on when they read statements back. */
describe('Ralph, the tests’ LRS', () => {
  let ralph: Ralph;
  beforeAll(async () => {
    ralph = await startRalph();
  });
  afterAll(async () => {
    await ralph?.stop();
  });

  const post = (body: unknown, password = ralph.password) =>
    fetch(`${ralph.endpoint}statements`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${ralph.username}:${password}`).toString('base64')}`,
        'content-type': 'application/json',
        'x-experience-api-version': '1.0.3',
      },
      body: JSON.stringify(body),
    });
  const statement = (id: string) => ({
    id,
    actor: { objectType: 'Agent', account: { homePage: 'https://lms.example', name: 'u-ralph' } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { en: 'completed' } },
    object: { objectType: 'Activity', id: 'https://lms.example/xapi/activities/course/ralph-check' },
  });

  it('stores a POSTed statement and reads it back, and keeps it across a restart on the same port', async () => {
    const id = randomUUID();
    expect(ralph.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/xAPI\/$/);
    const res = await post([statement(id)]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([id]);

    const [stored] = await ralph.statements({ statementId: id });
    expect(stored).toMatchObject(statement(id));

    await ralph.stop();
    await expect(post([statement(randomUUID())])).rejects.toThrow();
    await ralph.restart();
    expect((await ralph.statements()).map((s) => s.id)).toEqual([id]);
  });

  it('refuses a wrong password and answers 409 to a statement id it already has', async () => {
    expect((await post([statement(randomUUID())], 'wrong')).status).toBe(401);
    const id = randomUUID();
    expect((await post([statement(id)])).status).toBe(200);
    expect((await post([statement(id)])).status).toBe(409);
  });
});
