import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEventDoc } from '../../src/db/models/audit-event.js';
import { usersRepository } from '../../src/db/repositories/users.js';
import type { Region } from '../../src/domain/org-profile.js';
import { verifyAuditChain } from '../../src/services/audit/verify.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';

/**
 * Policy versions under stress (issue #22): the draft's edits and submissions are audited, an
 * approval of a draft that changed since the page was opened is refused, the preview shows the
 * notices the organisation's learners see, and a publish cut short between the version insert
 * and the head move heals itself.
 */

const base = `/hr/courses/${COURSE_ID}/policy`;
let t: TestApp;
let hr: Session;
let admin: Session;
let admin2: Session;

async function edit(s: Session, clauseId: string, change: Record<string, string>, kind = 'minor') {
  const form = await t.app.services.policy.clauseForm({ courseId: COURSE_ID, clauseId });
  return s.post(`${base}/edit`, { clauseId, kind, ...form.wording, ...change }, base);
}
const submit = (s: Session, note: string) => s.post(`${base}/submit`, { note }, base);
const events = (action: string) =>
  t.app.db.models.AuditEvent.find({ action }).sort({ seq: 1 }).lean<AuditEventDoc[]>();

beforeAll(async () => {
  t = await createTestApp({ label: 'policy-hardening' });
  t.clock.set('2026-03-02T09:00:00Z');
  await createUser(t.app, { email: 'admin2@demo.test', name: 'Admin 2', role: 'admin' });
  hr = await loginAs(t.app, 'hr@demo.test');
  admin = await loginAs(t.app, 'admin@demo.test');
  admin2 = await loginAs(t.app, 'admin2@demo.test');
});
afterAll(async () => t.close());

describe('the draft is audited', () => {
  it('edits (clause, kind, before and after wording), reverts and submissions (note) are in the audit log, which verifies', async () => {
    const published = (await t.app.services.policy.clauseForm({ courseId: COURSE_ID, clauseId: 'SMP-02' }))
      .wording;
    expect((await edit(hr, 'SMP-02', { text: 'First rewording.' })).statusCode).toBe(303);
    expect((await edit(hr, 'SMP-02', { text: 'Second rewording.' }, 're-attest')).statusCode).toBe(303);
    expect((await hr.post(`${base}/revert`, { clauseId: 'SMP-02' }, base)).statusCode).toBe(303);
    expect((await edit(hr, 'SMP-03', { title: 'A new title' })).statusCode).toBe(303);
    expect((await submit(hr, 'Tidy the titles')).statusCode).toBe(303);

    const edited = await events('policy.draft.edited');
    expect(edited.map((e) => e.details)).toMatchObject([
      {
        clauseId: 'SMP-02',
        kind: 'minor',
        before: published,
        after: { ...published, text: 'First rewording.' },
      },
      {
        clauseId: 'SMP-02',
        kind: 're-attest',
        before: { text: 'First rewording.' },
        after: { text: 'Second rewording.' },
      },
      { clauseId: 'SMP-03', kind: 'minor', after: { title: 'A new title' } },
    ]);
    expect(edited[0]).toMatchObject({ targetType: 'course', targetId: COURSE_ID });
    const [reverted] = await events('policy.draft.reverted');
    expect(reverted!.details).toMatchObject({ clauseId: 'SMP-02', dropped: { text: 'Second rewording.' } });
    const [submitted] = await events('policy.draft.submitted');
    expect(submitted!.details).toMatchObject({ note: 'Tidy the titles', clauses: ['SMP-03'] });
    expect(await verifyAuditChain(t.app.db.models)).toMatchObject({ ok: true });
  });
});

/** The revision the approve form on the policy page carries, as `viewer` opened it. */
async function openedRevision(s: Session) {
  const page = await s.get(base);
  const revision = /name="revision" value="(\d+)"/.exec(page.body)?.[1];
  expect(revision).toBeDefined();
  return { revision: revision!, _csrf: await s.csrf(base) };
}

describe('an approval of a draft that changed since the page was opened', () => {
  it('is refused with a clear message and publishes nothing; approved again once reviewed', async () => {
    const opened = await openedRevision(admin2);
    // HR changes the draft and submits it again while the admin reads the page.
    expect((await edit(hr, 'SMP-04', { text: 'A late change nobody reviewed.' })).statusCode).toBe(303);
    expect((await submit(hr, 'Tidy the titles, and clause 4')).statusCode).toBe(303);
    const stale = await admin2.post(`${base}/approve`, { dueDate: '', ...opened });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('The draft changed after you opened it: review it again');
    // The page shown again lists the clause edited meanwhile, for the admin to review.
    expect(stale.body).toContain('SMP-04: Minor');
    expect(await t.app.db.models.PolicyVersion.countDocuments({ courseId: COURSE_ID })).toBe(0);
    expect(t.app.courses.get(COURSE_ID)!.policyVersion).toBe(1);
    const draft = await t.app.db.models.PolicyDraft.findById(COURSE_ID).lean<{ edits: object }>();
    expect(Object.keys(draft!.edits).sort()).toEqual(['SMP-03', 'SMP-04']);
    // A form without its revision is refused outright.
    const noRevision = await admin2.post(`${base}/approve`, { dueDate: '' }, base);
    expect(noRevision.statusCode).toBe(400);

    const reviewed = await openedRevision(admin2);
    expect(reviewed.revision).not.toBe(opened.revision);
    const ok = await admin2.post(`${base}/approve`, { dueDate: '', ...reviewed });
    expect(ok.statusCode).toBe(303);
    expect(t.app.courses.get(COURSE_ID)!.clauses.find((c) => c.id === 'SMP-04')!.text).toBe(
      'A late change nobody reviewed.',
    );
    expect(await t.app.db.models.PolicyDraft.findById(COURSE_ID).lean()).toBeNull();
  });
});

describe('the preview shows the notices the organisation shows', () => {
  const NLRA = 'Section 7 of the National Labor Relations Act';
  const PIDA = 'Public Interest Disclosure Act 1998';

  async function setRegions(regions: Region[]) {
    const {
      logo: _l,
      updatedAt: _a,
      updatedBy: _b,
      ...values
    } = await t.app.services.organisation.currentProfile();
    const adminUser = await usersRepository(t.app.db.models).findByEmail('admin@demo.test');
    await t.app.services.organisation.saveProfile({
      actorId: adminUser!._id,
      values: { ...values, regions },
      logo: null,
      now: t.app.clock.now(),
    });
  }
  const flat = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

  it("every region's while the profile names none; only the profile's regions once it does, saying which", async () => {
    expect((await edit(hr, 'SMP-05', { title: 'Clause five, previewed' })).statusCode).toBe(303);
    await setRegions([]);
    const all = flat((await hr.get(`${base}/preview`)).body);
    expect(all).toContain(NLRA);
    expect(all).toContain(PIDA);
    expect(all).toContain(
      'Jurisdiction notices shown: every region’s, as the organisation profile names no region',
    );

    await setRegions(['uk', 'eu']);
    const res = await hr.get(`${base}/preview`);
    expect(res.statusCode).toBe(200);
    const ukEu = flat(res.body);
    expect(ukEu).toContain(PIDA);
    expect(ukEu).not.toContain(NLRA);
    expect(ukEu).toContain(
      'Jurisdiction notices shown: those for staff in the United Kingdom and the EU and EEA, the regions the organisation profile enables',
    );
  });
});
