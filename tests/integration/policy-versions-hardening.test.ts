import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyVersionKey } from '../../src/db/keys.js';
import type { AuditEventDoc } from '../../src/db/models/audit-event.js';
import type { PolicyHeadDoc, PolicyVersionDoc } from '../../src/db/models/policy.js';
import { usersRepository } from '../../src/db/repositories/users.js';
import { verifyAuditChain } from '../../src/services/audit/verify.js';
import { renewalCampaignId } from '../../src/services/policy/publish.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { insertVersionOnly } from '../helpers/cut-short-publish.js';
import { setOrgRegions } from '../helpers/org-regions.js';
import { flatText } from '../helpers/page-text.js';

/**
 * Policy versions under stress (issue #22): the draft's edits and submissions are audited, an
 * approval of a draft that changed since the page was opened is refused, the preview shows the
 * notices the organisation's learners see, and a publish cut short between the version insert
 * and the head move heals itself.
 */

const base = `/hr/courses/${COURSE_ID}/policy`;
let t: TestApp;
let hr: Session;
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

  it("every region's while the profile names none; only the profile's regions once it does, saying which", async () => {
    expect((await edit(hr, 'SMP-05', { title: 'Clause five, previewed' })).statusCode).toBe(303);
    await setOrgRegions(t.app, []);
    const all = flatText((await hr.get(`${base}/preview`)).body);
    expect(all).toContain(NLRA);
    expect(all).toContain(PIDA);
    expect(all).toContain(
      'Jurisdiction notices shown: every region’s, as the organisation profile names no region',
    );

    await setOrgRegions(t.app, ['uk', 'eu']);
    const res = await hr.get(`${base}/preview`);
    expect(res.statusCode).toBe(200);
    const ukEu = flatText(res.body);
    expect(ukEu).toContain(PIDA);
    expect(ukEu).not.toContain(NLRA);
    expect(ukEu).toContain(
      'Jurisdiction notices shown: those for staff in the United Kingdom and the EU and EEA, the regions the organisation profile enables',
    );
  });
});

/** The admin (admin2) who approved the cut-short versions below. */
const adminId = async () => (await usersRepository(t.app.db.models).findByEmail('admin2@demo.test'))!._id;

describe('a publish cut short between the version insert and the head move heals itself', () => {
  const head = async () => (await t.app.db.models.PolicyHead.findById(COURSE_ID).lean<PolicyHeadDoc>())!.n;
  const renewalRequests = async () => (await events('course.renewal.requested')).length;
  const settings = () =>
    t.app.db.models.CourseSettings.findById(COURSE_ID).lean<{
      campaign: { id: string; requirement: string; dueAt: Date } | null;
    }>();

  it('the policy page moves the head to the version, asks for its campaign once, drops the published draft and audits it', async () => {
    t.clock.set('2026-03-04T09:00:00Z');
    expect((await edit(hr, 'SMP-06', { text: 'Clause six, re-attest.' }, 're-attest')).statusCode).toBe(303);
    expect((await submit(hr, 'Clause six')).statusCode).toBe(303);
    const requestsBefore = await renewalRequests();
    const v3 = await insertVersionOnly(t.app, {
      approvedBy: await adminId(),
      renewalDueAt: new Date('2026-03-25'),
    });
    expect(v3.n).toBe(3);
    expect(await head()).toBe(2);

    const page = await admin2.get(base);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Version 3');
    expect(await head()).toBe(3);
    const served = t.app.courses.get(COURSE_ID)!;
    expect(served.policyVersion).toBe(3);
    expect(served.version).toBe(v3.contentHash);
    expect(served.clauses.find((c) => c.id === 'SMP-06')!.text).toBe('Clause six, re-attest.');
    const stored = await t.app.db.models.PolicyVersion.findById(v3._id).lean<PolicyVersionDoc>();
    expect(stored!.campaignId).toMatch(/^[a-f0-9]{16}$/);
    expect((await settings())!.campaign).toMatchObject({
      id: stored!.campaignId,
      requirement: 'attest-only',
      dueAt: new Date('2026-03-25T00:00:00Z'),
    });
    expect(await t.app.db.models.PolicyDraft.findById(COURSE_ID).lean()).toBeNull();
    const published = (await events('policy.version.published')).filter((e) => e.details?.n === 3);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ actorId: v3.approvedBy, details: { repaired: true } });

    // Seen again (another page, an approval of nothing): no second campaign, no second audit.
    await admin2.get(base);
    const again = await admin2.post(`${base}/approve`, { dueDate: '', revision: '0' }, base);
    expect(again.statusCode).toBe(409);
    expect(await renewalRequests()).toBe(requestsBefore + 1);
    expect((await settings())!.campaign!.id).toBe(stored!.campaignId);
    expect((await events('policy.version.published')).filter((e) => e.details?.n === 3)).toHaveLength(1);
  });

  it('approving again after the crash completes the publish instead of a dead end, and a campaign asked before the crash is not asked twice', async () => {
    t.clock.set('2026-03-05T09:00:00Z');
    expect((await edit(hr, 'SMP-07', { text: 'Clause seven, re-attest.' }, 're-attest')).statusCode).toBe(
      303,
    );
    expect((await submit(hr, 'Clause seven')).statusCode).toBe(303);
    const { revision, _csrf } = await openedRevision(admin2);
    const v4 = await insertVersionOnly(t.app, {
      approvedBy: await adminId(),
      renewalDueAt: new Date('2026-03-26'),
    });
    // The process died after asking for the campaign but before recording it on the version.
    const requestsBefore = await renewalRequests();
    await t.app.services.assignments.requestRenewal({
      actorId: v4.approvedBy,
      courseId: COURSE_ID,
      id: renewalCampaignId(v4),
      requirement: 'attest-only',
      dueAt: v4.renewalDueAt!,
      reason: `Policy version 4: ${v4.note}`,
      now: v4.publishedAt,
    });

    const res = await admin2.post(`${base}/approve`, { dueDate: '', revision, _csrf });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('already published');
    expect(await head()).toBe(4);
    expect(t.app.courses.get(COURSE_ID)!.policyVersion).toBe(4);
    expect(await renewalRequests()).toBe(requestsBefore + 1);
    const stored = await t.app.db.models.PolicyVersion.findById(v4._id).lean<PolicyVersionDoc>();
    expect(stored!.campaignId).toBe(renewalCampaignId(v4));
    expect((await settings())!.campaign!.id).toBe(renewalCampaignId(v4));
    expect(await t.app.db.models.PolicyVersion.findById(policyVersionKey(COURSE_ID, 5)).lean()).toBeNull();
  });
});

describe('the sweep completes a publish cut short before it runs', () => {
  it('the next sweep serves the version and asks for its campaign, with nobody opening the policy page', async () => {
    t.clock.set('2026-03-06T09:00:00Z');
    expect((await edit(hr, 'SMP-08', { text: 'Clause eight, re-attest.' }, 're-attest')).statusCode).toBe(
      303,
    );
    expect((await submit(hr, 'Clause eight')).statusCode).toBe(303);
    const v5 = await insertVersionOnly(t.app, {
      approvedBy: await adminId(),
      renewalDueAt: new Date('2026-03-27'),
    });
    await t.app.services.jobs.runSweep({ now: new Date('2026-03-06T09:15:00Z') });
    expect(t.app.courses.get(COURSE_ID)!.policyVersion).toBe(5);
    const settings = await t.app.db.models.CourseSettings.findById(COURSE_ID).lean<{
      campaign: { id: string } | null;
    }>();
    expect(settings!.campaign!.id).toBe(renewalCampaignId(v5));
    expect(await t.app.db.models.PolicyDraft.findById(COURSE_ID).lean()).toBeNull();
  });
});
