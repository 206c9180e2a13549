/**
 * The attestation covers the full policy text (issue #20): the attestation page shows every clause
 * in full with the version, offers the policy as a PDF, binds the signature to the hash of exactly
 * what was shown, and the learner (or HR) can reopen that text from the records, even after the
 * content has changed.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCourseFiles } from '../../src/content/course-files.js';
import { defaultCoursesDir } from '../../src/content/index.js';
import { policyTextKey } from '../../src/db/keys.js';
import type { Course } from '../../src/domain/course.js';
import { resolveCourse, servedPlaceholderValues } from '../../src/domain/course-resolve.js';
import { courseForJurisdictions } from '../../src/domain/jurisdictions.js';
import type { Region } from '../../src/domain/org-profile.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { postAttestForm } from '../helpers/attest-form.js';
import { flatText } from '../helpers/page-text.js';
import { pdfFlowedText } from '../helpers/pdf-text.js';
import { course, cycleOf, learnerByEmail, takeQuiz } from './records-helpers.js';

let t: TestApp;
let erin: Awaited<ReturnType<typeof learnerByEmail>>;
let s: Session;
let hr: Session;
let shown: Course;
const ATTEST = `/learn/${COURSE_ID}/attest`;
const POLICY_PDF = `/learn/${COURSE_ID}/policy.pdf`;
const OWN_TEXT = `/learn/${COURSE_ID}/attested?cycle=1`;

beforeAll(async () => {
  t = await createTestApp({ label: 'records-attested-text' });
  erin = await learnerByEmail(t.app, 'employee@demo.test');
  s = await loginAs(t.app, 'employee@demo.test');
  hr = await loginAs(t.app, 'hr@demo.test');
  shown = course(t.app);
});
afterAll(async () => t.close());

const words = (text: string) => text.replace(/\s+/g, ' ').trim();

function expectEveryClause(pageText: string, clauses: Course['clauses']) {
  for (const clause of clauses) {
    expect(pageText, clause.id).toContain(words(clause.title));
    expect(pageText, clause.id).toContain(words(clause.summary));
    expect(pageText, clause.id).toContain(words(clause.text));
  }
}

describe('the attestation page before signing', () => {
  it('shows every clause in full, collapsible under its number, title and summary, with the version', async () => {
    expect((await takeQuiz(t.app, erin, true)).passed).toBe(true);
    const res = await s.get(ATTEST);
    expect(res.statusCode).toBe(200);
    expectEveryClause(flatText(res.body), shown.clauses);
    expect(res.body.match(/<details class="clause"/g)).toHaveLength(shown.clauses.length);
    for (const clause of shown.clauses) {
      expect(res.body).toMatch(new RegExp(`<summary[^>]*>[\\s\\S]*?${clause.number}[\\s\\S]*?</summary>`));
    }
    expect(flatText(res.body)).toContain(`${shown.policyTitle}, version ${shown.version.slice(0, 12)}`);
    expect(res.body).toContain(`href="${POLICY_PDF}"`);
    expect(res.body).toContain('name="typedName"');
  });

  it('offers the policy as a real PDF with every clause, the title and the version', async () => {
    const res = await s.get(POLICY_PDF);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="${COURSE_ID}-policy-${shown.version.slice(0, 12)}.pdf"; filename*=UTF-8''${COURSE_ID}-policy-${shown.version.slice(0, 12)}.pdf`,
    );
    const text = await pdfFlowedText(res.rawPayload);
    expect(text).toContain(shown.policyTitle);
    expect(text).toContain(shown.version);
    for (const clause of shown.clauses) expect(text, clause.id).toContain(words(clause.text));
  });

  it('serves the policy PDF to HR, and to nobody who is not assigned the course', async () => {
    expect((await hr.get(POLICY_PDF)).statusCode).toBe(200);
    await createUser(t.app, { email: 'nora.unassigned@demo.test', name: 'Nora Unassigned' });
    const nora = await loginAs(t.app, 'nora.unassigned@demo.test');
    expect((await nora.get(POLICY_PDF)).statusCode).toBe(404);
    const anonymous = await t.app.inject({ method: 'GET', url: POLICY_PDF });
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toMatch(/^\/login/);
  });
});

describe('signing binds the record to exactly the text shown', () => {
  it('stores the version of the course as served (its files, the profile values filled in, the published policy) and a copy of that filled text', async () => {
    const res = await postAttestForm(s, ATTEST, { typedName: erin.name, agreed: 'yes' });
    expect(res.statusCode).toBe(303);
    const cycle = await cycleOf(t.app, erin);
    const record = await t.app.db.models.Attestation.findById(cycle._id).lean();
    const served = t.app.courses.get(COURSE_ID)!;
    expect(record?.contentVersion).toBe(served.version);
    expect(record?.contentVersion).toBe(shown.version);
    // That version is the hash over the files' version, the profile's values and the overlay: the
    // files on disk resolved with them give it, and the files' own version is not it.
    const onDisk = await readCourseFiles(path.join(defaultCoursesDir, COURSE_ID));
    const template = t.app.catalogue.templates.get(COURSE_ID)!;
    expect(template.version).toBe(onDisk.version);
    const values = servedPlaceholderValues(await t.app.services.organisation.currentProfile());
    const overlay = t.app.catalogue.overlayOf(COURSE_ID);
    expect(resolveCourse(template, { values, overlay }).version).toBe(record?.contentVersion);
    expect(record?.contentVersion).not.toBe(onDisk.version);
    // The text kept for that version is the text the page showed: every clause as served, its
    // placeholders filled, with the jurisdiction notices of the learner's jurisdictions
    // (jurisdiction-notices.test.ts has the rest).
    expect(record?.policyTextId?.startsWith(policyTextKey(COURSE_ID, shown.version))).toBe(true);
    const kept = await t.app.db.models.PolicyText.findById(record?.policyTextId).lean();
    expect(kept?.policyTitle).toBe(served.policyTitle);
    const clientList = values.get('org.clientListUrl')!;
    expect(template.clauses.find((c) => c.id === 'SMP-07')?.text).toContain('{{org.clientListUrl}}');
    expect(kept?.clauses.find((c) => c.id === 'SMP-07')?.text).toContain(clientList);
    expect(JSON.stringify(kept?.clauses)).not.toContain('{{');
    const seen = courseForJurisdictions(shown, (record?.jurisdictions ?? []) as Region[]);
    expect(kept?.clauses).toEqual(
      seen.clauses.map(({ id, number, title, summary, text, notices }) => ({
        id,
        number,
        title,
        summary,
        text,
        ...(notices ? { notices } : {}),
      })),
    );
  });

  it('keeps one copy of a version however many people sign it', async () => {
    const max = await learnerByEmail(t.app, 'manager@demo.test');
    expect((await takeQuiz(t.app, max, true)).passed).toBe(true);
    const signed = await t.app.services.records.attest({
      userId: max.id,
      course: shown,
      cycle: await cycleOf(t.app, max),
      typedName: max.name,
      agreed: true,
      ip: '127.0.0.1',
      userAgent: 'test',
      now: t.clock.now(),
    });
    expect(signed.ok).toBe(true);
    expect(await t.app.db.models.Attestation.countDocuments({ contentVersion: shown.version })).toBe(2);
    expect(
      await t.app.db.models.PolicyText.countDocuments({ courseId: COURSE_ID, version: shown.version }),
    ).toBe(1);
  });
});

describe('reopening the attested text from the records', () => {
  it('links the training record and the signed page to the text, which shows every clause signed', async () => {
    const record = await s.get(`/learn/${COURSE_ID}/evidence`);
    expect(record.body).toContain(`href="/learn/${COURSE_ID}/attested?cycle=1"`);
    expect((await s.get(ATTEST)).body).toContain(`href="/learn/${COURSE_ID}/attested?cycle=1"`);
    const res = await s.get(OWN_TEXT);
    expect(res.statusCode).toBe(200);
    const text = flatText(res.body);
    expectEveryClause(text, shown.clauses);
    expect(text).toContain(shown.version.slice(0, 12));
    expect(text).toContain(erin.name);
    expect(res.body).toContain(`href="/learn/${COURSE_ID}/attested.pdf?cycle=1"`);
  });

  it("lets HR open anyone's, and nobody else: another learner gets a 403 on the HR address and only their own on theirs", async () => {
    const hrUrl = `/hr/people/${erin.id}/attested/${COURSE_ID}/1`;
    const byHr = await hr.get(hrUrl);
    expect(byHr.statusCode).toBe(200);
    expectEveryClause(flatText(byHr.body), shown.clauses);
    expect(flatText(byHr.body)).toContain(erin.name);
    expect((await hr.get(`/hr/people/${erin.id}/evidence/${COURSE_ID}/1`)).body).toContain(`href="${hrUrl}"`);
    expect((await hr.get(`/hr/employees/${erin.id}`)).body).toContain(`href="${hrUrl}"`);
    expect((await hr.get(`${hrUrl}.pdf`)).statusCode).toBe(200);

    const elena = await loginAs(t.app, 'elena.evans@demo.test');
    expect((await elena.get(hrUrl)).statusCode).toBe(403);
    expect((await elena.get(`${hrUrl}.pdf`)).statusCode).toBe(403);
    // Her own address can only ever show her own record: she has not attested, so there is none.
    const own = await elena.get(OWN_TEXT);
    expect(own.statusCode).toBe(404);
    expect(own.body).not.toContain(erin.name);
    expect((await hr.get(`/hr/people/${erin.id}/attested/${COURSE_ID}/7`)).statusCode).toBe(404);
  });

  it('still shows the text that was signed after the content changed, in the page and the PDF', async () => {
    const changed: Course = {
      ...shown,
      version: 'f'.repeat(64),
      clauses: shown.clauses.map((c) => ({ ...c, text: `Rewritten wording of ${c.id}.` })),
    };
    t.app.courses.set(COURSE_ID, changed);
    try {
      const res = await s.get(OWN_TEXT);
      expect(res.statusCode).toBe(200);
      const text = flatText(res.body);
      expectEveryClause(text, shown.clauses);
      expect(text).not.toContain('Rewritten wording');
      expect(text).toContain('The policy has changed since you signed');
      const pdf = await s.get(`/learn/${COURSE_ID}/attested.pdf?cycle=1`);
      expect(pdf.statusCode).toBe(200);
      const drawn = await pdfFlowedText(pdf.rawPayload);
      for (const clause of shown.clauses) expect(drawn, clause.id).toContain(words(clause.text));
      expect(drawn).toContain(shown.version);
      expect(drawn).not.toContain('Rewritten wording');

      // A signature from before texts were kept: the version is named, and the page says plainly
      // that its wording is not on record rather than showing today's text in its place.
      await t.app.db.models.PolicyText.deleteMany({ courseId: COURSE_ID, version: shown.version });
      const lost = flatText((await s.get(OWN_TEXT)).body);
      expect(lost).toContain(shown.version.slice(0, 12));
      expect(lost).toContain('was not kept');
      expect(lost).not.toContain('Rewritten wording');
    } finally {
      t.app.courses.set(COURSE_ID, shown);
    }
  });
});
