/**
 * The attestation binds to the text the learner read (issue #22 review): the form carries the
 * version and the kept-text key of the page it was served on, and a POST after the text changed
 * (a new policy version, a profile save that changes the hash, HR moving the person to another
 * region) is refused with 409 and the current text, nothing stored. The what-changed page shows the
 * wording attested before and a minor change's title with placeholders filled, as served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentKey, cycleKey } from '../../src/db/keys.js';
import type { AttestationDoc } from '../../src/db/models/records.js';
import type { CycleDoc } from '../../src/db/models/training.js';
import { runSweep } from '../../src/services/jobs/sweep/index.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { attestFormFields } from '../helpers/attest-form.js';
import { jobContext } from '../helpers/jobs.js';
import { completeWithCertificate, course, takeQuiz, viewAllLessons } from './records-helpers.js';

let t: TestApp;
let hr: Session;
const ATTEST = `/learn/${COURSE_ID}/attest`;
const UNREAD =
  'This form did not say which version of the policy you read: read the policy below, then attest.';
const CHANGED = 'The policy changed while you were reading it: read the current version, then attest.';
const NEW_SMP04 =
  'Treat everyone with courtesy online; criticising how {{org.name}} treats staff stays protected.';
const SMP08_TITLE = 'When in doubt, ask {{org.shortName}} first';

const flat = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');

/** A learner who passed the quiz and has the attestation form in front of them. */
async function learnerAtForm(email: string, name: string) {
  const user = await createUser(t.app, { email, name });
  const learner = { id: user._id, name: user.name, department: user.department };
  await viewAllLessons(t.app, learner);
  expect((await takeQuiz(t.app, learner, true)).passed).toBe(true);
  return { ...learner, session: await loginAs(t.app, email) };
}

/** Opens the attest page and returns the form the learner would post from it. */
async function openForm(session: Session) {
  const res = await session.get(ATTEST);
  expect(res.statusCode).toBe(200);
  const fields = attestFormFields(res.body);
  expect(Object.keys(fields).sort()).toEqual(['_csrf', 'contentVersion', 'textKey']);
  return fields;
}

function sign(session: Session, fields: Record<string, string>, typedName: string) {
  return session.post(ATTEST, { ...fields, typedName, agreed: 'yes' });
}

const attestationOf = (userId: string, n = 1) =>
  t.app.db.models.Attestation.findById(cycleKey(userId, COURSE_ID, n)).lean<AttestationDoc>();

function clauseWording(clauseId: string) {
  const clause = t.app.catalogue.templates.get(COURSE_ID)!.clauses.find((x) => x.id === clauseId)!;
  return { title: clause.title, summary: clause.summary, text: clause.text };
}

/** Version 2 through HR's draft and the admin's approval: SMP-04 to re-attest, SMP-08's title reworded (minor). */
async function publishVersion2() {
  const now = t.clock.now();
  const hrUser = (await t.app.db.models.User.findOne({ email: 'hr@demo.test' }).lean())!;
  const admin = (await t.app.db.models.User.findOne({ email: 'admin@demo.test' }).lean())!;
  const policy = t.app.services.policy;
  const edits = [
    {
      clauseId: 'SMP-04',
      wording: { ...clauseWording('SMP-04'), text: NEW_SMP04 },
      kind: 're-attest' as const,
    },
    {
      clauseId: 'SMP-08',
      wording: { ...clauseWording('SMP-08'), title: SMP08_TITLE },
      kind: 'minor' as const,
    },
  ];
  for (const edit of edits)
    expect(await policy.editClause({ actorId: hrUser._id, courseId: COURSE_ID, now, ...edit })).toEqual({
      ok: true,
    });
  expect(
    await policy.submitDraft({ actorId: hrUser._id, courseId: COURSE_ID, note: 'Clause 4 reworded.', now }),
  ).toEqual({
    ok: true,
  });
  const approver = { id: admin._id, role: 'admin' as const };
  const published = await policy.approveAndPublish({
    approver,
    courseId: COURSE_ID,
    dueAt: new Date('2026-06-01'),
    now,
  });
  expect(published.n).toBe(2);
}

async function renameOrganisation(name: string) {
  const profile = await t.app.services.organisation.currentProfile();
  const { logo: _logo, updatedAt: _at, updatedBy: _by, ...values } = profile;
  const admin = (await t.app.db.models.User.findOne({ email: 'admin@demo.test' }).lean())!;
  await t.app.services.organisation.saveProfile({
    actorId: admin._id,
    values: { ...values, name },
    logo: null,
    now: t.clock.now(),
  });
}

let early: { id: string; name: string; department: string };

beforeAll(async () => {
  t = await createTestApp({ label: 'attest-binding' });
  t.clock.set('2026-05-04T09:00:00Z');
  hr = await loginAs(t.app, 'hr@demo.test');
  const user = await createUser(t.app, { email: 'erla.early@demo.test', name: 'Erla Early' });
  early = { id: user._id, name: user.name, department: user.department };
  await completeWithCertificate(t.app, early);
  t.clock.set('2026-05-05T09:00:00Z');
});
afterAll(async () => t.close());

describe('the signature binds to the text the learner was shown', () => {
  let vic: Awaited<ReturnType<typeof learnerAtForm>>;
  let read: Record<string, string>;

  it('a version published between opening the page and signing: 409, the new text, nothing stored', async () => {
    vic = await learnerAtForm('vic.reader@demo.test', 'Vic Reader');
    read = await openForm(vic.session);
    expect(read.contentVersion).toBe(course(t.app).version);
    await publishVersion2();
    const res = await sign(vic.session, read, vic.name);
    expect(res.statusCode).toBe(409);
    expect(flat(res.body)).toContain(CHANGED);
    expect(flat(res.body)).toContain('criticising how Kestrel Works treats staff stays protected');
    expect(await attestationOf(vic.id)).toBeNull();
    // The page shown again carries the version it shows: signing from it records version 2.
    const again = attestFormFields(res.body);
    expect(again.contentVersion).toBe(course(t.app).version);
    const signed = await sign(vic.session, again, vic.name);
    expect(signed.statusCode).toBe(303);
    expect(await attestationOf(vic.id)).toMatchObject({
      policyVersion: 2,
      contentVersion: course(t.app).version,
    });
  });

  it('a replayed POST of a stored attestation returns it, even from the page read before', async () => {
    const stored = await attestationOf(vic.id);
    expect((await sign(vic.session, read, vic.name)).statusCode).toBe(303);
    expect(await attestationOf(vic.id)).toEqual(stored);
  });

  it('HR moves the person to another region (other notices) between opening and signing: 409', async () => {
    const rae = await learnerAtForm('rae.mover@demo.test', 'Rae Mover');
    const fields = await openForm(rae.session);
    const edit = `/hr/people/${rae.id}/edit`;
    const person = {
      email: 'rae.mover@demo.test',
      name: rae.name,
      employeeId: '',
      department: rae.department,
      managerEmail: '',
      hireDate: '',
      locale: 'en',
      role: 'employee',
      active: 'yes',
      region: 'uk',
    };
    expect((await hr.post(edit, person, edit)).statusCode).toBe(303);
    const res = await sign(rae.session, fields, rae.name);
    expect(res.statusCode).toBe(409);
    expect(flat(res.body)).toContain(CHANGED);
    expect(await attestationOf(rae.id)).toBeNull();
    expect(attestFormFields(res.body).textKey).not.toBe(fields.textKey);
  });
});

describe('the form must say what it was served with', () => {
  it('a POST without the version and text key: 400, the page again with why, nothing stored', async () => {
    const ned = await learnerAtForm('ned.noform@demo.test', 'Ned Noform');
    const { _csrf } = await openForm(ned.session);
    for (const partial of [{}, { contentVersion: course(t.app).version }] as Record<string, string>[]) {
      const res = await sign(ned.session, { _csrf: _csrf!, ...partial }, ned.name);
      expect(res.statusCode).toBe(400);
      expect(flat(res.body)).toContain(UNREAD);
      expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/);
      expect(await attestationOf(ned.id)).toBeNull();
      // The page shown again carries the text it shows: signing from it is accepted.
      expect(Object.keys(attestFormFields(res.body)).sort()).toEqual(['_csrf', 'contentVersion', 'textKey']);
    }
  });
});

describe('the region comes from the assignment copy, as on every page', () => {
  it('a person whose user record and assignment copy disagree signs what the page showed', async () => {
    const uma = await learnerAtForm('uma.copy@demo.test', 'Uma Copy');
    // Written directly: the copy says UK, the user record says no region (a copy the writers keep in step).
    await t.app.db.models.Assignment.updateOne(
      { _id: assignmentKey(uma.id, COURSE_ID) },
      { $set: { region: 'uk' } },
    );
    await t.app.db.models.User.updateOne({ _id: uma.id }, { $set: { region: null } });
    const fields = await openForm(uma.session);
    const res = await sign(uma.session, fields, uma.name);
    expect(res.statusCode).toBe(303);
    expect(await attestationOf(uma.id)).toMatchObject({
      policyTextId: fields.textKey,
      jurisdictions: ['uk'],
    });
  });
});

describe('the what-changed page of a learner re-attesting', () => {
  let session: Session;
  let page: string;

  beforeAll(async () => {
    await runSweep(jobContext(t), { now: t.clock.now() });
    const cycle = await t.app.db.models.Cycle.findById(cycleKey(early.id, COURSE_ID, 2)).lean<CycleDoc>();
    expect(cycle?.requirement).toBe('attest-only');
    session = await loginAs(t.app, 'erla.early@demo.test');
    page = (await session.get(ATTEST)).body;
  });

  it('shows the wording attested before and a minor title with the placeholders filled', () => {
    expect(flat(page)).toContain('What changed');
    expect(flat(page)).toContain('Criticising how Kestrel Works or a manager treats staff');
    expect(flat(page)).toContain('When in doubt, ask Kestrel first');
    expect(page).not.toContain('{{');
  });

  it("HR's diff of the version keeps the placeholders as the authors wrote them", async () => {
    const diff = await hr.get(`/hr/courses/${COURSE_ID}/policy/versions/2`);
    expect(diff.statusCode).toBe(200);
    expect(diff.body).toContain('{{org.name}}');
    expect(diff.body).toContain('{{org.shortName}}');
  });

  it('a profile save that changes the text between opening and signing: 409 on the what-changed page', async () => {
    const fields = attestFormFields(page);
    await renameOrganisation('Kestrel Group');
    const res = await sign(session, fields, early.name);
    expect(res.statusCode).toBe(409);
    expect(flat(res.body)).toContain('What changed');
    expect(flat(res.body)).toContain(CHANGED);
    expect(flat(res.body)).toContain('criticising how Kestrel Group treats staff stays protected');
    expect(await attestationOf(early.id, 2)).toBeNull();
    const signed = await sign(session, attestFormFields(res.body), early.name);
    expect(signed.statusCode).toBe(303);
    expect(await attestationOf(early.id, 2)).toMatchObject({ policyVersion: 2, replacesVersion: 1 });
  });
});
