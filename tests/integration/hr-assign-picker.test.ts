/**
 * Issue #28 "pick, don't type" on /hr/assignments: departments are checkboxes from the departments
 * that exist, people are found with a server-side search (a JSON endpoint for the script, and a
 * search button that re-shows the form with matches as checkboxes or radios when there is no
 * script), dates and numbers are date/number inputs, and the server's messages are unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentKey } from '../../src/db/keys.js';
import type { AssignmentRuleDoc } from '../../src/db/models/hr.js';
import type { AssignmentDoc } from '../../src/db/models/training.js';
import { usersRepository } from '../../src/db/repositories/users.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';

let t: TestApp;
let hr: Session;

beforeAll(async () => {
  t = await createTestApp({ label: 'hr-assign-picker' });
  t.clock.set('2026-03-02T09:00:00Z');
  await createUser(t.app, { email: 'gone.person@demo.test', name: 'Gone Person', active: false });
  hr = await loginAs(t.app, 'hr@demo.test');
});
afterAll(async () => t.close());

const RULE = {
  courseId: COURSE_ID,
  targetKind: 'departments',
  dueKind: 'after-assignment',
  dueDays: '30',
  dueDate: '',
  newHireWithinDays: '',
};

const checkedValues = (html: string, name: string) =>
  [...html.matchAll(new RegExp(`<input[^>]*name="${name}"[^>]*>`, 'g'))]
    .map((m) => m[0])
    .filter((tag) => / checked/.test(tag))
    .map((tag) => /value="([^"]*)"/.exec(tag)![1]);

describe('the people search endpoint', () => {
  it('finds active people by name, e-mail or employee ID, not by department alone', async () => {
    const byName = await hr.get('/hr/people/search?q=erin%20ex');
    expect(byName.statusCode).toBe(200);
    expect(byName.json()).toEqual({
      people: [
        { name: 'Erin Example', email: 'employee@demo.test', employeeId: 'E0100', department: 'Sales' },
      ],
      more: false,
    });
    expect((await hr.get('/hr/people/search?q=E0100')).json().people[0].email).toBe('employee@demo.test');
    expect((await hr.get('/hr/people/search?q=EMPLOYEE@demo')).json().people).toHaveLength(1);
    // Harper Reyes is in People: a department is not a name.
    expect((await hr.get('/hr/people/search?q=People')).json().people).toEqual([]);
    expect((await hr.get('/hr/people/search?q=gone')).json().people).toEqual([]);
    expect((await hr.get('/hr/people/search?q=')).json()).toEqual({ people: [], more: false });
  });

  it('answers at most 20 people and says there are more', async () => {
    const res = (await hr.get('/hr/people/search?q=@demo.test')).json();
    expect(res.people).toHaveLength(20);
    expect(res.more).toBe(true);
  });

  it('is for HR only', async () => {
    const employee = await loginAs(t.app, 'employee@demo.test');
    expect((await employee.get('/hr/people/search?q=erin')).statusCode).toBe(403);
  });
});

describe('the assign form', () => {
  it('offers the departments that exist as checkboxes, and date and number inputs', async () => {
    const html = (await hr.get('/hr/assignments')).body;
    const departments = [...html.matchAll(/<input[^>]*name="department"[^>]*value="([^"]*)"/g)].map(
      (m) => m[1],
    );
    expect(departments).toEqual(['Engineering', 'IT', 'Operations', 'People', 'Sales']);
    expect(html).not.toContain('<textarea id="departments"');
    expect(html).toMatch(/<input[^>]*id="dueDate"[^>]*type="date"/);
    expect(html).toMatch(/<input[^>]*id="dueDays"[^>]*type="number"[^>]*min="0"[^>]*max="3650"/);
    expect(html).toMatch(/<input[^>]*id="newHireWithinDays"[^>]*type="number"[^>]*min="0"[^>]*max="3650"/);
    expect(html).toMatch(/<input[^>]*id="extend-dueDate"[^>]*type="date"/);
  });

  it('assigns to two ticked departments', async () => {
    const res = await hr.post('/hr/assignments', {
      ...RULE,
      department: ['Engineering', 'Operations'],
      dueDays: '14',
    });
    expect(res.statusCode).toBe(303);
    const rule = await t.app.db.models.AssignmentRule.findOne({
      'target.kind': 'departments',
    }).lean<AssignmentRuleDoc>();
    expect(rule?.target).toEqual({ kind: 'departments', departments: ['Engineering', 'Operations'] });
  });

  it('without a script, the search button shows the matches as checkboxes and keeps the form as filled', async () => {
    const rulesBefore = await t.app.db.models.AssignmentRule.countDocuments();
    const res = await hr.post('/hr/assignments', {
      ...RULE,
      targetKind: 'individuals',
      dueKind: 'fixed',
      dueDate: '2026-05-01',
      emails: ['employee@demo.test'],
      peopleQuery: 'adams',
      intent: 'search',
    });
    expect(res.statusCode).toBe(200);
    expect(await t.app.db.models.AssignmentRule.countDocuments()).toBe(rulesBefore);
    // The person already picked stays picked; the match is offered unticked.
    expect(checkedValues(res.body, 'emails')).toEqual(['employee@demo.test']);
    expect(res.body).toMatch(/<input[^>]*name="emails"[^>]*value="ava.adams@demo.test"/);
    expect(res.body).toContain('Erin Example');
    expect(checkedValues(res.body, 'targetKind')).toEqual(['individuals']);
    expect(checkedValues(res.body, 'dueKind')).toEqual(['fixed']);
    expect(res.body).toMatch(/<input[^>]*id="dueDate"[^>]*value="2026-05-01"/);
    expect(res.body).toMatch(/<input[^>]*id="emails"[^>]*value="adams"/);
  });

  it('assigns to the people picked, and names an unknown pick with the same message', async () => {
    const ok = await hr.post('/hr/assignments', {
      ...RULE,
      targetKind: 'individuals',
      emails: ['employee@demo.test', 'ava.adams@demo.test'],
    });
    expect(ok.statusCode).toBe(303);
    const rule = await t.app.db.models.AssignmentRule.findOne({
      'target.kind': 'individuals',
    }).lean<AssignmentRuleDoc>();
    expect(rule?.target.kind === 'individuals' && rule.target.userIds).toHaveLength(2);

    const bad = await hr.post('/hr/assignments', {
      ...RULE,
      targetKind: 'individuals',
      emails: 'nobody@x.test',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<a href="#emails">Nobody has these email addresses: nobody@x.test.</a>');
    const none = await hr.post('/hr/assignments', { ...RULE, targetKind: 'individuals' });
    expect(none.body).toContain('<a href="#emails">Enter between 1 and 500 email addresses.</a>');
  });

  it('keeps the server messages for dates, numbers and departments, each linked to its field', async () => {
    const res = await hr.post('/hr/assignments', {
      ...RULE,
      dueKind: 'fixed',
      dueDate: '2026-02-30',
      newHireWithinDays: '99999',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<a href="#departments">Enter at least one department.</a>');
    expect(res.body).toContain('<a href="#dueDate">Enter the due date as YYYY-MM-DD.</a>');
    expect(res.body).toContain('<a href="#newHireWithinDays">Enter a number of days, or leave it empty.</a>');
    expect(res.body).toMatch(/<input[^>]*id="departments"/);
    const days = await hr.post('/hr/assignments', { ...RULE, departments: 'Sales', dueDays: '-1' });
    expect(days.body).toContain('<a href="#dueDays">Enter a number of days between 0 and 3650.</a>');
    expect(days.body).toMatch(/<input[^>]*id="dueDays"[^>]*aria-invalid="true"/);
  });
});

describe('the extend form', () => {
  it('without a script, the search button lists the matches as radios and keeps the form as filled', async () => {
    const res = await hr.post('/hr/assignments/extend', {
      email: '',
      courseId: COURSE_ID,
      dueDate: '2026-06-30',
      reason: 'Parental leave',
      extendQuery: 'erin',
      intent: 'search',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(
      /<input[^>]*type="radio"[^>]*name="email"[^>]*value="employee@demo.test"|<input[^>]*name="email"[^>]*type="radio"[^>]*value="employee@demo.test"/,
    );
    expect(res.body).toMatch(/<input[^>]*id="extend-dueDate"[^>]*value="2026-06-30"/);
    expect(res.body).toContain('Parental leave');
    expect(res.body).not.toContain('There is a problem');
  });

  it('extends the picked person, and keeps the messages linked to the fields', async () => {
    const users = usersRepository(t.app.db.models);
    const erin = (await users.findByEmail('employee@demo.test'))!;
    await hr.post('/hr/assignments', { ...RULE, departments: 'Sales', dueDays: '10' });
    const bad = await hr.post('/hr/assignments/extend', {
      courseId: COURSE_ID,
      dueDate: 'soon',
      reason: '',
      extendQuery: '',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<a href="#extend-email">Nobody has that email address.</a>');
    expect(bad.body).toContain('<a href="#extend-dueDate">Enter the new due date as YYYY-MM-DD.</a>');
    expect(bad.body).toContain('<a href="#extend-reason">Give a reason; it is kept in the audit log.</a>');
    expect(bad.body).toMatch(/<input[^>]*id="extend-email"/);

    const ok = await hr.post('/hr/assignments/extend', {
      email: 'employee@demo.test',
      courseId: COURSE_ID,
      dueDate: '2026-06-30',
      reason: 'Parental leave',
      extendQuery: 'erin',
    });
    expect(ok.statusCode).toBe(303);
    const a = await t.app.db.models.Assignment.findById(
      assignmentKey(erin._id, COURSE_ID),
    ).lean<AssignmentDoc>();
    expect(a?.dueAt?.toISOString()).toBe('2026-06-30T00:00:00.000Z');
  });
});

describe('the picker script speaks the page language (issue #26)', () => {
  const attr = (html: string, name: string) =>
    new RegExp(`${name}="([^"]*)"`).exec(html)?.[1]?.replaceAll('&quot;', '"').replaceAll('&#39;', "'");

  it('gives the script its status words in the page language, as data attributes', async () => {
    const html = (await hr.get('/hr/assignments', { 'accept-language': 'de' })).body;
    expect(attr(html, 'data-status-nobody')).toBe('Niemand entspricht „{query}“.');
    expect(attr(html, 'data-status-failed')).toMatch(/Suche/);
    const found = JSON.parse(attr(html, 'data-status-found') ?? '[]') as string[];
    expect(found[0]).toBe('1 Person entspricht.');
    expect(found[4]).toBe('5 Personen entsprechen.');
    expect(found).toHaveLength(20);
    expect(attr(html, 'data-status-more')).toMatch(/^20 Personen entsprechen\. Nur die ersten 20/);
  });

  it('leaves no English words in the script', async () => {
    const { readFile } = await import('node:fs/promises');
    const script = await readFile(new URL('../../public/js/person-picker.js', import.meta.url), 'utf8');
    // The code, without its comments (which are for developers, in English).
    const code = script.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    expect(code).not.toMatch(/\bmatch(es)?\b|did not answer|Only the first/i);
  });
});
