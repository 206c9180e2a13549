/**
 * Re-attesting a changed clause that has jurisdiction notices (issue #22): the "what changed" page
 * (the course overview and the attest page) shows the changed clause with the notices of the
 * learner's jurisdictions only, exactly as the attest page shows that clause to a first-time
 * signer of the same region, and the text kept for the signature holds those notices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttestationDoc, PolicyTextDoc } from '../../src/db/models/records.js';
import { usersRepository } from '../../src/db/repositories/users.js';
import { runSweep } from '../../src/services/jobs/sweep/index.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type TestApp } from '../helpers/app.js';
import { postAttestForm } from '../helpers/attest-form.js';
import { jobContext } from '../helpers/jobs.js';
import { completeWithCertificate, course, cycleOf, takeQuiz, viewAllLessons } from './records-helpers.js';

let t: TestApp;
const LEARN = `/learn/${COURSE_ID}`;
const ATTEST = `${LEARN}/attest`;
const NLRA = 'Section 7 of the National Labor Relations Act';
const PIDA = 'Public Interest Disclosure Act 1998';
const NEW_SENTENCE = 'Nothing in this policy stops you talking about your pay with anyone.';

/** A clause's block of a page: its article (what changed) or list item (the full policy). */
function clauseBlock(html: string, clauseId: string): string {
  const start = html.indexOf(`id="clause-${clauseId}"`);
  expect(start, `no clause ${clauseId} on the page`).toBeGreaterThan(-1);
  const ends = ['</article>', '</li>'].map((tag) => html.indexOf(tag, start)).filter((i) => i > -1);
  return html.slice(start, Math.min(...ends));
}

/** The notice sections of a piece of page, as rendered. */
const noticeSections = (html: string) =>
  [...html.matchAll(/<section class="jurisdiction-notice clause-notice"[\s\S]*?<\/section>/g)].map((m) =>
    m[0].replace(/\s+/g, ' '),
  );

async function usPerson(email: string) {
  const user = await createUser(t.app, { email, name: email.split('@')[0]!.replace('.', ' '), region: 'us' });
  await t.app.services.assignments.ensureEnrolled({
    learner: { id: user._id, department: user.department },
    course: course(t.app),
    now: t.app.clock.now(),
  });
  return { id: user._id, name: user.name, department: user.department, email };
}

let signer: Awaited<ReturnType<typeof usPerson>>;
let firstTimer: Awaited<ReturnType<typeof usPerson>>;

beforeAll(async () => {
  t = await createTestApp({ label: 'reattest-notices' });
  t.clock.set('2026-03-02T09:00:00Z');
  signer = await usPerson('rhea.states@demo.test');
  await completeWithCertificate(t.app, signer);

  // Version 2: SMP-01 (a US and a UK notice) reworded as re-attest; the sweep opens the cycle.
  t.clock.set('2026-03-10T09:00:00Z');
  const users = usersRepository(t.app.db.models);
  const hr = (await users.findByEmail('hr@demo.test'))!;
  const admin = (await users.findByEmail('admin@demo.test'))!;
  const template = t.app.catalogue.templates.get(COURSE_ID)!.clauses.find((c) => c.id === 'SMP-01')!;
  const policy = t.app.services.policy;
  const now = t.clock.now();
  const wording = {
    title: template.title,
    summary: template.summary,
    text: `${template.text}\n\n${NEW_SENTENCE}`,
  };
  const edit = {
    actorId: hr._id,
    courseId: COURSE_ID,
    clauseId: 'SMP-01',
    wording,
    kind: 're-attest' as const,
    now,
  };
  expect(await policy.editClause(edit)).toEqual({ ok: true });
  expect(await policy.submitDraft({ actorId: hr._id, courseId: COURSE_ID, note: 'Pay talk.', now })).toEqual({
    ok: true,
  });
  const approver = { id: admin._id, role: 'admin' as const };
  await policy.approveAndPublish({ approver, courseId: COURSE_ID, dueAt: new Date('2026-04-15'), now });
  expect(course(t.app).policyVersion).toBe(2);
  await runSweep(jobContext(t), { now: new Date('2026-03-10T10:00:00Z') });
  expect(await cycleOf(t.app, signer)).toMatchObject({ n: 2, requirement: 'attest-only' });
  // A US person signing version 2 for the first time: the attest page shows them every clause.
  firstTimer = await usPerson('fred.states@demo.test');
  await viewAllLessons(t.app, firstTimer);
  expect((await takeQuiz(t.app, firstTimer, true)).passed).toBe(true);
});
afterAll(async () => t.close());

describe('what changed, for a US learner', () => {
  it('shows the changed clause with its US notice and not its UK one, on the overview and the attest page', async () => {
    const s = await loginAs(t.app, signer.email);
    for (const url of [LEARN, ATTEST]) {
      const res = await s.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('What changed');
      const block = clauseBlock(res.body, 'SMP-01');
      expect(block, url).toContain(NEW_SENTENCE);
      expect(block, url).toContain(NLRA);
      expect(res.body, url).not.toContain(PIDA);
    }
  });

  it('the notices are those the attest page shows a US signer of the same clause', async () => {
    const changed = clauseBlock((await (await loginAs(t.app, signer.email)).get(LEARN)).body, 'SMP-01');
    const full = clauseBlock((await (await loginAs(t.app, firstTimer.email)).get(ATTEST)).body, 'SMP-01');
    expect(noticeSections(changed)).toHaveLength(1);
    expect(noticeSections(changed)).toEqual(noticeSections(full));
  });

  it('the signature keeps the US notice of the clause', async () => {
    const s = await loginAs(t.app, signer.email);
    const res = await postAttestForm(s, ATTEST, { typedName: signer.name, agreed: 'yes' });
    expect(res.statusCode).toBe(303);
    const attestation = await t.app.db.models.Attestation.findById(
      (await cycleOf(t.app, signer))._id,
    ).lean<AttestationDoc>();
    expect(attestation).toMatchObject({ policyVersion: 2, replacesVersion: 1, jurisdictions: ['us'] });
    const kept = await t.app.db.models.PolicyText.findById(attestation!.policyTextId).lean<PolicyTextDoc>();
    const smp01 = JSON.stringify(kept!.clauses.find((c) => c.id === 'SMP-01'));
    expect(smp01).toContain(NEW_SENTENCE);
    expect(smp01).toContain(NLRA);
    expect(smp01).not.toContain(PIDA);
  });
});
