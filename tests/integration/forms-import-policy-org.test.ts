import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { expectLinkedError, inputShape, pageDoc } from '../helpers/form-errors.js';

let t: TestApp;
let hr: Session;
let admin: Session;
beforeAll(async () => {
  t = await createTestApp({ label: 'forms-import-policy-org' });
  t.clock.set('2026-03-02T09:00:00Z');
  await createUser(t.app, { email: 'admin2@demo.test', name: 'Admin 2', role: 'admin' });
  hr = await loginAs(t.app, 'hr@demo.test');
  admin = await loginAs(t.app, 'admin@demo.test');
});
afterAll(async () => t.close());

describe('the people import form (shared partials)', () => {
  it('shows an empty paste’s message linked to the CSV box, the switch beside its label', async () => {
    const page = await hr.get('/hr/people/import');
    expect(pageDoc(page.body).querySelector('#deactivateMissing + label.checkboxes-label')).not.toBeNull();
    const res = await hr.post('/hr/people/import', { csv: ' ', fileName: '' }, '/hr/people/import');
    expect(res.statusCode).toBe(400);
    expectLinkedError(res.body, 'csv', 'Paste the CSV, including its header row.');
    expect(pageDoc(res.body).getElementById('csv')?.getAttribute('aria-describedby')).toBe(
      'csv-hint csv-error',
    );
  });
});

const base = `/hr/courses/${COURSE_ID}/policy`;

describe('the policy edit, submit and approve forms (shared partials)', () => {
  it('links an edit’s message to its field, the kinds of change as radios beside their labels', async () => {
    const page = await hr.get(`${base}/edit?clauseId=SMP-02`);
    expect(page.statusCode).toBe(200);
    const doc = pageDoc(page.body);
    expect(doc.querySelector('#kind-re-attest + label.radios-label')).not.toBeNull();
    const value = (id: string) => doc.getElementById(id)?.getAttribute('value') ?? '';
    const res = await hr.post(
      `${base}/edit`,
      {
        clauseId: 'SMP-02',
        kind: 'minor',
        title: value('title'),
        summary: 'x'.repeat(301),
        text: 'Some text',
      },
      base,
    );
    expect(res.statusCode).toBe(400);
    expectLinkedError(res.body, 'summary', 'The summary is 301 characters; keep it to 300.');
  });

  it('links the change note’s message, and the approval’s due date is a date input with its message', async () => {
    const page = await hr.get(`${base}/edit?clauseId=SMP-02`);
    const doc = pageDoc(page.body);
    const value = (id: string) => doc.getElementById(id)?.getAttribute('value') ?? '';
    const edited = await hr.post(
      `${base}/edit`,
      {
        clauseId: 'SMP-02',
        kind: 'minor',
        title: value('title'),
        summary: value('summary'),
        text: 'New wording.',
      },
      base,
    );
    expect(edited.statusCode).toBe(303);
    const noNote = await hr.post(`${base}/submit`, { note: ' ' }, base);
    expect(noNote.statusCode).toBe(400);
    expectLinkedError(noNote.body, 'note', 'Say what changed and why; employees see this note.');
    expect((await hr.post(`${base}/submit`, { note: 'Clearer wording.' }, base)).statusCode).toBe(303);

    const approvePage = await admin.get(base);
    expect(inputShape(approvePage.body, 'dueDate')?.type).toBe('date');
    const revision = /name="revision" value="(\d+)"/.exec(approvePage.body)?.[1] ?? '0';
    const late = await admin.post(`${base}/approve`, { dueDate: '2020-01-01', revision }, base);
    expect(late.statusCode).toBe(400);
    expectLinkedError(late.body, 'dueDate', 'Enter a due date (YYYY-MM-DD) that is today or later.');
  });
});

const ORG = {
  name: 'Harrier Logistics',
  shortName: 'Harrier',
  brandColour: '#ffcc00',
  commsName: 'Press office',
  commsChannel: 'not a channel',
  hrName: 'People team',
  hrChannel: '#people',
  securityName: 'Security desk',
  securityChannel: 'https://security.harrier.example/report',
  privacyName: 'DPO',
  privacyChannel: 'dpo@harrier.example',
  whistleblowingName: 'Speak up',
  whistleblowingChannel: 'https://speakup.harrier.example',
  clientListUrl: 'nowhere',
};

/** The organisation form as a browser posts it (multipart, no file chosen). */
async function postOrganisation(fields: Record<string, string>) {
  const boundary = '----formsorg';
  const csrf = await admin.csrf('/admin/organisation');
  const parts = Object.entries({ _csrf: csrf, ...fields }).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  return admin.request({
    method: 'POST',
    url: '/admin/organisation',
    payload: `${parts.join('')}--${boundary}--\r\n`,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

describe('the organisation profile form (shared partials)', () => {
  it('shows the same messages linked to their fields, regions as checkboxes beside their labels', async () => {
    const res = await postOrganisation(ORG);
    expect(res.statusCode).toBe(400);
    expectLinkedError(
      res.body,
      'brandColour',
      'White header text on this colour is below the 4.5:1 contrast ratio. Choose a darker colour.',
    );
    expectLinkedError(
      res.body,
      'commsChannel',
      'Enter an e-mail address, a web address (https://…) or a chat channel (#name) for the communications and press contact.',
    );
    expectLinkedError(
      res.body,
      'clientListUrl',
      'Enter the web address (https://…) of the approved client reference list.',
    );
    expectLinkedError(res.body, 'regions', 'Tick at least one region where staff work.');
    expect(pageDoc(res.body).querySelector('#regions + label.checkboxes-label')).not.toBeNull();
    expect(inputShape(res.body, 'logo')?.type).toBe('file');
  });
});
