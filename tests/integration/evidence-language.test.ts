import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentKey } from '../../src/db/keys.js';
import type { OutboxDoc } from '../../src/db/models/hr.js';
import type { AttestationDoc, CertificateDoc, PolicyTextDoc } from '../../src/db/models/records.js';
import type { Course } from '../../src/domain/course.js';
import { DEFAULT_PROFILE, type OrgProfileValues } from '../../src/domain/org-profile.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type TestApp } from '../helpers/app.js';
import { postAttestForm } from '../helpers/attest-form.js';
import { sweepAt } from '../helpers/jobs.js';
import { pdfFlowedText } from '../helpers/pdf-text.js';
import { course, cycleOf, takeQuiz, viewAllLessons } from './records-helpers.js';

/**
 * Evidence in the learner's language (#26): the attestation records the language of the text signed
 * and binds to that language's version; the policy PDF and the certificate are in it; e-mails go out
 * in the recipient's language. The Spanish course is the complete translation as the loader builds it.
 */
let t: TestApp;
let spanish: Course;
const ATTEST = `/learn/${COURSE_ID}/attest`;

beforeAll(async () => {
  t = await createTestApp({ label: 'evidence-language', seed: false });
  t.clock.set('2026-03-02T09:00:00Z');
  const es = t.app.catalogue.inLanguage(COURSE_ID, 'es');
  if (!es.course) throw new Error(`the Spanish course is not served: ${es.fallback}`);
  spanish = es.course;
  // HR's list reads a directory loaded once per process: these people exist before anything reads it.
  await createUser(t.app, { email: 'hans@lang.test', name: 'Hans Hinz', locale: 'de' });
  await createUser(t.app, { email: 'nell@lang.test', name: 'Nell Noset', locale: '' });
  await createUser(t.app, { email: 'hr@lang.test', name: 'Hana HR', role: 'hr' });
});
afterAll(async () => t.close());

/**
 * A person who viewed every lesson and passed the quiz (services) signs the attestation form on the
 * page in their language (the switcher's cookie), as a browser would.
 */
async function signs(email: string, name: string, lang: 'es' | 'en') {
  const user = await createUser(t.app, { email, name, locale: lang });
  const learner = { id: user._id, name, department: 'Sales' };
  await viewAllLessons(t.app, learner);
  expect((await takeQuiz(t.app, learner, true)).passed).toBe(true);
  const session = await loginAs(t.app, email);
  session.cookies.lang = lang;
  const res = await postAttestForm(session, ATTEST, { typedName: name, agreed: 'yes' });
  expect(res.statusCode).toBe(303);
  const cycle = await cycleOf(t.app, learner);
  const attestation = await t.app.db.models.Attestation.findById(cycle._id).lean<AttestationDoc>();
  const fresh = await t.app.db.models.Cycle.findById(cycle._id).lean();
  return { user, attestation: attestation!, completed: Boolean(fresh?.completedAt), session };
}

describe('an attestation of the Spanish text', () => {
  let es: Awaited<ReturnType<typeof signs>>;
  let en: Awaited<ReturnType<typeof signs>>;

  beforeAll(async () => {
    es = await signs('sofia@lang.test', 'Sofía Ruiz', 'es');
    en = await signs('emma@lang.test', 'Emma Reed', 'en');
  });

  it('records Spanish and binds to the Spanish version, not the English one', async () => {
    expect(es.attestation.language).toBe('es');
    expect(es.attestation.statement).toBe('He leído y entendido esta política y la cumpliré.');
    expect(es.attestation.policyVersion).toBe(en.attestation.policyVersion);
    expect(es.attestation.contentVersion).not.toBe(en.attestation.contentVersion);
    expect(es.attestation.policyTextId).not.toBe(en.attestation.policyTextId);
    const kept = await t.app.db.models.PolicyText.findById(es.attestation.policyTextId).lean<PolicyTextDoc>();
    expect(kept?.language).toBe('es');
    expect(kept?.clauses[0]?.title).toBe(spanish.clauses[0]?.title);
  });

  it('reads an English attestation (and one stored before languages) as English', async () => {
    expect(en.attestation.language).toBe('en');
    await t.app.db.models.Attestation.updateOne({ _id: en.attestation._id }, { $unset: { language: 1 } });
    const old = await t.app.services.records.attestedText({ userId: en.user._id, courseId: COURSE_ID });
    expect(old.attestation.language).toBeUndefined();
    expect(old.language).toBe('en');
    const signed = await t.app.services.records.attestedText({ userId: es.user._id, courseId: COURSE_ID });
    expect(signed.language).toBe('es');
    // Signed against the translation's version: not "changed since" merely for being in Spanish.
    expect(signed.changedSince).toBeNull();
  });

  it('prints the attested Spanish text in the policy PDF', async () => {
    const res = await es.session.get(`/learn/${COURSE_ID}/attested.pdf`);
    expect(res.statusCode).toBe(200);
    const text = await pdfFlowedText(res.rawPayload);
    expect(text).toContain(spanish.clauses[0]!.title);
    expect(text).toContain('El texto completo presentado para su confirmación');
    expect(text).not.toContain('The full text presented for attestation');
  });

  it('issues the certificate in Spanish', async () => {
    expect(es.completed).toBe(true);
    const cert = await t.app.db.models.Certificate.findOne({ userId: es.user._id }).lean<CertificateDoc>();
    expect(cert?.language).toBe('es');
    expect(cert?.courseTitle).toBe(spanish.title);
    // Downloaded as the holder does, from the certificate's address.
    const res = await es.session.get(`/certificates/${cert!._id}.pdf`);
    expect(res.statusCode).toBe(200);
    const text = await pdfFlowedText(res.rawPayload);
    expect(text).toContain('Certificado de finalización');
    expect(text).toContain('ha completado la formación');
    expect(text).toContain('Completado: 2 de marzo de 2026');
    expect(text).toContain('Sofía Ruiz');
    expect(text).not.toContain('Certificate of completion');
    const check = await t.app.services.records.verifyCertificate({ code: cert!._id, now: t.clock.now() });
    expect(check?.certificate.language).toBe('es');
  });

  it('keeps the English certificate English', async () => {
    const cert = await t.app.db.models.Certificate.findOne({ userId: en.user._id }).lean<CertificateDoc>();
    const { pdf } = await t.app.services.records.certificatePdf({
      code: cert!._id,
      viewer: { id: en.user._id, role: 'employee' },
      now: t.clock.now(),
    });
    expect(await pdfFlowedText(pdf)).toContain('Certificate of completion');
  });
});

describe('an Arabic certificate', () => {
  it('draws Arabic text with a font that has the glyphs', async () => {
    const { renderCertificatePdf } = await import('../../src/services/records/certificate-pdf.js');
    const stored = await t.app.db.models.Certificate.findOne({}).lean<CertificateDoc>();
    const pdf = await renderCertificatePdf(
      { ...stored!, language: 'ar' },
      { verifyUrl: 'https://training.example/verify/X', now: t.clock.now() },
    );
    const text = await pdfFlowedText(pdf);
    // pdf.js gives the shaped glyphs back as their letters: the words are there, not boxes.
    expect(text.replace(/\s+/g, '')).toContain('شهادة');
  });
});

describe('e-mails in the recipient language', () => {
  async function assignedMail(email: string, locale: string) {
    const user = await createUser(t.app, { email, name: 'Greta Graf', locale });
    await t.app.services.assignments.ensureEnrolled({
      learner: { id: user._id, department: 'Sales' },
      course: course(t.app),
      now: t.clock.now(),
    });
    await sweepAt(t, '2026-03-02T10:00:00Z');
    return t.app.db.models.Outbox.find({ _id: new RegExp(`^${assignmentKey(user._id, COURSE_ID)}:`) })
      .sort({ _id: 1 })
      .lean<OutboxDoc[]>();
  }

  it('sends a German-language person a German reminder', async () => {
    const mail = await assignedMail('greta@lang.test', 'de');
    expect(mail.length).toBeGreaterThan(0);
    const notice = mail[0]!;
    expect(notice.kind).toBe('assigned');
    // The course's title as the German course is served.
    const german = t.app.catalogue.inLanguage(COURSE_ID, 'de').course!;
    expect(notice.subject).toBe(`Neue Schulung: ${german.title}`);
    expect(notice.text).toContain('Hallo Greta Graf,');
    expect(notice.text).not.toContain('Hello');
  });

  it('uses the organisation default for a person who chose none, else English', async () => {
    const none = await assignedMail('nora@lang.test', '');
    expect(none[0]!.text).toContain('Hello Greta Graf,');
    const { logo: _logo, updatedAt: _at, updatedBy: _by, ...neutral } = DEFAULT_PROFILE;
    await t.app.services.organisation.saveProfile({
      actorId: 'admin-test',
      values: { ...neutral, defaultLanguage: 'es' } satisfies OrgProfileValues,
      logo: null,
      now: t.clock.now(),
    });
    const org = await assignedMail('olga@lang.test', '');
    expect(org[0]!.text).toContain('Hola, Greta Graf:');
  });
});

describe('HR sees and filters by language', () => {
  it('lists each person with their language and filters the list by it', async () => {
    const hr = await loginAs(t.app, 'hr@lang.test');
    const en = { 'accept-language': 'en' };
    const german = await hr.get('/hr/people?language=de', en);
    expect(german.statusCode).toBe(200);
    expect(german.body).toContain('Hans Hinz');
    expect(german.body).toContain('<td lang="de">Deutsch</td>');
    expect(german.body).not.toContain('Nell Noset');
    const none = await hr.get('/hr/people?language=none', en);
    expect(none.body).toContain('Nell Noset');
    expect(none.body).not.toContain('Hans Hinz');
    expect(none.body).toContain('Not set');
    expect((await hr.get('/hr/people')).body).toContain('Hans Hinz');
  });
});
