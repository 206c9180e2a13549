import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserDoc } from '../../src/db/models/user.js';
import { createMailer, type OutgoingMail } from '../../src/mail/transport.js';
import { needsMeSettled } from '../../src/services/reporting/needs-me.js';
import { buildCycle, COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { assignment, demoDepartment } from './hr-reports-support.js';

// Issue #28: HR home answers "what needs me today", each figure a link to the list behind it.
let t: TestApp;
let hr: Session;
let sales: UserDoc[];
let eng: UserDoc[];
const DAY = 86_400_000;

function feedback(u: UserDoc, n: number, status: 'open' | 'handled') {
  return {
    _id: `${u._id}:sub-${n}`,
    userId: u._id,
    userName: u.name,
    department: u.department,
    courseId: COURSE_ID,
    lessonId: 'think-before-you-post',
    contentVersion: 'v',
    kind: 'question',
    message: 'A question',
    status,
    createdAt: t.clock.now(),
    handledAt: null,
    handledBy: null,
  };
}

beforeAll(async () => {
  t = await createTestApp({ label: 'hr-home' });
  const now = t.clock.now().getTime();
  const { Assignment, Cycle, PolicyFeedback } = t.app.db.models;
  sales = await demoDepartment(t.app, 'Sales');
  eng = await demoDepartment(t.app, 'Engineering');
  const inDays = (d: number) => new Date(now + d * DAY);
  await Assignment.insertMany([
    assignment(sales[0]!, 'overdue'),
    assignment(sales[1]!, 'overdue'),
    assignment(eng[0]!, 'overdue'),
    assignment(eng[1]!, 'overdue', { active: false }), // assignment removed: not HR's problem today
    assignment(sales[2]!, 'completed', { expiresAt: inDays(10) }),
    assignment(eng[2]!, 'completed', { expiresAt: inDays(29) }),
    assignment(sales[3]!, 'completed', { expiresAt: inDays(45) }),
    assignment(sales[4]!, 'completed', { expiresAt: inDays(-3) }), // already expired: not "expiring"
    assignment(eng[3]!, 'in-progress', { cycleNo: 1 }),
    assignment(eng[4]!, 'in-progress', { cycleNo: 2 }),
    // The refresher cycle is open: the summary forgot the expiry, the completed cycle has it.
    assignment(eng[5]!, 'due-soon', { cycleNo: 2 }),
    // Renewed already: the old certificate's expiry is no longer HR's problem.
    assignment(sales[5]!, 'completed', { cycleNo: 2, expiresAt: inDays(360) }),
  ]);
  const completed = (u: UserDoc, n: number, expiresInDays: number) =>
    buildCycle(u, n, { completedAt: inDays(expiresInDays - 365), expiresAt: inDays(expiresInDays) });
  await Cycle.insertMany([
    // Used every attempt in the current cycle and waits for HR's decision.
    buildCycle(eng[3]!, 1, { exhaustedAt: inDays(-1), passedAt: null }),
    // An old cycle's exhaustion does not count once a later cycle is current.
    buildCycle(eng[4]!, 1, { exhaustedAt: inDays(-200), passedAt: null }),
    buildCycle(eng[4]!, 2),
    completed(sales[2]!, 1, 10),
    completed(eng[2]!, 1, 29),
    completed(sales[3]!, 1, 45),
    completed(sales[4]!, 1, -3),
    completed(eng[5]!, 1, 5),
    buildCycle(eng[5]!, 2),
    completed(sales[5]!, 1, 7),
    completed(sales[5]!, 2, 360),
  ]);
  await PolicyFeedback.insertMany([
    feedback(sales[0]!, 1, 'open'),
    feedback(sales[1]!, 2, 'open'),
    feedback(sales[1]!, 3, 'handled'),
  ]);
  hr = await loginAs(t.app, 'hr@demo.test');
});
afterAll(async () => t.close());

/** The figure and link of one "needs me" item, found by its id. */
function item(html: string, id: string) {
  const start = html.indexOf(`id="${id}"`);
  expect(start, id).toBeGreaterThan(0);
  const part = html.slice(start, html.indexOf('</li>', start));
  return {
    n: Number(/<span class="needs-n">(\d+)<\/span>/.exec(part)?.[1]),
    hrefs: [...part.matchAll(/href="([^"]+)"/g)].map((m) => (m[1] ?? '').replaceAll('&amp;', '&')),
    text: part.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '),
  };
}

describe('HR home: what needs me today', () => {
  it('says the figures are being counted on a first visit, and shows them once counted', async () => {
    const first = (await hr.get('/hr')).body;
    expect(first).toContain('being counted for the first time');
    expect(first).not.toContain('id="needs-overdue"');
    expect(first).toContain('id="needs-feedback"'); // live figures need no pass
    await needsMeSettled(t.app.db.models);
    expect((await hr.get('/hr')).body).toContain('id="needs-overdue"');
  });

  it('counts overdue people by department, each linking to the filtered people list', async () => {
    const html = (await hr.get('/hr')).body;
    const overdue = item(html, 'needs-overdue');
    expect(overdue.n).toBe(3);
    expect(overdue.hrefs).toContain('/hr/people?state=overdue');
    expect(overdue.hrefs).toContain('/hr/people?department=Sales&state=overdue');
    expect(overdue.hrefs).toContain('/hr/people?department=Engineering&state=overdue');
    expect(overdue.text).toMatch(/Sales\s*2/);
    expect(overdue.text).toMatch(/Engineering\s*1/);
  });

  it('lists people who used all their attempts, linking to where HR decides', async () => {
    const html = (await hr.get('/hr')).body;
    const used = item(html, 'needs-attempts');
    expect(used.n).toBe(1);
    expect(used.text).toContain(eng[3]!.name);
    expect(used.hrefs).toContain(`/hr/people/${eng[3]!._id}/courses/${COURSE_ID}/attempts`);
    expect(used.text).not.toContain(eng[4]!.name);
  });

  it('counts unanswered feedback and certificates expiring in the next 30 days', async () => {
    const html = (await hr.get('/hr')).body;
    const fb = item(html, 'needs-feedback');
    expect(fb.n).toBe(2);
    expect(fb.hrefs).toContain('/hr/feedback?status=open');
    const expiring = item(html, 'needs-expiring');
    expect(expiring.n).toBe(3);
    expect(expiring.text).toContain(eng[5]!.name);
    expect(expiring.text).not.toContain(sales[5]!.name);
    expect(expiring.text).not.toContain(sales[3]!.name);
    expect(expiring.hrefs).toContain(`/hr/employees/${eng[5]!._id}`);
    expect(expiring.hrefs.length).toBeGreaterThan(0);
    for (const href of [...fb.hrefs, ...expiring.hrefs, ...item(html, 'needs-overdue').hrefs])
      expect((await hr.get(href)).statusCode, href).toBe(200);
  });

  it('counts mail that failed to send', async () => {
    const html = (await hr.get('/hr')).body;
    const mail = item(html, 'needs-mail');
    expect(mail.n).toBe(0);
    expect(mail.text).toContain('No mail failed');
  });

  it('records mail an SMTP server refused, counts it and lists it with the reason', async () => {
    // Port 1: nothing listens, so the connection is refused at once. The second message, claimed
    // but never tried after the first failed, is recorded too.
    const mailer = createMailer(
      { SMTP_URL: 'smtp://127.0.0.1:1', MAIL_FROM: 'hr@demo.test' },
      t.app.db.models,
    );
    const mail = (n: number): OutgoingMail => ({
      id: `reminder-${n}`,
      to: [`person${n}@demo.test`],
      cc: [],
      subject: `Reminder ${n}: <overdue>`,
      text: 't',
      html: 'h',
      kind: 'reminder',
      reminderId: `reminder-${n}`,
    });
    await expect(mailer.sendMany([mail(1), mail(2)], t.clock.now())).rejects.toThrow();
    mailer.close();
    const html = (await hr.get('/hr')).body;
    const failed = item(html, 'needs-mail');
    expect(failed.n).toBe(2);
    expect(failed.hrefs).toEqual(['/hr/outbox/failed']);
    const list = await hr.get('/hr/outbox/failed');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('person1@demo.test');
    expect(list.body).toContain('Reminder 2: &lt;overdue&gt;');
    expect(list.body).toContain('ECONNREFUSED');
    // A week later the figure has moved on.
    t.clock.advance(8 * DAY);
    expect(item((await hr.get('/hr')).body, 'needs-mail').n).toBe(0);
    await needsMeSettled(t.app.db.models);
    t.clock.advance(-8 * DAY);
    // Back in time, the stored count is from the future: the next visit recounts it.
    await hr.get('/hr');
    await needsMeSettled(t.app.db.models);
  });

  it('recounts stored figures in the background once they are old, showing the old ones meanwhile', async () => {
    const { Assignment } = t.app.db.models;
    await Assignment.updateOne({ _id: `${sales[2]!._id}:${COURSE_ID}` }, { $set: { state: 'overdue' } });
    expect(item((await hr.get('/hr')).body, 'needs-overdue').n).toBe(3); // still the stored count
    t.clock.advance(11 * 60_000);
    expect(item((await hr.get('/hr')).body, 'needs-overdue').n).toBe(3); // stale: shown while recounting
    await needsMeSettled(t.app.db.models);
    expect(item((await hr.get('/hr')).body, 'needs-overdue').n).toBe(4);
  });

  it('still links to every HR area', async () => {
    const html = (await hr.get('/hr')).body;
    for (const href of ['/hr/dashboard', '/hr/people', '/hr/assignments', '/hr/outbox', '/hr/reports'])
      expect(html).toContain(`href="${href}"`);
  });
});
