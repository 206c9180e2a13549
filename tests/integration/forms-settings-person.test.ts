import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshSettled } from '../../src/services/reporting/summaries.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { courseSettingsForm } from '../helpers/course-settings-form.js';
import { expectLinkedError, inputShape, pageDoc } from '../helpers/form-errors.js';

let t: TestApp;
let hr: Session;
beforeAll(async () => {
  t = await createTestApp({ label: 'forms-settings-person' });
  hr = await loginAs(t.app, 'hr@demo.test');
});
afterAll(async () => t.close());

const SETTINGS = `/hr/courses/${COURSE_ID}/settings`;

describe('the course settings form (shared partials)', () => {
  it('offers numbers with the limits the server checks', async () => {
    const page = await hr.get(SETTINGS);
    expect(page.statusCode).toBe(200);
    const limits: Array<[string, string, string]> = [
      ['validityMonths', '1', '120'],
      ['windowDays', '0', '365'],
      ['graceDays', '0', '365'],
      ['calendarMonth', '1', '12'],
      ['calendarDay', '1', '31'],
      ['daysBeforeDue', '0', '365'],
      ['overdueEveryDays', '0', '365'],
      ['escalateAfterDays', '0', '365'],
      ['spacedEveryMonths', '0', '12'],
    ];
    for (const [id, min, max] of limits) {
      expect(inputShape(page.body, id), id).toEqual({ type: 'number', min, max, step: '1' });
    }
    expect(inputShape(page.body, 'renewal-dueDate')?.type).toBe('date');
    const doc = pageDoc(page.body);
    // Radios sit beside their labels; the fixed date's month and day are revealed by the calendar radio.
    expect(doc.querySelector('#cycleKind-2 + label.radios-label')?.textContent).toBe(
      'Every year on a fixed date',
    );
    expect(doc.getElementById('conditional-cycleKind-2')?.querySelector('#calendarMonth')).not.toBeNull();
  });

  it('shows the same messages, linked to their fields, for bad numbers', async () => {
    const res = await hr.post(
      SETTINGS,
      courseSettingsForm({
        validityMonths: '0',
        graceDays: 'lots',
        cycleKind: 'calendar',
        calendarMonth: '2',
        calendarDay: '30',
      }),
      SETTINGS,
    );
    expect(res.statusCode).toBe(400);
    expectLinkedError(res.body, 'validityMonths', 'Validity must be a whole number from 1 to 120.');
    expectLinkedError(res.body, 'graceDays', 'Grace period must be a whole number from 0 to 365.');
    expectLinkedError(res.body, 'calendarDay', 'That month has no such day.');
    // The person's own text comes back, and the calendar radio stays chosen so its fields show.
    const doc = pageDoc(res.body);
    expect(doc.querySelector<HTMLInputElement>('#graceDays')?.getAttribute('value')).toBe('lots');
    expect(doc.querySelector('#cycleKind-2')?.hasAttribute('checked')).toBe(true);
  });

  it('shows the renewal form’s messages linked to its fields', async () => {
    const res = await hr.post(
      `/hr/courses/${COURSE_ID}/renewal`,
      { requirement: 'full', dueDate: '2020-01-01', reason: ' ' },
      SETTINGS,
    );
    expect(res.statusCode).toBe(400);
    expectLinkedError(res.body, 'renewal-dueDate', 'Enter a due date (YYYY-MM-DD) that is today or later.');
    expectLinkedError(res.body, 'renewal-reason', 'Say what changed; it is kept in the audit log.');
  });
});

describe('the person form (shared partials)', () => {
  const person = (over: Record<string, string> = {}) => ({
    email: 'new.person@demo.test',
    name: 'New Person',
    employeeId: '',
    department: 'Sales',
    managerEmail: '',
    hireDate: '',
    locale: 'en',
    region: '',
    role: 'employee',
    active: 'yes',
    ...over,
  });

  it('asks for the hire date with a date input and the role with radios beside their labels', async () => {
    const page = await hr.get('/hr/people/new');
    expect(page.statusCode).toBe(200);
    expect(inputShape(page.body, 'hireDate')?.type).toBe('date');
    expect(inputShape(page.body, 'email')?.type).toBe('email');
    const doc = pageDoc(page.body);
    expect(doc.querySelector('#role + label.radios-label')?.textContent).toBe('Employee');
    expect(doc.querySelector('#active + label.checkboxes-label')).not.toBeNull();
  });

  it('shows the same messages, linked to their fields', async () => {
    const res = await hr.post(
      '/hr/people/new',
      person({
        email: 'not-an-email',
        name: ' ',
        hireDate: '02/03/2026',
        locale: '??',
        managerEmail: 'nobody@demo.test',
      }),
      '/hr/people/new',
    );
    expect(res.statusCode).toBe(400);
    expectLinkedError(res.body, 'email', 'Enter a valid email address, like name@example.com.');
    expectLinkedError(res.body, 'name', 'Enter the person’s name.');
    expectLinkedError(res.body, 'hireDate', 'Enter the hire date as YYYY-MM-DD.');
    expectLinkedError(res.body, 'locale', 'Choose one of the listed languages, or leave it not set.');
    expectLinkedError(res.body, 'managerEmail', 'Nobody has that email address. Add the manager first.');
  });

  it('links a role error to the role radios', async () => {
    const res = await hr.post('/hr/people/new', person({ role: 'admin' }), '/hr/people/new');
    expect(res.statusCode).toBe(400);
    expectLinkedError(res.body, 'role', 'Only an administrator can grant or remove the administrator role.');
  });
});

describe('the dashboard filters (shared partials)', () => {
  it('keep the chosen course and state selected, and the months as month inputs', async () => {
    await hr.get('/hr/dashboard'); // the first visit starts the count in the background
    await refreshSettled(t.app.db.models);
    const page = await hr.get(`/hr/dashboard?course=${COURSE_ID}&state=overdue&from=2026-01`);
    expect(page.statusCode).toBe(200);
    const doc = pageDoc(page.body);
    const selected = (id: string) => doc.querySelector(`#${id} option[selected]`)?.getAttribute('value');
    expect(selected('f-course')).toBe(COURSE_ID);
    expect(selected('f-state')).toBe('overdue');
    expect(inputShape(page.body, 'f-from')?.type).toBe('month');
    expect(doc.getElementById('f-from')?.getAttribute('value')).toBe('2026-01');
    expect(doc.querySelector('label.label[for="f-to"]')?.textContent).toBe('Due to (month)');
  });
});
