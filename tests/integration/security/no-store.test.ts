import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, type Session, type TestApp } from '../../helpers/app.js';

let t: TestApp;
let employee: Session;
let hr: Session;
beforeAll(async () => {
  t = await createTestApp({ label: 'no-store' });
  employee = await loginAs(t.app, 'employee@demo.test');
  hr = await loginAs(t.app, 'hr@demo.test');
});
afterAll(async () => t.close());

const EMPLOYEE_PAGES = [
  '/',
  '/learn/social-media-policy',
  '/learn/social-media-policy/quiz',
  '/hr',
  '/nowhere',
];
const HR_PAGES = ['/hr', '/hr/people', '/hr/dashboard', '/hr/assignments', '/hr/outbox', '/team'];

describe('a signed-in person’s pages are never cached', () => {
  it('sends no-store on every page, error pages included', async () => {
    for (const [s, urls] of [
      [employee, EMPLOYEE_PAGES],
      [hr, HR_PAGES],
    ] as const) {
      for (const url of urls) {
        const res = await s.get(url);
        expect(res.headers['cache-control'], `${url} → ${res.statusCode}`).toMatch(/\bno-store\b/);
      }
    }
  });

  it('after sign-out the same page is a redirect to sign in, and static assets stay cacheable', async () => {
    const s = await loginAs(t.app, 'ava.adams@demo.test');
    expect((await s.post('/logout', {})).statusCode).toBe(303);
    const after = await s.get('/');
    expect(after.statusCode).toBe(302);
    const css = await employee.get('/static/css/app.css');
    expect(css.statusCode).toBe(200);
    expect(String(css.headers['cache-control'] ?? '')).not.toMatch(/no-store/);
  });
});
