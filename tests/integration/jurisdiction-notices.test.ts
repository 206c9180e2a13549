/**
 * Jurisdiction notices (issue #22): a learner sees the notices of the regions the organisation
 * profile enables, narrowed to their own region when their record has one; quiz questions for a
 * jurisdiction are drawn only there; the attestation keeps exactly the notices shown. HR sets a
 * person's region on the person form or with the CSV `region` column.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttestationDoc, PolicyTextDoc } from '../../src/db/models/records.js';
import { usersRepository } from '../../src/db/repositories/users.js';
import type { Course } from '../../src/domain/course.js';
import { courseForJurisdictions } from '../../src/domain/jurisdictions.js';
import type { Region } from '../../src/domain/org-profile.js';
import { drawQuestions, seededRng } from '../../src/domain/quiz/index.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { postAttestForm } from '../helpers/attest-form.js';
import { setOrgRegions } from '../helpers/org-regions.js';
import { flatText } from '../helpers/page-text.js';
import { pdfText } from '../helpers/pdf-text.js';
import { course, cycleOf, takeQuiz } from './records-helpers.js';

let t: TestApp;
let hr: Session;
const LESSON = `/learn/${COURSE_ID}/lessons/why-this-policy`;
const ATTEST = `/learn/${COURSE_ID}/attest`;
const POLICY_PDF = `/learn/${COURSE_ID}/policy.pdf`;

// Words only the notices say (the universal text names no statute of one country).
const NLRA = 'Section 7 of the National Labor Relations Act';
const PIDA = 'Public Interest Disclosure Act 1998';
const DTSA = '1833(b)';
const MONITORING = 'UK GDPR';

/** The policy PDF as this session gets it, as one line of text. */
async function policyPdfText(session: Session): Promise<string> {
  return (await pdfText((await session.get(POLICY_PDF)).rawPayload)).replace(/\s+/g, ' ');
}

async function person(email: string, region: Region | null) {
  const user = await createUser(t.app, { email, name: email.split('@')[0]!.replace('.', ' '), region });
  await t.app.services.assignments.ensureEnrolled({
    learner: { id: user._id, department: user.department },
    course: course(t.app),
    now: t.app.clock.now(),
  });
  return { user, session: await loginAs(t.app, email) };
}

let us: Awaited<ReturnType<typeof person>>;
let uk: Awaited<ReturnType<typeof person>>;
let anywhere: Awaited<ReturnType<typeof person>>;

beforeAll(async () => {
  t = await createTestApp({ label: 'jurisdiction-notices' });
  hr = await loginAs(t.app, 'hr@demo.test');
  await setOrgRegions(t.app, ['us', 'uk', 'eu']);
  us = await person('una.states@demo.test', 'us');
  uk = await person('ursula.kingdom@demo.test', 'uk');
  anywhere = await person('nora.noregion@demo.test', null);
});
afterAll(async () => t.close());

describe('what each learner is shown', () => {
  it('a US person sees the NLRA and trade-secret notices and not the PIDA one', async () => {
    const lesson = flatText((await us.session.get(LESSON)).body);
    expect(lesson).toContain(NLRA);
    expect(lesson).not.toContain(PIDA);
    const pdf = await policyPdfText(us.session);
    expect(pdf).toContain(NLRA);
    expect(pdf).toContain(DTSA);
    expect(pdf).not.toContain(PIDA);
    expect(pdf).not.toContain(MONITORING);
  });

  it('a UK person sees the PIDA and monitoring notices and no US notice', async () => {
    const lesson = flatText((await uk.session.get(LESSON)).body);
    expect(lesson).toContain(PIDA);
    expect(lesson).not.toContain(NLRA);
    const pdf = await policyPdfText(uk.session);
    expect(pdf).toContain(PIDA);
    expect(pdf).toContain(MONITORING);
    expect(pdf).not.toContain(NLRA);
    expect(pdf).not.toContain(DTSA);
  });

  it('a person without a region sees the notices of every region the profile enables', async () => {
    const pdf = await policyPdfText(anywhere.session);
    for (const words of [NLRA, PIDA, DTSA, MONITORING]) expect(pdf).toContain(words);
  });

  it('with the profile set to the UK only, nobody sees a US notice', async () => {
    await setOrgRegions(t.app, ['uk']);
    try {
      for (const who of [us, uk, anywhere]) {
        const pages = [flatText((await who.session.get(LESSON)).body), await policyPdfText(who.session)];
        for (const page of pages) {
          expect(page).not.toContain(NLRA);
          expect(page).not.toContain(DTSA);
        }
      }
      // The UK person and the person without a region still see the UK notice.
      expect(flatText((await anywhere.session.get(LESSON)).body)).toContain(PIDA);
    } finally {
      await setOrgRegions(t.app, ['us', 'uk', 'eu']);
    }
  });
});

describe('quiz draws', () => {
  const jurisdictionQuestions = (c: Course) => c.questions.filter((q) => q.jurisdictions?.length);

  it('the course has questions for a jurisdiction', () => {
    expect(jurisdictionQuestions(course(t.app)).length).toBeGreaterThan(0);
  });

  it('never gives a learner a question for another jurisdiction (seeded draws)', () => {
    const c = course(t.app);
    const marked = new Map(jurisdictionQuestions(c).map((q) => [q.id, q.jurisdictions!]));
    const seenFor = new Map<Region, number>();
    for (const region of ['us', 'uk', 'eu', 'ca'] as Region[]) {
      const pool = courseForJurisdictions(c, [region]).questions;
      for (let seed = 0; seed < 300; seed++) {
        for (const drawn of drawQuestions(pool, c.quiz.questionsPerAttempt, seededRng(`${region}-${seed}`))) {
          const only = marked.get(drawn.questionId);
          if (!only) continue;
          expect(only, `${drawn.questionId} drawn for ${region}`).toContain(region);
          seenFor.set(region, (seenFor.get(region) ?? 0) + 1);
        }
      }
    }
    // The jurisdiction questions do come up where they apply, so the check above can fail.
    expect(seenFor.get('us') ?? 0).toBeGreaterThan(0);
    expect(seenFor.get('uk') ?? 0).toBeGreaterThan(0);
  });

  it('an attempt started through the app draws only from the learner’s pool', async () => {
    const c = course(t.app);
    const ukOnly = new Set(
      jurisdictionQuestions(c)
        .filter((q) => !q.jurisdictions!.includes('uk'))
        .map((q) => q.id),
    );
    const learner = { id: uk.user._id, department: uk.user.department };
    const n = await t.app.services.quiz.startAttempt({
      learner,
      courseId: COURSE_ID,
      now: t.app.clock.now(),
    });
    const cycle = await cycleOf(t.app, learner);
    const attempt = await t.app.db.models.Attempt.findById(`${cycle._id}:${n}`).lean();
    expect(attempt?.draw.length).toBe(c.quiz.questionsPerAttempt);
    for (const d of attempt!.draw) expect(ukOnly.has(d.questionId), d.questionId).toBe(false);
  });
});

describe('the attestation keeps exactly the notices shown', () => {
  async function sign(who: typeof us, sees: string[], doesNotSee: string[]) {
    const learner = { id: who.user._id, department: who.user.department };
    // The UK person's open attempt from the draw test is submitted by takeQuiz's own start.
    expect((await takeQuiz(t.app, learner, true)).passed).toBe(true);
    // The page signed shows the clause notices of the learner's jurisdictions only.
    const page = flatText((await who.session.get(ATTEST)).body);
    for (const words of sees) expect(page).toContain(words);
    for (const words of doesNotSee) expect(page).not.toContain(words);
    const res = await postAttestForm(who.session, ATTEST, { typedName: who.user.name, agreed: 'yes' });
    expect(res.statusCode).toBe(303);
    const cycle = await cycleOf(t.app, learner);
    const attestation = await t.app.db.models.Attestation.findById(cycle._id).lean<AttestationDoc>();
    const kept = await t.app.db.models.PolicyText.findById(attestation!.policyTextId).lean<PolicyTextDoc>();
    return { attestation: attestation!, kept: kept! };
  }

  const noticesOf = (clauses: ReadonlyArray<{ id: string; notices?: unknown[] }>) =>
    clauses.flatMap((c) => (c.notices ?? []).map((n) => JSON.stringify([c.id, n])));

  it('a US and a UK signature keep two texts, each with its own notices only', async () => {
    const usSigned = await sign(us, [NLRA, DTSA], [PIDA, MONITORING]);
    const ukSigned = await sign(uk, [PIDA, MONITORING], [NLRA, DTSA]);
    expect(usSigned.attestation.jurisdictions).toEqual(['us']);
    expect(ukSigned.attestation.jurisdictions).toEqual(['uk']);
    expect(usSigned.attestation.policyTextId).not.toBe(ukSigned.attestation.policyTextId);
    const c = course(t.app);
    expect(noticesOf(usSigned.kept.clauses)).toEqual(noticesOf(courseForJurisdictions(c, ['us']).clauses));
    expect(noticesOf(ukSigned.kept.clauses)).toEqual(noticesOf(courseForJurisdictions(c, ['uk']).clauses));
    expect(noticesOf(usSigned.kept.clauses).length).toBeGreaterThan(0);
    expect(JSON.stringify(usSigned.kept)).not.toContain(PIDA);
    expect(JSON.stringify(ukSigned.kept)).not.toContain(NLRA);

    // The pages of the text signed show the notices as signed, to the learner and to HR.
    const own = flatText((await us.session.get(`/learn/${COURSE_ID}/attested?cycle=1`)).body);
    expect(own).toContain(NLRA);
    expect(own).not.toContain(PIDA);
    const hrView = flatText((await hr.get(`/hr/people/${uk.user._id}/attested/${COURSE_ID}/1`)).body);
    expect(hrView).toContain(PIDA);
    expect(hrView).not.toContain(NLRA);
    const pack = await hr.get(`/hr/people/${uk.user._id}/evidence/${COURSE_ID}/1.json`);
    expect(pack.statusCode).toBe(200);
    const attested = JSON.parse(pack.body).attestation;
    expect(attested.jurisdictions).toEqual(['uk']);
    expect(JSON.stringify(attested.noticesShown)).toContain(PIDA);
    expect(JSON.stringify(attested.noticesShown)).not.toContain(NLRA);
  });
});

describe('HR sets a person’s region', () => {
  it('on the person form: accepted, shown, and an unknown code refused next to the field', async () => {
    const form = {
      email: 'regina.form@demo.test',
      name: 'Regina Form',
      employeeId: '',
      department: 'Ops',
      managerEmail: '',
      hireDate: '',
      locale: 'en',
      role: 'employee',
      active: 'yes',
    };
    const bad = await hr.post('/hr/people/new', { ...form, region: 'mars' }, '/hr/people/new');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="region-error"');
    const ok = await hr.post('/hr/people/new', { ...form, region: 'uk' }, '/hr/people/new');
    expect(ok.statusCode).toBe(303);
    const stored = await usersRepository(t.app.db.models).findByEmail('regina.form@demo.test');
    expect(stored?.region).toBe('uk');
    const edit = await hr.get(`/hr/people/${stored!._id}/edit`);
    expect(edit.body).toMatch(/<option value="uk" selected>United Kingdom<\/option>/);
    expect(flatText((await hr.get(`/hr/employees/${stored!._id}`)).body)).toContain('Region United Kingdom');
  });

  it('with the CSV region column: set, refused when unknown, kept when the column is absent', async () => {
    const preview = async (csv: string) => {
      const res = await hr.post('/hr/people/import', { csv }, '/hr/people/import');
      expect(res.statusCode).toBe(303);
      return res.headers.location as string;
    };
    const at = await preview(
      ['email,name,region', 'rhea.csv@demo.test,Rhea Csv,EU', 'ray.csv@demo.test,Ray Csv,atlantis'].join(
        '\n',
      ),
    );
    const page = await hr.get(at);
    expect(flatText(page.body)).toContain('Region "atlantis" is not one of us, uk, eu, ca, au, other.');
    await hr.post(`${at}/apply`, {}, at);
    const users = usersRepository(t.app.db.models);
    expect((await users.findByEmail('rhea.csv@demo.test'))?.region).toBe('eu');
    expect(await users.findByEmail('ray.csv@demo.test')).toBeNull();

    const again = await preview(['email,name,department', 'rhea.csv@demo.test,Rhea Csv,Ops'].join('\n'));
    await hr.post(`${again}/apply`, {}, again);
    const rhea = await users.findByEmail('rhea.csv@demo.test');
    expect(rhea?.department).toBe('Ops');
    expect(rhea?.region).toBe('eu');
  });
});

describe('the region travels with the assignment (issue #22: no read of the person per page)', () => {
  /** The lesson page's text and the collection methods it called, besides the session's own. */
  async function lessonAndReads(session: Session): Promise<{ page: string; ops: string[] }> {
    const ops: string[] = [];
    t.app.db.conn.set('debug', (collection: string, method: string) => ops.push(`${collection}.${method}`));
    try {
      const res = await session.get(LESSON);
      expect(res.statusCode).toBe(200);
      return { page: flatText(res.body), ops: ops.filter((op) => !op.startsWith('sessions.')) };
    } finally {
      t.app.db.conn.set('debug', false);
    }
  }
  const copiedRegion = async (userId: string) =>
    (await t.app.db.models.Assignment.findById(`${userId}:${COURSE_ID}`).lean())?.region ?? null;

  it('HR sets the region on the person form, then by CSV: the copy follows and the lesson shows that region only', async () => {
    const mover = await person('mo.ver@demo.test', null);
    await mover.session.get(LESSON); // the session is cached, as for any learner's next page
    expect(await copiedRegion(mover.user._id)).toBeNull();

    const form = {
      email: mover.user.email,
      name: mover.user.name,
      employeeId: '',
      department: mover.user.department,
      managerEmail: '',
      hireDate: '',
      locale: 'en',
      role: 'employee',
      active: 'yes',
      region: 'uk',
    };
    const edit = `/hr/people/${mover.user._id}/edit`;
    expect((await hr.post(edit, form, edit)).statusCode).toBe(303);
    expect(await copiedRegion(mover.user._id)).toBe('uk');
    const asUk = await lessonAndReads(mover.session);
    expect(asUk.page).toContain(PIDA);
    expect(asUk.page).not.toContain(NLRA);
    expect(asUk.ops.filter((op) => op.startsWith('users.'))).toEqual([]);

    const csv = ['email,name,department,region', `${mover.user.email},${mover.user.name},Ops,us`].join('\n');
    const res = await hr.post('/hr/people/import', { csv }, '/hr/people/import');
    const at = res.headers.location as string;
    expect((await hr.post(`${at}/apply`, {}, at)).statusCode).toBe(200);
    expect(await copiedRegion(mover.user._id)).toBe('us');
    const asUs = await lessonAndReads(mover.session);
    expect(asUs.page).toContain(NLRA);
    expect(asUs.page).not.toContain(PIDA);
    expect(asUs.ops.filter((op) => op.startsWith('users.'))).toEqual([]);

    // A file without the region column keeps the region, on the person and on the copy.
    const keep = ['email,name,department', `${mover.user.email},${mover.user.name},Sales`].join('\n');
    const again = (await hr.post('/hr/people/import', { csv: keep }, '/hr/people/import')).headers
      .location as string;
    await hr.post(`${again}/apply`, {}, again);
    expect(await copiedRegion(mover.user._id)).toBe('us');
  });
});
