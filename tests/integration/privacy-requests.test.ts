import { createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEventDoc } from '../../src/db/models/audit-event.js';
import type { UserDoc } from '../../src/db/models/user.js';
import { pseudonymFor } from '../../src/domain/retention.js';
import { verifyAuditChain } from '../../src/services/audit/verify.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { newAuditKeyPair } from '../helpers/audit-key.js';
import { pdfFlowedText } from '../helpers/pdf-text.js';
import { completeWithCertificate, learnerByEmail } from './records-helpers.js';

/**
 * Personal-data requests (issue #25, GDPR Art. 15 and 17): HR downloads everything held about one
 * person as JSON and as a readable PDF (each download audited); HR erases a person on request after
 * typing their name, unless a retention rule applies, which the page and the refusal name with its
 * end date. After an erasure nothing in any collection names the person and the chain verifies.
 */

const keys = newAuditKeyPair();
let t: TestApp;
let hr: Session;
let ava: Awaited<ReturnType<typeof learnerByEmail>>;
let avaEmail: string;
let avaCode: string;

const page = (id: string) => `/hr/people/${id}/privacy`;
const models = () => t.app.db.models;
const user = async (id: string) => (await models().User.findById(id).lean<UserDoc>())!;
const eventsOf = (action: string, subjectId: string) =>
  models().AuditEvent.find({ action, subjectId }).lean<AuditEventDoc[]>();

beforeAll(async () => {
  t = await createTestApp({ label: 'privacy-requests', config: { AUDIT_SIGNING_KEY: keys.privatePem } });
  t.clock.set('2026-03-02T09:00:00Z');
  hr = await loginAs(t.app, 'hr@demo.test');
  avaEmail = 'ava.adams@demo.test';
  ava = await learnerByEmail(t.app, avaEmail);
  avaCode = (await completeWithCertificate(t.app, ava)).code;
  await t.app.services.learning.submitFeedback({
    author: await sessionUser(ava.id),
    course: [...t.app.courses.values()][0]!,
    lesson: [...t.app.courses.values()][0]!.lessons[0]!,
    kind: 'question',
    message: 'Does this cover my private blog?',
    submissionId: 'privacy-test-0000000001',
    now: t.clock.now(),
  });
  const mail = (id: string, to: string) => ({
    _id: id,
    to: [to],
    cc: [],
    subject: `Reminder for ${to}`,
    text: 'Your training is due.',
    html: '<p>Your training is due.</p>',
    kind: 'reminder',
    reminderId: null,
    createdAt: t.clock.now(),
  });
  await models().Outbox.create([
    mail('privacy-mail-ava', avaEmail),
    mail('privacy-mail-ben', 'ben.bauer@demo.test'),
  ]);
});
afterAll(async () => t?.close());

async function sessionUser(id: string) {
  const { toSessionUser } = await import('../../src/services/identity/login.js');
  return toSessionUser(await user(id));
}

/**
 * Copies of a person's name and e-mail the erasure must reach: a failed mail, an import preview, a
 * revoked certificate with HR's reason, an action list naming them as a manager, the HR home
 * summary, a bulk job selected by a search for them. A leaver for years, so no duty applies.
 */
async function seedCopiesOf(person: UserDoc): Promise<void> {
  const { _id: userId, name, email } = person;
  await models().MailFailure.create({
    _id: `fail-${userId}`,
    to: [email],
    subject: `Reminder for ${name}`,
    kind: 'reminder',
    reminderId: null,
    error: `550 mailbox ${email} unavailable`,
    failedAt: t.clock.now(),
  });
  await models().ImportPreview.create({
    _id: `preview-${userId}`,
    createdBy: 'hr',
    createdAt: t.clock.now(),
    fileName: 'people.csv',
    deactivateMissing: true,
    changes: [],
    unchanged: 0,
    rejected: [{ line: 2, email, reasons: [`${email} is listed twice`] }],
    deactivate: [{ userId, email, name }],
    appliedAt: null,
  });
  const cycleId = `${userId}:cycle`;
  await models().Certificate.create({
    _id: `CERT-${userId.slice(0, 4)}-RAE1-RAE2`,
    cycleId,
    cycleNo: 1,
    userId,
    courseId: 'course',
    name,
    courseTitle: 'Social media',
    contentVersion: 'v1',
    score: 90,
    completedAt: t.clock.now(),
    expiresAt: null,
    issuedAt: t.clock.now(),
    revokedAt: t.clock.now(),
    revokedReason: `${name} shared the answers`,
  });
  await models().CertificateRevocation.create({
    _id: `CERT-${userId.slice(0, 4)}-RAE1-RAE2`,
    userId,
    cycleId,
    courseId: 'course',
    revokedAt: t.clock.now(),
    revokedBy: 'hr',
    reason: `${name} shared the answers`,
    retakeCycleNo: null,
  });
  await models().ReportListChunk.create({
    _id: `course:overdue:${userId}`,
    courseId: 'course',
    state: 'overdue',
    chunk: 0,
    rows: [
      {
        userId: 'someone-else',
        name: 'Someone Else',
        email: 'someone.else@demo.test',
        department: 'Sales',
        managerId: userId,
        managerName: name,
        dueAt: null,
        cycleNo: 1,
      },
    ],
  });
  await models().NeedsMe.create({
    _id: `needs-${userId}`,
    asOf: t.clock.now(),
    overdue: [{ userId, name, email }],
    attemptsUsedUp: [],
    expiring: [],
  });
  await models().BulkJob.create({
    _id: `bulk-${userId}`,
    action: 'assign',
    status: 'done',
    createdBy: 'hr',
    createdAt: t.clock.now(),
    filterQuery: `q=${encodeURIComponent(name)}`,
    scope: 'filtered',
    userIds: [userId],
    total: 1,
    courses: [],
    params: null,
    done: 1,
    changed: 1,
    skipped: 0,
    startedAt: t.clock.now(),
    finishedAt: t.clock.now(),
    error: null,
  });
  await models().User.updateOne(
    { _id: userId },
    { $set: { active: false, leftAt: new Date('2019-01-01T00:00:00Z') } },
  );
}

describe('the privacy page', () => {
  it('offers both downloads and, for a person with records who has not left, names the rule instead of an erase form', async () => {
    const res = await hr.get(page(ava.id));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`href="/hr/people/${ava.id}/privacy/export.json"`);
    expect(res.body).toContain(`href="/hr/people/${ava.id}/privacy/export.pdf"`);
    expect(res.body).toContain('Training records are kept for 6 years after a person leaves');
    expect(res.body).not.toContain(`action="/hr/people/${ava.id}/privacy/erase"`);
  });

  it("is linked from the person's page", async () => {
    const res = await hr.get(`/hr/employees/${ava.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`href="/hr/people/${ava.id}/privacy"`);
  });

  it('is for HR and admin only', async () => {
    for (const email of [avaEmail, 'employee@demo.test', 'manager@demo.test']) {
      const s = await loginAs(t.app, email);
      expect((await s.get(page(ava.id))).statusCode).toBe(403);
      expect((await s.get(`${page(ava.id)}/export.json`)).statusCode).toBe(403);
    }
    const admin = await loginAs(t.app, 'admin@demo.test');
    expect((await admin.get(page(ava.id))).statusCode).toBe(200);
  });

  it('answers 404 for nobody and 400 for hostile ids', async () => {
    expect((await hr.get(page('000000000000000000000000'))).statusCode).toBe(404);
    for (const id of ['%24ne', '..%2F..%2Fadmin', 'a'.repeat(65), '%7B%7D']) {
      expect((await hr.get(page(id))).statusCode).toBe(400);
    }
  });
});

describe('the export (Art. 15)', () => {
  it('JSON holds every part of the record and no secret, and is audited without personal data', async () => {
    const res = await hr.get(`${page(ava.id)}/export.json`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toMatch(/^attachment;/);
    expect(res.headers['cache-control']).toBe('no-store');
    const data = JSON.parse(res.body);
    expect(Object.keys(data)).toEqual([
      'format',
      'generatedAt',
      'profile',
      'assignments',
      'cycles',
      'lessonProgress',
      'lessonViews',
      'quizAttempts',
      'quizResults',
      'attestations',
      'certificates',
      'certificateRevocations',
      'feedback',
      'learningActivity',
      'reminders',
      'mails',
      'sessions',
      'auditEvents',
    ]);
    expect(data.profile).toMatchObject({ id: ava.id, email: avaEmail, name: ava.name });
    expect(data.certificates.map((c: { _id: string }) => c._id)).toEqual([avaCode]);
    expect(data.attestations[0]).toMatchObject({ typedName: ava.name, ip: '127.0.0.1' });
    expect(data.quizAttempts.length).toBeGreaterThan(0);
    expect(Object.keys(data.quizResults[0].answers).length).toBeGreaterThan(0);
    expect(data.feedback[0].message).toBe('Does this cover my private blog?');
    expect(data.mails.map((m: { _id: string }) => m._id)).toEqual(['privacy-mail-ava']);
    expect(data.sessions.length).toBeGreaterThan(0);
    expect(data.auditEvents.some((e: { action: string }) => e.action === 'attested')).toBe(true);
    // Secrets are not personal data to hand out: no password hash, no session id, no session contents.
    expect(res.body).not.toMatch(/passwordHash|\$argon2|\$2[aby]\$/);
    for (const s of data.sessions) expect(Object.keys(s).sort()).toEqual(['expiresAt', 'startedAt']);
    const [event] = await eventsOf('person.exported', ava.id);
    expect(event).toMatchObject({ actorId: (await learnerByEmail(t.app, 'hr@demo.test')).id });
    expect(event!.details).toEqual({ format: 'json' });
    expect(JSON.stringify(event)).not.toContain(avaEmail);
  });

  it("an HR user's export withholds what their events and copied mails say about colleagues", async () => {
    const hrUser = await learnerByEmail(t.app, 'hr@demo.test');
    const ben = await learnerByEmail(t.app, 'ben.bauer@demo.test');
    await t.app.services.people.updatePerson({
      userId: ben.id,
      changes: { name: 'Benedikt Bauer-Secret' },
      actorId: hrUser.id,
      now: t.clock.now(),
    });
    await models().Outbox.create({
      _id: 'privacy-mail-cc-hr',
      to: ['ben.bauer@demo.test'],
      cc: ['hr@demo.test'],
      subject: 'Overdue: Benedikt',
      text: 'Benedikt Bauer-Secret is overdue.',
      html: '<p>Benedikt Bauer-Secret is overdue.</p>',
      kind: 'reminder',
      reminderId: null,
      createdAt: t.clock.now(),
    });
    const res = await hr.get(`${page(hrUser.id)}/export.json`);
    expect(res.statusCode).toBe(200);
    const data = JSON.parse(res.body);
    expect(data.auditEvents.some((e: { targetId: string }) => e.targetId === ben.id)).toBe(true);
    expect(data.mails.find((m: { _id: string }) => m._id === 'privacy-mail-cc-hr')).toMatchObject({
      copiedOnly: true,
    });
    expect(res.body).not.toContain('Bauer-Secret');
  });

  it('the PDF reads as a report of the same record', async () => {
    const res = await hr.get(`${page(ava.id)}/export.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment;.*\.pdf/);
    const text = await pdfFlowedText(res.rawPayload);
    expect(text).toContain(`Personal data held about ${ava.name}`);
    expect(text).toContain(avaEmail);
    expect(text).toContain('Certificates');
    expect(text).toContain(avaCode);
    expect(text).toContain('Does this cover my private blog?');
    expect(text).toContain('Audit events');
    expect((await eventsOf('person.exported', ava.id)).map((e) => e.details.format)).toEqual(['json', 'pdf']);
  });

  it('the PDF is in the language of the HR person who downloads it (Spanish; Arabic with its glyphs)', async () => {
    const es = await pdfFlowedText(
      (await hr.get(`${page(ava.id)}/export.pdf`, { 'accept-language': 'es' })).rawPayload,
    );
    expect(es).toContain(`Datos personales que se conservan sobre ${ava.name}`);
    expect(es).toContain('Certificados');
    expect(es).toContain(avaCode);
    expect(es).not.toContain('Personal data held about');
    const ar = await hr.get(`${page(ava.id)}/export.pdf`, { 'accept-language': 'ar' });
    expect(ar.statusCode).toBe(200);
    expect(await pdfFlowedText(ar.rawPayload)).not.toContain('Personal data held about');
  });
});

describe('erasure (Art. 17)', () => {
  it('is refused with the rule named while a retention duty applies, and nothing is erased', async () => {
    const res = await hr.post(`${page(ava.id)}/erase`, { typedName: ava.name, confirm: 'yes' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Training records are kept for 6 years after a person leaves');
    expect((await user(ava.id)).name).toBe(ava.name);
    expect(await eventsOf('person.erased', ava.id)).toHaveLength(0);
  });

  it('names the end date for a leaver whose period has not run out', async () => {
    await models().User.updateOne(
      { _id: ava.id },
      { $set: { active: false, leftAt: new Date('2025-01-15') } },
    );
    const res = await hr.get(page(ava.id));
    expect(res.body).toContain('until 2031-01-15');
    const refused = await hr.post(`${page(ava.id)}/erase`, { typedName: ava.name, confirm: 'yes' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('until 2031-01-15');
    await models().User.updateOne({ _id: ava.id }, { $set: { active: true, leftAt: null } });
  });

  it('asks for the typed name and the ticked box before erasing anyone', async () => {
    const quinn = await createUser(t.app, { email: 'quinn.gone@demo.test', name: 'Quinn Gone' });
    const form = await hr.get(page(quinn._id));
    expect(form.body).toContain(`action="/hr/people/${quinn._id}/privacy/erase"`);
    expect(form.body).toMatch(/name="_csrf" value="[^"]+"/);
    const attempts: Array<Record<string, string>> = [
      { typedName: 'Quinn', confirm: 'yes' },
      { typedName: 'Quinn Gone' },
    ];
    for (const body of attempts) {
      const res = await hr.post(`${page(quinn._id)}/erase`, body);
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('class="field-error"');
      expect((await user(quinn._id)).name).toBe('Quinn Gone');
    }
    const noToken = await hr.post(`${page(quinn._id)}/erase`, {
      typedName: 'Quinn Gone',
      confirm: 'yes',
      _csrf: null,
    });
    expect(noToken.statusCode).toBe(403);
    const injected = await hr.post(`${page(quinn._id)}/erase`, {
      typedName: 'Quinn Gone',
      confirm: 'yes',
      'name[$ne]': 'x',
    });
    expect(injected.statusCode).toBe(400);
    expect((await user(quinn._id)).erasedAt ?? null).toBeNull();
  });

  it('HR cannot erase themselves, nor an administrator', async () => {
    const me = await learnerByEmail(t.app, 'hr@demo.test');
    const res = await hr.post(`${page(me.id)}/erase`, { typedName: me.name, confirm: 'yes' });
    expect(res.statusCode).toBe(403);
    expect((await user(me.id)).erasedAt ?? null).toBeNull();
    const boss = await createUser(t.app, { email: 'sam.admin@demo.test', name: 'Sam Admin', role: 'admin' });
    expect((await hr.get(page(boss._id))).body).toContain('only an administrator can erase it');
    const refused = await hr.post(`${page(boss._id)}/erase`, { typedName: 'Sam Admin', confirm: 'yes' });
    expect(refused.statusCode).toBe(403);
    expect((await user(boss._id)).erasedAt ?? null).toBeNull();
  });

  it('erases a leaver no duty keeps: gone from every collection (failed mails, import previews, revocation reasons, action lists, HR home, bulk jobs), audited, and the chain verifies', async () => {
    const rae = await createUser(t.app, { email: 'rae.request@demo.test', name: 'Rae Request' });
    const raeSession = await loginAs(t.app, 'rae.request@demo.test');
    expect((await raeSession.get('/')).statusCode).toBe(200);
    await seedCopiesOf(rae);
    await hr.get(`${page(rae._id)}/export.json`);
    const res = await hr.post(`${page(rae._id)}/erase`, { typedName: ' rae request ', confirm: 'yes' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${page(rae._id)}?erased=1`);
    const done = await hr.get(res.headers.location as string);
    expect(done.body).toContain('erased');
    expect(done.body).not.toContain('Rae Request');
    expect((await user(rae._id)).name).toBe(pseudonymFor(rae._id).name);
    // Signed out everywhere: the old session no longer reaches a page.
    expect((await raeSession.get('/')).statusCode).not.toBe(200);
    for (const model of Object.values(models()) as Array<{
      find(q: object): { lean(): Promise<unknown[]> };
    }>) {
      const text = JSON.stringify(await model.find({}).lean());
      expect(text).not.toContain('rae.request@demo.test');
      expect(text).not.toContain('Rae Request');
      expect(text).not.toContain('Rae%20Request');
    }
    // The fact and day of the revocation stay; HR's words about the person do not.
    const revoked = await models().CertificateRevocation.findOne({ userId: rae._id }).lean();
    expect(revoked).toMatchObject({ reason: 'erased', revokedAt: t.clock.now() });
    const cert = await models().Certificate.findOne({ userId: rae._id }).lean();
    expect(cert).toMatchObject({ revokedReason: 'erased', revokedAt: t.clock.now() });
    const [erased] = await eventsOf('person.erased', rae._id);
    expect(erased).toMatchObject({ details: expect.objectContaining({ reason: 'request' }) });
    const verified = await verifyAuditChain(models(), { publicKey: createPublicKey(keys.publicPem) });
    expect(verified.ok).toBe(true);
    // Erasing again is refused politely, not with an error page.
    const again = await hr.post(`${page(rae._id)}/erase`, {
      typedName: pseudonymFor(rae._id).name,
      confirm: 'yes',
    });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('already erased');
  });
});
