import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';

let t: TestApp;
let learner: Session;
let hr: Session;

beforeAll(async () => {
  t = await createTestApp({ label: 'tracking-params' });
  await createUser(t.app, { email: 'learner@example.com' });
  await createUser(t.app, { email: 'hr@example.com', role: 'hr' });
  learner = await loginAs(t.app, 'learner@example.com');
  hr = await loginAs(t.app, 'hr@example.com');
});
afterAll(async () => t.close());

describe('parameters added by mail clients and campaign links', () => {
  it('are ignored on GET pages, which render as without them', async () => {
    const plain = await learner.get('/learn/social-media-policy');
    const tagged = await learner.get(
      '/learn/social-media-policy?utm_source=reminder&utm_medium=email&fbclid=x1',
    );
    expect(plain.statusCode).toBe(200);
    expect(tagged.statusCode).toBe(200);
    expect(tagged.body).toContain('<h1');
    const people = await hr.get('/hr/people?q=learner&utm_campaign=q4');
    expect(people.statusCode).toBe(200);
    expect(people.body).toContain('learner@example.com');
  });

  it('do not switch off validation of the parameters a page knows', async () => {
    const res = await hr.get('/hr/people?page=zero&utm_source=mail');
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('do not make request bodies lenient: an unknown form field is still refused', async () => {
    const res = await learner.post('/learn/social-media-policy/quiz/attempts', { surprise: '1' });
    expect(res.statusCode).toBe(400);
  });
});
