import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentKey } from '../../src/db/keys.js';
import { shownTextKey } from '../../src/services/records/policy-text.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { attestFormFields, postAttestForm } from '../helpers/attest-form.js';
import { pdfText } from '../helpers/pdf-text.js';
import { course, cycleOf, learnerByEmail, takeQuiz, viewAllLessons } from './records-helpers.js';

let t: TestApp;
let erin: Awaited<ReturnType<typeof learnerByEmail>>;
let s: Session;
const ATTEST = `/learn/${COURSE_ID}/attest`;

beforeAll(async () => {
  t = await createTestApp({ label: 'records-attest' });
  erin = await learnerByEmail(t.app, 'employee@demo.test');
  s = await loginAs(t.app, 'employee@demo.test');
});
afterAll(async () => t.close());

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

describe('attestation before passing', () => {
  it('explains that the quiz comes first and links to it', async () => {
    const res = await s.get(ATTEST);
    expect(res.statusCode).toBe(200);
    expect(text(res.body)).toContain('once you have passed the quiz');
    expect(res.body).toContain(`href="/learn/${COURSE_ID}/quiz"`);
    expect(res.body).not.toContain('name="typedName"');
  });

  it('refuses a signature with 409 and stores nothing', async () => {
    // No form on the page yet: a forged POST with the text as it is served (no region: every notice).
    const shown = await t.app.services.learning.courseForLearner({ region: null, course: course(t.app) });
    const read = { contentVersion: shown.course.version, textKey: shownTextKey(shown.course) };
    const res = await s.post(ATTEST, { ...read, typedName: erin.name, agreed: 'yes' }, ATTEST);
    expect(res.statusCode).toBe(409);
    expect(await t.app.db.models.Attestation.countDocuments({})).toBe(0);
  });
});

describe('complete in the order quiz → attest → lessons (real quiz and lesson services)', () => {
  /** The form as the page gave it when Erin signed (its CSRF token included). */
  let signedForm: Record<string, string>;

  it('shows the clauses and the form once the quiz is passed', async () => {
    const result = await takeQuiz(t.app, erin, true);
    expect(result.passed).toBe(true);
    const res = await s.get(ATTEST);
    expect(res.statusCode).toBe(200);
    for (const clause of course(t.app).clauses)
      expect(text(res.body)).toContain(clause.title.replace(/'/g, "'"));
    expect(res.body).toContain('name="typedName"');
    expect(res.body).toContain('name="agreed"');
  });

  it('rejects a name that does not match the profile with an accessible 400 form', async () => {
    const res = await postAttestForm(s, ATTEST, { typedName: 'Someone Else', agreed: 'yes' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="error-summary"');
    expect(res.body).toContain('aria-invalid="true"');
    expect(res.body).toMatch(/aria-describedby="typedName-hint typedName-error"/);
    expect(res.body).toContain('value="Someone Else"');
    expect(await t.app.db.models.Attestation.countDocuments({})).toBe(0);
  });

  it('rejects a missing tick with 400, even with the right name', async () => {
    const res = await postAttestForm(s, ATTEST, { typedName: erin.name });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="agreed-error"');
    expect(await t.app.db.models.Attestation.countDocuments({})).toBe(0);
  });

  it('rejects unknown form fields with 400', async () => {
    const res = await postAttestForm(s, ATTEST, {
      typedName: erin.name,
      agreed: 'yes',
      'typedName[$ne]': 'x',
    });
    expect(res.statusCode).toBe(400);
  });

  it('accepts the name ignoring case and extra spaces, and records version, IP and user agent', async () => {
    const sloppy = `  ${erin.name.toUpperCase().replace(' ', '   ')} `;
    signedForm = attestFormFields((await s.get(ATTEST)).body);
    const res = await s.request({
      method: 'POST',
      url: ATTEST,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'RecordsTest/1.0' },
      payload: new URLSearchParams({
        ...signedForm,
        typedName: sloppy,
        agreed: 'yes',
      }).toString(),
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(ATTEST);
    const cycle = await cycleOf(t.app, erin);
    const record = await t.app.db.models.Attestation.findById(cycle._id).lean();
    expect(record).toMatchObject({
      userId: erin.id,
      courseId: COURSE_ID,
      cycleId: cycle._id,
      contentVersion: course(t.app).version,
      userAgent: 'RecordsTest/1.0',
      ip: '127.0.0.1',
    });
    expect(record?.at.toISOString()).toBe(t.clock.now().toISOString());
    expect(cycle.attestedAt?.toISOString()).toBe(t.clock.now().toISOString());
    expect(cycle.attestedVersion).toBe(course(t.app).version);
    // Lessons are not viewed yet, so the cycle is not complete.
    expect(cycle.completedAt).toBeNull();
    const page = await s.get(ATTEST);
    expect(text(page.body)).toContain('Read the remaining');
  });

  it('treats a replayed submission as already done: same record, no second audit event', async () => {
    // The form signed before, sent again (the page no longer shows one).
    const again = await s.post(ATTEST, { ...signedForm, typedName: erin.name, agreed: 'yes' });
    expect(again.statusCode).toBe(303);
    const wrongName = await s.post(ATTEST, { ...signedForm, typedName: 'Someone Else', agreed: 'yes' });
    expect(wrongName.statusCode).toBe(303);
    expect(await t.app.db.models.Attestation.countDocuments({})).toBe(1);
    expect(await t.app.db.models.AuditEvent.countDocuments({ action: 'attested' })).toBe(1);
    const page = await s.get(ATTEST);
    expect(text(page.body)).toContain('You signed this attestation');
  });

  it('completes the cycle when the last lesson is viewed, issuing exactly one certificate', async () => {
    t.clock.advanceMinutes(30);
    await viewAllLessons(t.app, erin);
    const cycle = await cycleOf(t.app, erin);
    expect(cycle.completedAt?.toISOString()).toBe(t.clock.now().toISOString());
    expect(cycle.expiresAt).not.toBeNull();
    expect(cycle.certificateCode).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
    const assignment = await t.app.db.models.Assignment.findById(assignmentKey(erin.id, COURSE_ID)).lean();
    expect(assignment).toMatchObject({ state: 'completed' });
    expect(assignment?.expiresAt?.toISOString()).toBe(cycle.expiresAt?.toISOString());
    expect(await t.app.db.models.Certificate.countDocuments({ cycleId: cycle._id })).toBe(1);
    expect(await t.app.db.models.AuditEvent.countDocuments({ action: 'cycle.completed' })).toBe(1);
    expect(await t.app.db.models.AuditEvent.countDocuments({ action: 'certificate.issued' })).toBe(1);
    const page = await s.get(ATTEST);
    expect(page.body).toContain(`/certificates/${cycle.certificateCode}.pdf`);
  });
});

describe('certificate PDF', () => {
  it('is a PDF naming the holder and carrying the verification code and URL', async () => {
    const { certificateCode } = await cycleOf(t.app, erin);
    const res = await s.get(`/certificates/${certificateCode}.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const drawn = await pdfText(res.rawPayload);
    expect(drawn).toContain(erin.name);
    expect(drawn).toContain(certificateCode);
    expect(drawn).toContain(`http://localhost:3000/verify/${certificateCode}`);
    expect(drawn).toContain(course(t.app).title);
    expect(drawn).toContain(course(t.app).version.slice(0, 12));
    expect(drawn).toMatch(/Score: 100%/);
  });

  it('is only for its holder and HR: another employee gets 404, HR and admin 200', async () => {
    const { certificateCode } = await cycleOf(t.app, erin);
    const url = `/certificates/${certificateCode}.pdf`;
    const other = await loginAs(t.app, 'ava.adams@demo.test');
    expect((await other.get(url)).statusCode).toBe(404);
    expect((await (await loginAs(t.app, 'hr@demo.test')).get(url)).statusCode).toBe(200);
    expect((await (await loginAs(t.app, 'admin@demo.test')).get(url)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(302);
    expect((await s.get('/certificates/AAAA-AAAA-AAAA-AAAA.pdf')).statusCode).toBe(404);
    expect((await s.get('/certificates/not-a-code.pdf')).statusCode).toBe(400);
  });
});

describe('public verification', () => {
  it('confirms a valid certificate showing only name, course, dates and status', async () => {
    const { certificateCode } = await cycleOf(t.app, erin);
    const res = await t.app.inject({ method: 'GET', url: `/verify/${certificateCode}` });
    expect(res.statusCode).toBe(200);
    const body = text(res.body);
    expect(body).toContain('Certificate verified');
    expect(body).toContain('Valid');
    expect(body).toContain(erin.name);
    expect(body).toContain(course(t.app).title);
    expect(body).not.toContain('employee@demo.test');
    expect(body).not.toMatch(/Score/i);
    // Codes are case-insensitive when typed.
    const lower = await t.app.inject({ method: 'GET', url: `/verify/${certificateCode!.toLowerCase()}` });
    expect(lower.statusCode).toBe(200);
  });

  it('reports an expired certificate once the clock passes its expiry', async () => {
    const { certificateCode, expiresAt } = await cycleOf(t.app, erin);
    t.clock.set(new Date(expiresAt!.getTime() + 60_000));
    const res = await t.app.inject({ method: 'GET', url: `/verify/${certificateCode}` });
    expect(res.statusCode).toBe(200);
    expect(text(res.body)).toContain('genuine certificate, but it has expired');
  });

  it('answers unknown and malformed codes with a clear not-found page', async () => {
    for (const code of ['ABCD-EFGH-JKMN-PQRS', 'nonsense', 'AAAA-AAAA-AAAA-AAA1']) {
      const res = await t.app.inject({ method: 'GET', url: `/verify/${code}` });
      expect(res.statusCode, code).toBe(404);
      expect(text(res.body)).toContain('Certificate not found');
    }
  });

  it('limits scripted probing from one address', async () => {
    const probe = () =>
      t.app.inject({ method: 'GET', url: '/verify/ABCD-EFGH-JKMN-PQRS', remoteAddress: '10.99.0.1' });
    for (let i = 0; i < 120; i += 1) expect((await probe()).statusCode).toBe(404);
    expect((await probe()).statusCode).toBe(429);
    // Other addresses are unaffected.
    expect((await t.app.inject({ method: 'GET', url: '/verify/ABCD-EFGH-JKMN-PQRS' })).statusCode).toBe(404);
  });
});
