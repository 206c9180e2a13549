import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentKey } from '../../src/db/keys.js';
import type { AuditEventDoc } from '../../src/db/models/audit-event.js';
import type { CertificateDoc } from '../../src/db/models/records.js';
import type { AssignmentDoc } from '../../src/db/models/training.js';
import { verifyAuditChain } from '../../src/services/audit/verify.js';
import type { EvidencePack } from '../../src/services/records/evidence.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { pdfText } from '../helpers/pdf-text.js';
import { completeWithCertificate, learnerByEmail } from './records-helpers.js';

/**
 * HR revokes a certificate (issued in error, or the completion was not honest): exactly once, with
 * a reason in the audit log; the public check says "Revoked on <date>" without the reason; the PDF
 * is stamped; the evidence pack and HR's page show it; and the person is no longer counted as
 * complete: a retake cycle opens, due 14 days later.
 */

let t: TestApp;
let hr: Session;
let ava: Awaited<ReturnType<typeof learnerByEmail>>;
let ben: Awaited<ReturnType<typeof learnerByEmail>>;
let avaCode: string;
let benCode: string;
const REASON = 'Quiz answers were shared in the team chat before the attempt';

const revokeUrl = (userId: string, code: string) => `/hr/employees/${userId}/certificates/${code}/revoke`;
const page = (userId: string) => `/hr/employees/${userId}`;

async function revocationEvents(code: string) {
  return t.app.db.models.AuditEvent.find({ action: 'certificate.revoked', targetId: code }).lean<
    AuditEventDoc[]
  >();
}
const certificate = (code: string) => t.app.db.models.Certificate.findById(code).lean<CertificateDoc>();
const completedCount = async () =>
  (await t.app.services.reporting.recomputeSummaries({ now: t.clock.now(), clauses: false }))
    .find((s) => s.courseId === COURSE_ID)!
    .cells.filter((c) => c.state === 'completed')
    .reduce((n, c) => n + c.n, 0);

beforeAll(async () => {
  t = await createTestApp({ label: 'records-revocation' });
  hr = await loginAs(t.app, 'hr@demo.test');
  ava = await learnerByEmail(t.app, 'ava.adams@demo.test');
  ben = await learnerByEmail(t.app, 'ben.bauer@demo.test');
  avaCode = (await completeWithCertificate(t.app, ava)).code;
  benCode = (await completeWithCertificate(t.app, ben)).code;
});
afterAll(async () => t.close());

describe('before revocation', () => {
  it('the verify page says valid and HR sees a revoke form with a CSRF token and a confirmation box', async () => {
    const verify = await t.app.inject({ method: 'GET', url: `/verify/${avaCode}` });
    expect(verify.body).toContain('This is a genuine certificate and it is still valid.');
    const res = await hr.get(page(ava.id));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`action="${revokeUrl(ava.id, avaCode)}"`);
    expect(res.body).toMatch(/name="_csrf" value="[^"]+"/);
    expect(res.body).toContain('name="confirm" value="yes" required');
    expect(res.body).toContain('must take the course again within 14 days');
  });
});

describe('who may revoke, and what input is refused', () => {
  const good = { reason: REASON, confirm: 'yes' };

  it('the holder, another employee and a manager are refused; anonymous is sent to log in', async () => {
    for (const email of ['ava.adams@demo.test', 'employee@demo.test', 'manager@demo.test']) {
      const s = await loginAs(t.app, email);
      expect((await s.post(revokeUrl(ava.id, avaCode), good)).statusCode).toBe(403);
    }
    const anonymous = await t.app.inject({
      method: 'POST',
      url: revokeUrl(ava.id, avaCode),
      payload: new URLSearchParams(good).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toMatch(/^\/login/);
  });

  it('HR without a CSRF token is refused', async () => {
    expect((await hr.post(revokeUrl(ava.id, avaCode), { ...good, _csrf: null })).statusCode).toBe(403);
    expect((await hr.post(revokeUrl(ava.id, avaCode), { ...good, _csrf: 'forged' })).statusCode).toBe(403);
  });

  it('a missing, short, blank or over-long reason, no confirmation, or operator injection is a 400', async () => {
    const bad: Array<Record<string, string>> = [
      { confirm: 'yes' },
      { reason: 'abc', confirm: 'yes' },
      { reason: '          ', confirm: 'yes' },
      { reason: 'x'.repeat(501), confirm: 'yes' },
      { reason: REASON },
      { reason: REASON, confirm: 'no' },
      { 'reason[$gt]': '', confirm: 'yes' },
      { ...good, 'userId[$ne]': 'x' },
    ];
    for (const body of bad) {
      const res = await hr.post(revokeUrl(ava.id, avaCode), body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    }
    expect((await certificate(avaCode))?.revokedAt ?? null).toBeNull();
    expect(await revocationEvents(avaCode)).toHaveLength(0);
  });

  it('an unknown code, or a code under another person, is a 404', async () => {
    expect((await hr.post(revokeUrl(ava.id, 'AAAA-BBBB-CCCC-DDDD'), good)).statusCode).toBe(404);
    expect((await hr.post(revokeUrl(ava.id, benCode), good)).statusCode).toBe(404);
    expect((await certificate(benCode))?.revokedAt ?? null).toBeNull();
  });
});

describe('revoking', () => {
  let completedBefore: number;

  it('records who, when and why on the certificate, with one audit event', async () => {
    completedBefore = await completedCount();
    const res = await hr.post(revokeUrl(ava.id, avaCode), { reason: `  ${REASON}  `, confirm: 'yes' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${page(ava.id)}?revoked=${avaCode}`);
    const hrUser = await learnerByEmail(t.app, 'hr@demo.test');
    const cert = await certificate(avaCode);
    expect(cert).toMatchObject({ revokedBy: hrUser.id, revokedReason: REASON });
    expect(cert?.revokedAt?.toISOString()).toBe(t.clock.now().toISOString());
    const events = await revocationEvents(avaCode);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: hrUser.id, subjectId: ava.id, targetType: 'certificate' });
    expect(events[0]!.details).toMatchObject({ courseId: COURSE_ID, retakeCycleNo: 2 });
    // HR's reason is about one person: in the event's erasable personal part (issue #25).
    expect(events[0]!.personal).toEqual({ reason: REASON });
    expect((await verifyAuditChain(t.app.db.models)).ok).toBe(true);
  });

  it('the public check says "Revoked on <date>" and keeps the reason internal', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/verify/${avaCode}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Revoked on 2 March 2026');
    expect(res.body).toContain('revoked by the issuer');
    expect(res.body).not.toContain('still valid');
    expect(res.body).not.toContain('Quiz answers were shared');
  });

  it('the person must retake: a new cycle due in 14 days, and the dashboard stops counting them complete', async () => {
    const assignment = await t.app.db.models.Assignment.findById(
      assignmentKey(ava.id, COURSE_ID),
    ).lean<AssignmentDoc>();
    expect(assignment).toMatchObject({ cycleNo: 2, completedAt: null, expiresAt: null });
    expect(assignment?.state).not.toBe('completed');
    expect(assignment?.dueAt?.toISOString().slice(0, 10)).toBe('2026-03-16');
    expect(await completedCount()).toBe(completedBefore - 1);
    const csv = await hr.get(`/hr/reports/status.csv?course=${COURSE_ID}`);
    const row = csv.body.split('\n').find((line) => line.includes('ava.adams@demo.test'));
    expect(row).toContain(',2,due-soon,2026-03-16,,,');
    const own = await loginAs(t.app, 'ava.adams@demo.test');
    expect((await own.get('/')).body).not.toContain(`/certificates/${avaCode}.pdf`);
  });

  it("the holder's PDF is stamped revoked, and so is HR's copy", async () => {
    const own = await loginAs(t.app, 'ava.adams@demo.test');
    for (const s of [own, hr]) {
      const res = await s.get(`/certificates/${avaCode}.pdf`);
      expect(res.statusCode).toBe(200);
      const text = await pdfText(res.rawPayload);
      expect(text).toContain('REVOKED on 2 March 2026: this certificate is no longer valid.');
    }
  });

  it('the evidence pack (JSON and page) and the HR page show the revocation; no second form', async () => {
    const json = await hr.get(`/hr/people/${ava.id}/evidence/${COURSE_ID}/1.json`);
    const pack: EvidencePack = JSON.parse(json.body);
    expect(pack.certificate).toMatchObject({ code: avaCode, revokedReason: REASON });
    expect(pack.certificate?.revokedAt).toBeTruthy();
    expect(pack.auditEvents.map((e) => e.action)).toContain('certificate.revoked');
    const own = await loginAs(t.app, 'ava.adams@demo.test');
    const html = await own.get(`/learn/${COURSE_ID}/evidence?cycle=1`);
    expect(html.body).toContain('(revoked)');
    const hrPage = await hr.get(`${page(ava.id)}?revoked=${avaCode}`);
    expect(hrPage.body).toContain(`Certificate <code>${avaCode}</code> was revoked.`);
    expect(hrPage.body).toContain('Revoked</span> on 2026-03-02');
    expect(hrPage.body).not.toContain(`action="${revokeUrl(ava.id, avaCode)}"`);
  });

  it('revoking again is a 409 that changes nothing and writes no second audit event', async () => {
    const before = await certificate(avaCode);
    t.clock.advanceMinutes(60);
    const res = await hr.post(revokeUrl(ava.id, avaCode), { reason: 'A different reason', confirm: 'yes' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('already revoked on 2 March 2026');
    expect(await certificate(avaCode)).toEqual(before);
    expect(await revocationEvents(avaCode)).toHaveLength(1);
    const assignment = await t.app.db.models.Assignment.findById(
      assignmentKey(ava.id, COURSE_ID),
    ).lean<AssignmentDoc>();
    expect(assignment?.cycleNo).toBe(2);
  });

  it('two revocations at once: one wins, one audit event, one retake cycle', async () => {
    const now = t.clock.now();
    const outcomes = await Promise.all(
      ['first HR reason', 'second HR reason'].map((reason) =>
        t.app.services.records.revokeCertificate({
          code: benCode,
          userId: ben.id,
          actorId: 'hr-x',
          reason,
          now,
        }),
      ),
    );
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['already-revoked', 'revoked']);
    expect(await revocationEvents(benCode)).toHaveLength(1);
    const cycles = await t.app.db.models.Cycle.find({ userId: ben.id }).lean();
    expect(cycles.map((c) => c.n).sort()).toEqual([1, 2]);
  });
});
