/**
 * Re-attestation of a new policy version (issue 22): a learner who completed version 1 is asked, by
 * the sweep, to re-attest version 2; the course page shows only what changed (the re-attest clause in
 * full, the minor one as a line) and the form; the signature records both versions, and the
 * certificate, the verify page, the attested pages and the evidence pack show them.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { assignmentKey, cycleKey } from '../../src/db/keys.js';
import type { OutboxDoc } from '../../src/db/models/hr.js';
import type { AttestationDoc, CertificateDoc } from '../../src/db/models/records.js';
import type { CycleDoc } from '../../src/db/models/training.js';
import { runSweep } from '../../src/services/jobs/sweep/index.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { postAttestForm } from '../helpers/attest-form.js';
import { commandsDuring, isWrite, monitoredUri } from '../helpers/db-commands.js';
import { jobContext } from '../helpers/jobs.js';
import { pdfText } from '../helpers/pdf-text.js';
import { completeWithCertificate, course, learnerByEmail } from './records-helpers.js';

let t: TestApp;
let erin: Awaited<ReturnType<typeof learnerByEmail>>;
let v1Hash: string;
let v1Code: string;
/** A second learner who completed version 1 and re-attests only after version 3. */
let sam: { id: string; name: string; department: string };
const LEARN = `/learn/${COURSE_ID}`;
const ATTEST = `${LEARN}/attest`;
const NEW_SMP04 =
  'Treat everyone you meet online with courtesy. Harassment, threats, doxxing and pile-ons are never acceptable, and reposting abuse to mock its target counts as joining in.';
const NOTE = 'Clause 4 now names doxxing and reposting abuse; clause 8 reworded.';

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');

beforeAll(async () => {
  t = await createTestApp({ label: 'records-reattest', mongoUri: monitoredUri(inject('mongoUri')) });
  t.clock.set('2026-03-02T09:00:00Z');
  erin = await learnerByEmail(t.app, 'employee@demo.test');
  const done = await completeWithCertificate(t.app, erin);
  v1Hash = course(t.app).version;
  v1Code = done.code;
  const samDoc = await createUser(t.app, { email: 'sam.later@demo.test', name: 'Sam Later' });
  sam = { id: samDoc._id, name: samDoc.name, department: samDoc.department };
  await completeWithCertificate(t.app, sam);
});
afterAll(async () => t.close());

/** What `jobs:run --job sweep` does, at a pinned time. */
async function sweep(at: string) {
  return runSweep(jobContext(t), { now: new Date(at) });
}

/** A clause's wording in the course files (placeholders unfilled), as HR's editor starts from it. */
function fileWording(clauseId: string) {
  const clause = t.app.catalogue.templates.get(COURSE_ID)!.clauses.find((x) => x.id === clauseId)!;
  return { title: clause.title, summary: clause.summary, text: clause.text };
}

/** HR edits clauses and submits them with a note; the admin approves, which publishes the next version. */
async function publish(
  now: Date,
  note: string,
  edits: Array<{ clauseId: string; text: string; kind: 'minor' | 're-attest' }>,
) {
  const hr = (await t.app.db.models.User.findOne({ email: 'hr@demo.test' }).lean())!;
  const admin = (await t.app.db.models.User.findOne({ email: 'admin@demo.test' }).lean())!;
  const policy = t.app.services.policy;
  for (const { clauseId, text, kind } of edits) {
    const wording = { ...fileWording(clauseId), text };
    const edited = await policy.editClause({
      actorId: hr._id,
      courseId: COURSE_ID,
      clauseId,
      wording,
      kind,
      now,
    });
    expect(edited).toEqual({ ok: true });
  }
  expect(await policy.submitDraft({ actorId: hr._id, courseId: COURSE_ID, note, now })).toEqual({ ok: true });
  const approver = { id: admin._id, role: 'admin' as const };
  return policy.approveAndPublish({ approver, courseId: COURSE_ID, dueAt: new Date('2026-04-15'), now });
}

/** Version 2: SMP-04 rewritten (re-attest), SMP-08 reworded (minor). */
async function publishVersion2(now: Date) {
  const smp08 = fileWording('SMP-08').text.replace('hold it back', 'keep it back');
  const published = await publish(now, NOTE, [
    { clauseId: 'SMP-04', text: NEW_SMP04, kind: 're-attest' },
    { clauseId: 'SMP-08', text: smp08, kind: 'minor' },
  ]);
  expect(published.n).toBe(2);
}

const cycle = (n: number) => t.app.db.models.Cycle.findById(cycleKey(erin.id, COURSE_ID, n)).lean<CycleDoc>();
const attestation = (n: number) =>
  t.app.db.models.Attestation.findById(cycleKey(erin.id, COURSE_ID, n)).lean<AttestationDoc>();

describe('re-attesting a new policy version', () => {
  let s: Session;

  it('the first attestation records policy version 1 and replaces nothing', async () => {
    expect(await attestation(1)).toMatchObject({
      policyVersion: 1,
      replacesVersion: null,
      replacesContentVersion: null,
      contentVersion: v1Hash,
    });
  });

  it('publishing version 2 as re-attest: the sweep opens an attest-only cycle and reminds once', async () => {
    t.clock.set('2026-03-10T09:00:00Z');
    await publishVersion2(t.clock.now());
    expect(course(t.app).policyVersion).toBe(2);
    expect(course(t.app).version).not.toBe(v1Hash);
    await sweep('2026-03-10T10:00:00Z');
    expect(await cycle(2)).toMatchObject({ requirement: 'attest-only', attestedAt: null });
    await sweep('2026-03-10T10:15:00Z');
    const mail = await t.app.db.models.Outbox.find({
      _id: new RegExp(`^${assignmentKey(erin.id, COURSE_ID)}:2:`),
    }).lean<OutboxDoc[]>();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toContain('re-read and confirm');
    const body = mail[0]!.text.replace(/\s+/g, ' ');
    expect(body).toContain('has changed (version 2)');
    expect(body).toContain('only need to read what changed and attest again');
    expect(body).toContain('15 April 2026');
  });

  it("a later sweep's reminder of the re-attest cycle says the same", async () => {
    await sweep('2026-04-08T10:00:00Z'); // 7 days before it is due
    const [reminder] = await t.app.db.models.Outbox.find({
      _id: new RegExp(`^${assignmentKey(erin.id, COURSE_ID)}:2:before-due:`),
    }).lean<OutboxDoc[]>();
    const body = reminder!.text.replace(/\s+/g, ' ');
    expect(body).toContain('has changed (version 2)');
    expect(body).toContain('only need to read what changed and attest again');
    expect(body).not.toContain('Please renew');
  });

  it('the course page shows what changed and the form, nothing else', async () => {
    s = await loginAs(t.app, 'employee@demo.test');
    await s.get(LEARN);
    // A small page to serve: reads by _id, no write, and one query for the versions published since.
    const scans: string[] = [];
    let res = await s.get(LEARN);
    const commands = await commandsDuring(t.app, async () => (res = await s.get(LEARN)), scans);
    expect(res.statusCode).toBe(200);
    expect(commands.filter(isWrite)).toEqual([]);
    expect(scans).toEqual(['find policy_versions {_id}']);
    // The overview's own reads (assignment, cycle, progress, one lesson view each for a cycle without
    // a progress summary yet), then the attestation before this cycle and the versions since. The
    // learner's region for the notices shown comes with the assignment: no read of the person.
    expect(commands.slice(-2)).toEqual(['find attestations', 'find policy_versions']);
    expect(commands.filter((c) => c.endsWith(' users'))).toEqual([]);
    expect(commands.length).toBeLessThanOrEqual(13);
    const page = text(res.body);
    expect(page).toContain('What changed');
    expect(page).toContain('version 1');
    expect(page).toContain('version 2');
    expect(page).toContain(NOTE);
    // The re-attest clause in full, the wording attested before behind <details>.
    expect(page).toContain(NEW_SMP04);
    expect(res.body).toMatch(/<details[^>]*>\s*<summary>[^<]*(wording|Wording)[^<]*<\/summary>/);
    // The minor change as one line: its title, not its text.
    expect(page).toContain('When in doubt, ask first');
    expect(page).not.toContain('keep it back');
    // The form, and no lesson, quiz or example to take.
    expect(res.body).toContain('name="typedName"');
    expect(res.body).toContain('name="agreed"');
    expect(res.body).toContain(`action="${ATTEST}"`);
    expect(res.body).not.toContain(`${LEARN}/lessons/`);
    expect(res.body).not.toContain(`${LEARN}/quiz`);
    expect(res.body).not.toContain(`${LEARN}/examples`);
  });

  it('the attest page shows the same, and My training sends the learner there', async () => {
    const res = await s.get(ATTEST);
    expect(res.statusCode).toBe(200);
    expect(text(res.body)).toContain(NEW_SMP04);
    expect(text(res.body)).not.toContain('keep it back');
    const home = text((await s.get('/')).body);
    expect(home).toContain('Re-attest');
    expect(home).toContain('policy changed');
  });

  it('a refused signature shows the what-changed page again with the message', async () => {
    const res = await postAttestForm(s, ATTEST, { typedName: 'Someone Else', agreed: 'yes' });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('What changed');
    expect(text(res.body)).toContain(NEW_SMP04);
    expect(text(res.body)).not.toContain('keep it back');
    expect(res.body).toContain('id="typedName-error"');
  });

  it('attesting completes the cycle with version 2, replacing version 1', async () => {
    t.clock.set('2026-03-11T08:00:00Z');
    const res = await postAttestForm(s, ATTEST, { typedName: erin.name, agreed: 'yes' });
    expect(res.statusCode).toBe(303);
    expect(await attestation(2)).toMatchObject({
      policyVersion: 2,
      replacesVersion: 1,
      replacesContentVersion: v1Hash,
      contentVersion: course(t.app).version,
    });
    const c2 = await cycle(2);
    expect(c2?.completedAt).not.toBeNull();
    expect(c2?.certificateCode).toBeTruthy();
    const after = text((await s.get(ATTEST)).body);
    expect(after).toContain('re-attested version 2, replacing version 1');
    // Back to the ordinary course page once done.
    expect(text((await s.get(LEARN)).body)).not.toContain('What changed');
  });

  it('the certificate and the verify page show the version and what it replaced', async () => {
    const code = (await cycle(2))!.certificateCode!;
    const cert = await t.app.db.models.Certificate.findById(code).lean<CertificateDoc>();
    expect(cert).toMatchObject({ policyVersion: 2, replacesVersion: 1 });
    const pdf = await s.get(`/certificates/${code}.pdf`);
    expect(pdf.statusCode).toBe(200);
    const lines = (await pdfText(pdf.rawPayload)).replace(/\s+/g, ' ');
    expect(lines).toContain('re-attested version 2, replacing version 1');
    expect(lines).toContain(course(t.app).version.slice(0, 12));
    const verify = text((await s.get(`/verify/${code}`)).body);
    expect(verify).toContain('re-attested version 2, replacing version 1');
    const old = text((await s.get(`/verify/${v1Code}`)).body);
    expect(old).toContain('Policy version 1');
    expect(old).toContain(v1Hash.slice(0, 12));
    // The version line in the page's language (#26).
    const de = { 'accept-language': 'de' };
    expect(text((await s.get(`/verify/${code}`, de)).body)).toContain(
      'Richtlinie: Version 2 erneut bestätigt, ersetzt Version 1',
    );
    expect(text((await s.get(`/verify/${v1Code}`, de)).body)).toContain('Richtlinienversion 1');
  });

  it('the attested page says the language of the text signed, and the version in the page language', async () => {
    const page = await s.get(`${LEARN}/attested`, { 'accept-language': 'de' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<dt>Sprache<\/dt><dd lang="en">English<\/dd>/);
    expect(text(page.body)).toContain('Richtlinie: Version 2 erneut bestätigt, ersetzt Version 1');
  });

  it('the attested pages show the version, its hash and the version replaced', async () => {
    const own = text((await s.get(`${LEARN}/attested?cycle=2`)).body);
    expect(own).toContain('re-attested version 2, replacing version 1');
    expect(own).toContain(course(t.app).version);
    const hr = await loginAs(t.app, 'hr@demo.test');
    const theirs = text((await hr.get(`/hr/people/${erin.id}/attested/${COURSE_ID}/2`)).body);
    expect(theirs).toContain('re-attested version 2, replacing version 1');
    expect(text((await hr.get(`/hr/people/${erin.id}/attested/${COURSE_ID}/1`)).body)).toContain(
      'Policy version 1',
    );
  });

  it('the evidence pack lists each cycle with the version attested: both versions', async () => {
    const hr = await loginAs(t.app, 'hr@demo.test');
    const json = await hr.get(`/hr/people/${erin.id}/evidence/${COURSE_ID}/2.json`);
    const pack = JSON.parse(json.body);
    expect(pack.attestation).toMatchObject({
      policyVersion: 2,
      replacesVersion: 1,
      replacesContentVersion: v1Hash,
    });
    expect(pack.certificate).toMatchObject({ policyVersion: 2, replacesVersion: 1 });
    expect(pack.attestations).toEqual([
      expect.objectContaining({
        cycleNo: 1,
        requirement: 'full',
        policyVersion: 1,
        contentVersion: v1Hash,
        replacesVersion: null,
      }),
      expect.objectContaining({
        cycleNo: 2,
        requirement: 'attest-only',
        policyVersion: 2,
        replacesVersion: 1,
      }),
    ]);
    const page = text((await hr.get(`/hr/people/${erin.id}/evidence/${COURSE_ID}/2`)).body);
    expect(page).toContain('Policy version 1');
    expect(page).toContain('re-attested version 2, replacing version 1');
    expect(page).toContain(v1Hash.slice(0, 12));
  });

  it('an attestation stored before versions were recorded reads as version 1', async () => {
    await t.app.db.models.Attestation.updateOne(
      { _id: cycleKey(erin.id, COURSE_ID, 1) },
      { $unset: { policyVersion: 1, replacesVersion: 1, replacesContentVersion: 1 } },
    );
    const hr = await loginAs(t.app, 'hr@demo.test');
    const pack = JSON.parse((await hr.get(`/hr/people/${erin.id}/evidence/${COURSE_ID}/1.json`)).body);
    expect(pack.attestation).toMatchObject({ policyVersion: 1, replacesVersion: null });
    expect(pack.attestations[0]).toMatchObject({ cycleNo: 1, policyVersion: 1 });
  });

  it('a learner with no earlier attestation follows the normal course', async () => {
    const joiner = await createUser(t.app, { email: 'new.joiner@demo.test', name: 'New Joiner' });
    const learner = { id: joiner._id, department: joiner.department };
    const { cycle: c } = await t.app.services.assignments.ensureEnrolled({
      learner,
      course: course(t.app),
      now: t.clock.now(),
    });
    await t.app.db.models.Cycle.updateOne({ _id: c._id }, { $set: { requirement: 'attest-only' } });
    const js = await loginAs(t.app, 'new.joiner@demo.test');
    const page = await js.get(LEARN);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).not.toContain('What changed');
    expect(page.body).toContain(`${LEARN}/lessons/`);
  });
});

describe('several versions published since the last attestation', () => {
  const NOTE_3 = 'Clause 2 asks you to wait a day before posting when upset.';
  const NEW_SMP02 =
    'Before posting anything connected with work, wait a day if you are upset, then reread it.';

  it('shows every version since, with all its re-attest clauses, read in one query', async () => {
    t.clock.set('2026-03-20T09:00:00Z');
    const published = await publish(t.clock.now(), NOTE_3, [
      { clauseId: 'SMP-02', text: NEW_SMP02, kind: 're-attest' },
    ]);
    expect(published.n).toBe(3);
    const ss = await loginAs(t.app, 'sam.later@demo.test');
    const page = text((await ss.get(LEARN)).body);
    expect(page).toContain('attested version 1');
    expect(page).toContain(NOTE);
    expect(page).toContain(NOTE_3);
    expect(page).toContain(NEW_SMP04);
    expect(page).toContain(NEW_SMP02);
    expect(page).toContain('When in doubt, ask first (version 2)');
    expect(page).not.toContain('keep it back');
    const res = await postAttestForm(ss, ATTEST, { typedName: sam.name, agreed: 'yes' });
    expect(res.statusCode).toBe(303);
    const signed = await t.app.db.models.Attestation.findById(
      cycleKey(sam.id, COURSE_ID, 2),
    ).lean<AttestationDoc>();
    expect(signed).toMatchObject({ policyVersion: 3, replacesVersion: 1 });
  });
});
