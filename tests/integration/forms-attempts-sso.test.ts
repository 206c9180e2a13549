import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, Session, type TestApp } from '../helpers/app.js';
import { expectLinkedError, pageDoc } from '../helpers/form-errors.js';
import { newLearner, start } from './quiz-support.js';

let t: TestApp;
let hr: Session;
let admin: Session;
beforeAll(async () => {
  t = await createTestApp({ label: 'forms-attempts-sso' });
  hr = await loginAs(t.app, 'hr@demo.test');
  admin = await loginAs(t.app, 'admin@demo.test');
});
afterAll(async () => t.close());

describe('HR’s grant-more-attempts form (shared partials)', () => {
  it('links a missing reason to the reason box', async () => {
    const { id, session } = await newLearner(t.app, 'grant-form');
    expect(await start(session, COURSE_ID)).toBe(1);
    const url = `/hr/people/${id}/courses/${COURSE_ID}/attempts`;
    const page = await hr.get(url);
    expect(page.statusCode).toBe(200);
    expect(pageDoc(page.body).querySelector('label.label[for="grant-count"]')).not.toBeNull();
    const res = await hr.post(`${url}/grant`, { count: '1', reason: ' ' }, url);
    expect(res.statusCode).toBe(400);
    const message = pageDoc(res.body).getElementById('grant-reason-error')?.textContent ?? '';
    expect(message).toContain('Give a reason for the extra attempts');
    expectLinkedError(res.body, 'grant-reason', message);
  });
});

describe('the single sign-on page (shared partials)', () => {
  it('links a break-glass list refused by the server to the list, with the same message', async () => {
    const res = await admin.post(
      '/admin/sso/password',
      { passwordLogin: 'off', breakGlass: 'employee@demo.test' },
      '/admin/sso',
    );
    expect(res.statusCode).toBe(400);
    expectLinkedError(
      res.body,
      'breakGlass',
      'employee@demo.test is not an active admin account: list only active admins.',
    );
    const doc = pageDoc(res.body);
    expect(doc.querySelector('#pw-off + label.radios-label')?.textContent).toBe(
      'Only the break-glass admins below',
    );
    expect(doc.querySelector('#pw-off')?.hasAttribute('checked')).toBe(false);
  });

  it('keeps the ids the sign-in settings are known by, each box beside its label', async () => {
    const doc = pageDoc((await admin.get('/admin/sso')).body);
    for (const id of ['enabled', 'jitCreate', 'saml-enabled', 'saml-jitCreate'])
      expect(doc.querySelector(`#${id} + label.checkboxes-label`), id).not.toBeNull();
    expect(doc.querySelector('#jitCreate')?.getAttribute('name')).toBe('jitCreate');
    expect(doc.querySelector('#saml-providerName')?.getAttribute('name')).toBe('providerName');
  });
});

describe('the sign-in form (shared partials)', () => {
  it('links a failed sign-in’s message to the e-mail field', async () => {
    const res = await new Session(t.app).post(
      '/login',
      { email: 'hr@demo.test', password: 'wrong-password' },
      '/login',
    );
    expect(res.statusCode).toBe(401);
    const message = pageDoc(res.body).getElementById('email-error')?.textContent ?? '';
    expect(message).not.toBe('');
    expectLinkedError(res.body, 'email', message);
    expect(pageDoc(res.body).getElementById('password')?.getAttribute('autocomplete')).toBe(
      'current-password',
    );
  });
});
