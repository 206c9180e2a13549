import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateDoc } from '../../src/db/models/records.js';
import type { UserDoc } from '../../src/db/models/user.js';
import { formatFingerprint } from '../../src/domain/audit-anchor.js';
import { auditChainEnd } from '../../src/services/audit/log.js';
import { buildAssignment, buildCycle, buildPerson, COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { newAuditKeyPair } from '../helpers/audit-key.js';
import { TestClock } from '../helpers/clock.js';
import { pdfFlowedText } from '../helpers/pdf-text.js';

// Today is 15 April 2026, so "last quarter" is 1 January to 31 March 2026. In the Audit Desk:
// Ada completed policy version 2 on 10 February; Bob never did, was granted extra attempts and a
// due-date extension in March (still overdue on 31 March), and another extension in April (after
// the period). Cy, in another department, completed in February too.
const DESK = 'Audit Desk';
let t: TestApp;
let hr: Session;
let hrUser: UserDoc;
const ada = buildPerson({ email: 'ada@desk.test', name: 'Ada Auditor', department: DESK });
const bob = buildPerson({ email: 'bob@desk.test', name: 'Bob Behind', department: DESK });
const cy = buildPerson({ email: 'cy@elsewhere.test', name: 'Cy Elsewhere', department: 'Elsewhere' });

function certificate(
  person: UserDoc,
  code: string,
  completedAt: string,
  policyVersion: number,
): CertificateDoc {
  return {
    _id: code,
    cycleId: `${person._id}:${COURSE_ID}:1`,
    cycleNo: 1,
    userId: person._id,
    courseId: COURSE_ID,
    name: person.name,
    courseTitle: 'Social media policy',
    contentVersion: 'c0ffee0123456789',
    policyVersion,
    replacesVersion: null,
    score: 92,
    completedAt: new Date(completedAt),
    expiresAt: null,
    issuedAt: new Date(completedAt),
  };
}

beforeAll(async () => {
  t = await createTestApp({
    label: 'hr-compliance',
    clock: new TestClock('2026-04-15T09:00:00Z'),
    config: { AUDIT_SIGNING_KEY: newAuditKeyPair().privatePem },
  });
  const { User, Assignment, Cycle, Certificate } = t.app.db.models;
  await User.insertMany([ada, bob, cy]);
  const completed = { state: 'completed', completedAt: new Date('2026-02-10T11:00:00Z') };
  await Assignment.insertMany([
    buildAssignment(ada, completed),
    buildAssignment(bob, { state: 'overdue' }),
    buildAssignment(cy, completed),
  ]);
  await Cycle.insertMany([
    buildCycle(ada, 1, { completedAt: completed.completedAt, attestedVersion: 'c0ffee0123456789' }),
    buildCycle(bob, 1),
    buildCycle(cy, 1, { completedAt: completed.completedAt }),
  ]);
  await Certificate.insertMany([
    certificate(ada, 'ADA1-ADA1-ADA1-ADA1', '2026-02-10T11:00:00Z', 2),
    certificate(cy, 'CYCY-CYCY-CYCY-CYCY', '2026-02-12T11:00:00Z', 2),
  ]);
  hrUser = (await User.findOne({ email: 'hr@demo.test' }).lean<UserDoc>())!;
  const { assignments, quiz } = t.app.services;
  const base = { actorId: hrUser._id, userId: bob._id, courseId: COURSE_ID };
  await quiz.grantAttempts({
    ...base,
    count: 2,
    reason: 'Exam room fire alarm',
    now: new Date('2026-03-05T10:00:00Z'),
  });
  const extend = (dueAt: string, reason: string, now: string) =>
    assignments.extendDueDate({ ...base, dueAt: new Date(dueAt), reason, now: new Date(now) });
  await extend('2026-03-20', 'Long-term sick leave', '2026-03-10T10:00:00Z');
  await extend('2026-05-01', 'Asked after the quarter', '2026-04-02T10:00:00Z');
  // The hour's signed anchor, as the sweep writes it.
  await t.app.audit.anchor(t.clock.now());
  hr = await loginAs(t.app, 'hr@demo.test');
});
afterAll(async () => t.close());

describe('compliance report PDF', () => {
  it('offers last quarter and every department on the reports page, with date fields', async () => {
    const html = (await hr.get('/hr/reports')).body;
    expect(html).toMatch(/<input[^>]*id="from"[^>]*type="date"[^>]*value="2026-01-01"/);
    expect(html).toMatch(/<input[^>]*id="to"[^>]*type="date"[^>]*value="2026-03-31"/);
    expect(html).toMatch(/<option value="Audit Desk">Audit Desk<\/option>/);
    expect(html).toContain('action="/hr/reports/compliance.pdf"');
  });

  it("says who was assigned, completed, overdue and excused in one department's quarter, and the audit check", async () => {
    const fingerprint = formatFingerprint(await auditChainEnd(t.app.db.models));
    const res = await hr.get(
      `/hr/reports/compliance.pdf?from=2026-01-01&to=2026-03-31&department=${encodeURIComponent(DESK)}`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(
      'compliance-report-2026-01-01-to-2026-03-31-Audit-Desk.pdf',
    );
    const text = await pdfFlowedText(res.rawPayload);

    expect(text).toContain('Compliance report');
    expect(text).toContain('1 January 2026 to 31 March 2026');
    expect(text).toContain('Department: Audit Desk');
    expect(text).toMatch(
      /Assigned \(2\) .*Ada Auditor ada@desk\.test Audit Desk 5 January 2026 .*Bob Behind/,
    );
    expect(text).toMatch(
      /Completed \(1\) .*Ada Auditor ada@desk\.test 10 February 2026 Policy version 2 ADA1-ADA1-ADA1-ADA1/,
    );
    expect(text).toMatch(
      /Overdue at the end of 31 March 2026 \(1\) .*Bob Behind bob@desk\.test Audit Desk due 20 March 2026/,
    );
    expect(text).toMatch(
      /Exceptions granted \(2\) .*5 March 2026 Bob Behind Extra quiz attempts: 2 Exam room fire alarm/,
    );
    expect(text).toMatch(
      /10 March 2026 Bob Behind Due date extended from 15 February 2026 to 20 March 2026 Long-term sick leave/,
    );
    expect(text).not.toContain('Asked after the quarter');
    expect(text).not.toContain('Cy Elsewhere');
    expect(text).toContain('Audit log verified: intact');
    expect(text).toContain(`Fingerprint: ${fingerprint}`);
  });

  it("is written in the requesting HR person's language: Spanish words and days, Arabic in an Arabic-capable font", async () => {
    const query = `from=2026-01-01&to=2026-03-31&department=${encodeURIComponent(DESK)}`;
    const es = await pdfFlowedText(
      (await hr.get(`/hr/reports/compliance.pdf?${query}`, { 'accept-language': 'es' })).rawPayload,
    );
    expect(es).toContain('Informe de cumplimiento');
    expect(es).toContain('del 1 de enero de 2026 al 31 de marzo de 2026');
    expect(es).toMatch(/Asignadas \(2\) .*Ada Auditor ada@desk\.test Audit Desk 5 de enero de 2026/);
    expect(es).toContain('Intentos adicionales de cuestionario: 2 Exam room fire alarm');
    expect(es).not.toContain('Compliance report');
    const ar = await hr.get(`/hr/reports/compliance.pdf?${query}`, { 'accept-language': 'ar' });
    expect(ar.statusCode).toBe(200);
    expect(ar.rawPayload.toString('latin1')).toContain('/Lang (ar)');
    expect(ar.rawPayload.toString('latin1')).toContain('DejaVuSans');
  });

  it('defaults to last quarter and all departments with one click, and audits the download', async () => {
    const res = await hr.get('/hr/reports/compliance.pdf');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(
      'compliance-report-2026-01-01-to-2026-03-31-all-departments.pdf',
    );
    const text = await pdfFlowedText(res.rawPayload);
    expect(text).toContain('Department: all departments');
    expect(text).toContain('Cy Elsewhere');
    const event = await t.app.db.models.AuditEvent.findOne({ action: 'report.compliance.exported' })
      .sort({ seq: -1 })
      .lean();
    expect(event).toMatchObject({
      actorId: hrUser._id,
      details: { from: '2026-01-01', to: '2026-03-31', department: null },
    });
  });

  it('says so when the audit log was edited, naming the first broken event', async () => {
    // Raw driver access, as someone editing the database would: HR's reason rewritten.
    const extension = await t.app.db.models.AuditEvent.findOne({ action: 'assignment.extended' })
      .sort({ seq: 1 })
      .lean();
    await t.app.db.models.AuditEvent.collection.updateOne(
      { _id: extension!._id as never },
      { $set: { 'details.to': new Date('2026-12-31T00:00:00Z') } },
    );
    const res = await hr.get('/hr/reports/compliance.pdf?from=2026-01-01&to=2026-03-31');
    const text = await pdfFlowedText(res.rawPayload);
    expect(text).toContain('Audit log verification FAILED');
    expect(text).toContain(`event ${extension!.seq}: content does not match its hash`);
    expect(text).not.toContain('Audit log verified: intact');
  });

  it('shows the reports page again with each wrong date linked to its field', async () => {
    const res = await hr.get('/hr/reports/compliance.pdf?from=2026-02-30&to=2026-03-31&department=');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain(
      '<a href="#from">Enter the start date as a real date, for example 2026-01-01</a>',
    );
    expect(res.body).toMatch(/<input[^>]*id="from"[^>]*value="2026-02-30"[^>]*aria-invalid="true"/);
  });
});
