import { createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as auditVerifyCommand } from '../../src/cli/commands/audit-verify.js';
import type { CliContext } from '../../src/cli/types.js';
import { assignmentKey } from '../../src/db/keys.js';
import type { AuditEventDoc } from '../../src/db/models/audit-event.js';
import type { ClassificationAnswerDoc } from '../../src/db/models/learning.js';
import type { AttemptDoc, AttemptResultDoc } from '../../src/db/models/quiz.js';
import type { UserDoc } from '../../src/db/models/user.js';
import { auditHash } from '../../src/domain/audit-chain.js';
import { Conflict } from '../../src/domain/errors.js';
import { translator } from '../../src/i18n/translator.js';
import { auditChainEnd } from '../../src/services/audit/log.js';
import { verifyAuditChain } from '../../src/services/audit/verify.js';
import { hashPassword } from '../../src/services/identity/passwords.js';
import { runNightly } from '../../src/services/jobs/nightly.js';
import {
  buildAssignment,
  buildAttempt,
  buildAttemptResult,
  buildClassificationAnswer,
  buildCycle,
  COURSE_ID,
} from '../factories.js';
import { createTestApp, loginAs, TEST_PASSWORD, type TestApp } from '../helpers/app.js';
import { newAuditKeyPair } from '../helpers/audit-key.js';
import { jobContext } from '../helpers/jobs.js';

/**
 * Retention and erasure (issue #25) with pinned dates: each rule deletes what is past it and keeps
 * what is not; a leaver is pseudonymised on the day the records period runs out, not a day before;
 * the audit chain verifies after every erasure.
 */

const T0 = '2026-03-02T09:00:00Z';
const HOUR = 3_600_000;
let t: TestApp;
let hrId: string;
let adminId: string;
const keys = newAuditKeyPair();
/** The chain checked as audit:verify checks it, with the anchors' public key. */
const verifyChain = () => verifyAuditChain(models(), { publicKey: createPublicKey(keys.publicPem) });

const models = () => t.app.db.models;
const at = (iso: string) => new Date(iso);
const userByEmail = async (email: string) => (await models().User.findOne({ email }).lean<UserDoc>())!;

async function cliVerify(): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const ctx = {
    db: t.app.db,
    services: t.app.services,
    config: t.config,
    clock: t.clock,
    out: (l: string) => lines.push(l),
  } as unknown as CliContext;
  return { code: await auditVerifyCommand.run(ctx, { positionals: [], flags: {} }), lines };
}

/** An event the way the log wrote them before commitments: the IP inside the hashed details. */
async function appendLegacyEvent(userId: string, now: Date): Promise<void> {
  const end = await auditChainEnd(models());
  const fields = {
    seq: end.seq + 1,
    at: now,
    actorId: userId,
    action: 'login.success',
    targetType: 'user',
    targetId: userId,
    subjectId: userId,
    details: { ip: '192.0.2.77' },
  };
  const { seq, ...rest } = fields;
  await models().AuditEvent.create({
    _id: String(seq).padStart(12, '0'),
    seq,
    ...rest,
    prevHash: end.hash,
    hash: auditHash(end.hash, fields),
  });
}

beforeAll(async () => {
  // Signed hourly anchors, as in production: audit:verify checks the erased log against them.
  t = await createTestApp({ label: 'privacy-retention', config: { AUDIT_SIGNING_KEY: keys.privatePem } });
  t.clock.set(T0);
  hrId = (await userByEmail('hr@demo.test'))._id;
  adminId = (await userByEmail('admin@demo.test'))._id;
});
afterAll(async () => t?.close());

describe('leftAt', () => {
  it('is set when HR deactivates a person, cleared on reactivation, and set by a SCIM delete', async () => {
    const p = await t.app.services.people.createPerson({
      person: {
        email: 'mover@demo.test',
        name: 'Mo Ver',
        department: 'Sales',
        managerId: null,
        hireDate: null,
        locale: 'en',
        active: true,
        employeeId: null,
      },
      actorId: hrId,
      now: t.clock.now(),
    });
    await t.app.services.people.updatePerson({
      userId: p._id,
      changes: { active: false },
      actorId: hrId,
      now: at('2026-03-05T10:00:00Z'),
    });
    expect((await models().User.findById(p._id).lean<UserDoc>())!.leftAt).toEqual(at('2026-03-05T10:00:00Z'));
    await t.app.services.people.updatePerson({
      userId: p._id,
      changes: { active: true },
      actorId: hrId,
      now: at('2026-03-06T10:00:00Z'),
    });
    expect((await models().User.findById(p._id).lean<UserDoc>())!.leftAt).toBeNull();
    const { token } = await t.app.services.identity.createScimToken({
      createdBy: adminId,
      now: t.clock.now(),
    });
    const tokenId = token.slice('scim_'.length).split('.')[0]!;
    await t.app.services.identity.scimDeleteUser({ tokenId, id: p._id, now: at('2026-03-07T10:00:00Z') });
    expect((await models().User.findById(p._id).lean<UserDoc>())!.leftAt).toEqual(at('2026-03-07T10:00:00Z'));
  });

  it('is backfilled for people already inactive, from when they were last changed', async () => {
    const { insertedId } = await models().User.collection.insertOne({
      _id: 'b'.repeat(24),
      email: 'old.leaver@demo.test',
      name: 'Old Leaver',
      department: 'Sales',
      role: 'employee',
      active: false,
      locale: 'en',
      createdAt: at('2019-01-01T00:00:00Z'),
      updatedAt: at('2019-06-30T12:00:00Z'),
    } as never);
    const report = await t.app.services.privacy.applyRetention({ now: at(T0) });
    expect(report.leftAtBackfilled).toBeGreaterThanOrEqual(1);
    expect((await models().User.findById(insertedId).lean<UserDoc>())!.leftAt).toEqual(
      at('2019-06-30T12:00:00Z'),
    );
  });
});

describe('a person deactivated before leftAt existed, before the first nightly backfill', () => {
  async function oldLeaver(id: string, updatedAt: string): Promise<string> {
    await models().User.collection.insertOne({
      _id: id,
      email: `${id}@demo.test`,
      name: 'Pre Backfill',
      department: 'Sales',
      role: 'employee',
      active: false,
      locale: 'en',
      createdAt: at('2018-01-01T00:00:00Z'),
      updatedAt: at(updatedAt),
    } as never);
    // Training records, so a duty may apply.
    await models().Attestation.create({
      _id: `${id}:att`,
      cycleId: `${id}:cycle`,
      cycleNo: 1,
      userId: id,
      courseId: COURSE_ID,
      contentVersion: 'v1',
      policyTitle: 'Social media policy',
      typedName: 'Pre Backfill',
      statement: 'I have read it',
      at: at('2018-02-01T00:00:00Z'),
      ip: '',
      userAgent: '',
    });
    return id;
  }

  it('gets the duty from the day the backfill would give them, not "has not left"', async () => {
    const recent = await oldLeaver('c'.repeat(24), '2024-01-10T12:00:00Z');
    const duty = await t.app.services.privacy.erasureDutyFor({ userId: recent, now: at(T0) });
    expect(duty).toMatchObject({ kind: 'keep', until: at('2030-01-10T12:00:00Z') });
    if (duty.kind === 'keep')
      expect(translator('en').t(duty.reason, duty.values)).toContain('until 2030-01-10');
    const longGone = await oldLeaver('d'.repeat(24), '2019-06-30T12:00:00Z');
    expect(await t.app.services.privacy.erasureDutyFor({ userId: longGone, now: at(T0) })).toEqual({
      kind: 'none',
    });
    // Gone again, so the nightly runs of the tests below count only their own leavers.
    await models().User.deleteMany({ _id: { $in: [recent, longGone] } });
    await models().Attestation.deleteMany({ userId: { $in: [recent, longGone] } });
  });
});

describe('each retention rule at a pinned date', () => {
  it('removes quiz answers submitted more than 24 months ago and keeps the scores', async () => {
    const owner = await userByEmail('employee@demo.test');
    const cycle = buildCycle(owner, 90);
    const answers = { q1: { choiceIds: ['a'] } };
    const old = buildAttemptResult(cycle, 1, { score: 75, answers, submittedAt: at('2024-03-02T08:59:59Z') });
    const young = buildAttemptResult(cycle, 2, {
      score: 90,
      answers,
      submittedAt: at('2024-03-02T09:00:01Z'),
    });
    await models().AttemptResult.insertMany([old, young]);
    const report = await t.app.services.privacy.applyRetention({ now: at(T0) });
    expect(report.rules['quiz-answers']).toMatchObject({ quiz_attempt_results: 1 });
    const [a, b] = await Promise.all(
      [old, young].map((r) => models().AttemptResult.findById(r._id).lean<AttemptResultDoc>()),
    );
    expect(a).toMatchObject({ score: 75 });
    // toMatchObject({ answers: {} }) matches any answers: compare them exactly.
    expect(a?.answers).toEqual({});
    expect(b).toMatchObject({ answers, score: 90 });
  });

  it('removes the saved answers of an abandoned open attempt and the verdict of an example answered more than 24 months ago', async () => {
    const owner = await userByEmail('employee@demo.test');
    const cycle = buildCycle(owner, 91);
    const answers = { q1: { choiceIds: ['a'] } };
    const abandoned = buildAttempt(cycle, 1, { answers, startedAt: at('2024-02-02T09:00:00Z') });
    const recent = buildAttempt(cycle, 2, { answers, startedAt: at('2024-04-02T09:00:00Z') });
    await models().Attempt.insertMany([abandoned, recent]);
    const oldExample = buildClassificationAnswer(owner, 'retention-old', { at: at('2024-02-02T09:00:00Z') });
    const newExample = buildClassificationAnswer(owner, 'retention-new', { at: at('2024-04-02T09:00:00Z') });
    await models().ClassificationAnswer.insertMany([oldExample, newExample]);
    await t.app.services.privacy.applyRetention({ now: at(T0) });
    const attempt = async (id: string) => models().Attempt.findById(id).lean<AttemptDoc>();
    const left = await attempt(abandoned._id);
    expect(left?.answers).toEqual({});
    expect(left?.status).toBe('open');
    expect(await attempt(recent._id)).toMatchObject({ answers });
    const example = async (id: string) =>
      models().ClassificationAnswer.findById(id).lean<ClassificationAnswerDoc>();
    // The verdict the person chose goes; whether it was right stays (clause memory is rebuilt from it).
    const stripped = await example(oldExample._id);
    expect(stripped?.answer).toBeUndefined();
    expect(stripped).toMatchObject({ correct: false, exampleId: 'retention-old' });
    expect(await example(newExample._id)).toMatchObject({ answer: 'acceptable' });
  });

  it('deletes sessions started more than 30 days ago, even while still valid, and keeps newer ones', async () => {
    // Sessions that outlive the rule only exist with a long SESSION_HOURS: 60 days here, so both are
    // still valid at T0 and only the retention rule decides.
    const maxAge = 60 * 24 * HOUR;
    const session = (id: string, startedIso: string) => ({
      _id: id,
      userId: null,
      expiresAt: new Date(at(startedIso).getTime() + maxAge),
      data: { cookie: { originalMaxAge: maxAge } },
    });
    await models().Session.collection.insertMany([
      session('old-session', '2026-01-31T08:59:00Z'),
      session('new-session', '2026-01-31T09:01:00Z'),
    ] as never[]);
    const report = await t.app.services.privacy.applyRetention({ now: at(T0) });
    expect(report.rules.sessions).toEqual({ sessions: 1 });
    expect(await models().Session.exists({ _id: 'old-session' })).toBeNull();
    expect(await models().Session.exists({ _id: 'new-session' })).not.toBeNull();
  });

  it('deletes outbox mails queued more than 90 days ago and keeps newer ones', async () => {
    const mail = (id: string, createdIso: string) => ({
      _id: id,
      to: ['someone@demo.test'],
      cc: [],
      subject: 's',
      text: 't',
      html: 'h',
      kind: 'reminder',
      reminderId: null,
      createdAt: at(createdIso),
    });
    await models().Outbox.insertMany([
      mail('old-mail', '2025-12-02T08:59:00Z'),
      mail('new-mail', '2025-12-02T09:01:00Z'),
    ]);
    const report = await t.app.services.privacy.applyRetention({ now: at(T0) });
    expect(report.rules.outbox).toEqual({ outbox: 1, xapi_outbox: 0 });
    expect(await models().Outbox.exists({ _id: 'old-mail' })).toBeNull();
    expect(await models().Outbox.exists({ _id: 'new-mail' })).not.toBeNull();
  });

  it('writes one audit event per run with counts per rule and no personal data', async () => {
    const events = await models().AuditEvent.find({ action: 'retention.applied' }).lean<AuditEventDoc[]>();
    expect(events.length).toBeGreaterThanOrEqual(3);
    const last = events.at(-1)!;
    expect(last).toMatchObject({
      actorId: null,
      subjectId: null,
      details: { settings: { sessionDays: 30 } },
    });
    expect(last.personal).toBeUndefined();
    expect(JSON.stringify(last)).not.toMatch(/@demo\.test|Leaver/);
  });
});

describe('a leaver with a history', () => {
  let lee: UserDoc;

  beforeAll(async () => {
    const created = await t.app.services.people.createPerson({
      person: {
        email: 'lee.leaver@demo.test',
        name: 'Lee Leaver',
        department: 'Sales',
        managerId: null,
        hireDate: null,
        locale: 'en',
        active: true,
        employeeId: 'E-4711',
        passwordHash: await hashPassword(TEST_PASSWORD),
      },
      actorId: hrId,
      now: t.clock.now(),
    });
    await appendLegacyEvent(created._id, t.clock.now());
    await loginAs(t.app, 'lee.leaver@demo.test');
    const assignment = buildAssignment({ ...created, managerId: null }, { courseId: COURSE_ID });
    await models().Assignment.create(assignment);
    const cycle = buildCycle(created, 1, { startedAt: at(T0) });
    await models().Cycle.create(cycle);
    await models().Attestation.create({
      _id: `${cycle._id}:att`,
      cycleId: cycle._id,
      cycleNo: 1,
      userId: created._id,
      courseId: COURSE_ID,
      contentVersion: 'v1',
      policyTitle: 'Social media policy',
      typedName: 'Lee Leaver',
      statement: 'I have read it',
      at: at(T0),
      ip: '203.0.113.50',
      userAgent: 'Firefox/140',
    });
    await models().Certificate.create({
      _id: 'LEE1-LEE2-LEE3-LEE4',
      cycleId: cycle._id,
      cycleNo: 1,
      userId: created._id,
      courseId: COURSE_ID,
      name: 'Lee Leaver',
      courseTitle: 'Social media',
      contentVersion: 'v1',
      score: 90,
      completedAt: at(T0),
      expiresAt: null,
      issuedAt: at(T0),
    });
    await models().AttemptResult.create(
      buildAttemptResult(cycle, 1, {
        score: 90,
        answers: { q1: { choiceIds: ['b'] } },
        submittedAt: at('2031-01-01T00:00:00Z'),
      }),
    );
    await t.app.services.assignments.extendDueDate({
      actorId: hrId,
      userId: created._id,
      courseId: COURSE_ID,
      dueAt: at('2026-06-01T00:00:00Z'),
      reason: 'Lee is on parental leave until May',
      now: t.clock.now(),
    });
    await models().Outbox.create({
      _id: 'mail-to-lee',
      to: ['lee.leaver@demo.test'],
      cc: [],
      subject: 'Your training',
      text: 'Dear Lee',
      html: '<p>Dear Lee</p>',
      kind: 'reminder',
      reminderId: null,
      createdAt: at('2031-12-30T00:00:00Z'),
    });
    await t.app.services.people.updatePerson({
      userId: created._id,
      changes: { active: false },
      actorId: hrId,
      now: at(T0),
    });
    lee = (await models().User.findById(created._id).lean<UserDoc>())!;
  });

  it('keeps personal data out of the hash: the audit events hold it in their erasable part', async () => {
    const events = await models().AuditEvent.find({ subjectId: lee._id }).lean<AuditEventDoc[]>();
    const created = events.find((e) => e.action === 'person.created')!;
    expect(created.details).not.toHaveProperty('email');
    expect(created.personal).toEqual({ email: 'lee.leaver@demo.test' });
    expect(created.personalDigest).toMatch(/^[0-9a-f]{64}$/);
    const extended = events.find((e) => e.action === 'assignment.extended')!;
    expect(extended.personal).toEqual({ reason: 'Lee is on parental leave until May' });
    expect(events.find((e) => e.action === 'login.success' && e.personal)?.personal).toHaveProperty('ip');
  });

  it('refuses erasure on request while the records must be kept, naming the rule and the day', async () => {
    const duty = await t.app.services.privacy.erasureDutyFor({
      userId: lee._id,
      now: at('2027-01-01T00:00:00Z'),
    });
    expect(duty).toMatchObject({
      kind: 'keep',
      rule: 'records-after-leaving',
      until: at('2032-03-02T09:00:00Z'),
    });
    await expect(
      t.app.services.privacy.erasePerson({
        userId: lee._id,
        actorId: hrId,
        reason: 'request',
        now: at('2027-01-01T00:00:00Z'),
      }),
    ).rejects.toThrow(Conflict);
    await expect(
      t.app.services.privacy.erasePerson({
        userId: lee._id,
        actorId: hrId,
        reason: 'request',
        now: at('2027-01-01T00:00:00Z'),
      }),
      // The refusal is a catalogue key with its values: in English, "… 6 years after a person leaves: until 2032-03-02."
    ).rejects.toMatchObject({ message: 'privacy.duty.until', values: { years: 6, until: '2032-03-02' } });
  });

  it('is not pseudonymised by the nightly run the day before the period ends', async () => {
    const report = await t.app.services.privacy.applyRetention({ now: at('2032-03-02T08:59:00Z') });
    expect(report.erased).toBe(0);
    expect((await models().User.findById(lee._id).lean<UserDoc>())!.name).toBe('Lee Leaver');
  });

  it('is pseudonymised by the nightly job once six years have passed, everywhere', async () => {
    const { retention } = await runNightly(jobContext(t), { now: at('2032-03-02T09:00:00Z') });
    expect(retention?.erased).toBeGreaterThanOrEqual(1);
    const user = (await models().User.findById(lee._id).lean<UserDoc>())!;
    expect(user.name).toMatch(/^Erased person [0-9a-f]{10}$/);
    expect(user.email).toMatch(/^erased-[0-9a-f]{10}@erased\.invalid$/);
    expect(user).not.toHaveProperty('employeeId');
    expect(user).not.toHaveProperty('passwordHash');
    expect(user.erasedAt).toEqual(at('2032-03-02T09:00:00Z'));
    const att = await models().Attestation.findOne({ userId: lee._id }).lean();
    expect(att).toMatchObject({ typedName: '', ip: '', userAgent: '', contentVersion: 'v1' });
    expect((await models().Certificate.findById('LEE1-LEE2-LEE3-LEE4').lean())!.name).toBe(user.name);
    expect(await models().Assignment.findById(assignmentKey(lee._id, COURSE_ID)).lean()).toMatchObject({
      name: user.name,
      email: user.email,
    });
    const result = await models().AttemptResult.findOne({ userId: lee._id }).lean<AttemptResultDoc>();
    expect(result).toMatchObject({ answers: {}, score: 90 });
    expect(await models().Outbox.exists({ _id: 'mail-to-lee' })).toBeNull();
    expect(await models().Session.exists({ userId: lee._id })).toBeNull();
    // Nothing anywhere in the database still names Lee, except the one event written before commitments.
    for (const [name, model] of Object.entries(models())) {
      if (name === 'AuditEvent') continue;
      const docs = await (model as typeof models.prototype).find({}).lean();
      expect(JSON.stringify(docs), name).not.toMatch(
        /Lee Leaver|lee\.leaver|E-4711|203\.0\.113\.50|parental leave/,
      );
    }
  });

  it('keeps the audit chain verifying, with the personal parts gone and the old event kept', async () => {
    const events = await models().AuditEvent.find({ subjectId: lee._id }).lean<AuditEventDoc[]>();
    const erased = events.find((e) => e.action === 'person.erased')!;
    expect(erased.details).toMatchObject({
      reason: 'retention',
      rule: 'records-after-leaving',
      auditEventsKept: 1,
    });
    expect(erased.details.auditEventsErased).toBeGreaterThanOrEqual(3);
    const withPersonal = events.filter((e) => e.personal);
    expect(withPersonal).toEqual([]);
    expect(events.filter((e) => e.personalErasedAt).length).toBe(erased.details.auditEventsErased);
    const outside = JSON.stringify(events.filter((e) => e.details.ip !== '192.0.2.77'));
    expect(outside).not.toMatch(/Lee Leaver|lee\.leaver|203\.0\.113|parental leave/);
    expect((await verifyChain()).ok).toBe(true);
    // audit:verify half an hour after the nightly run, whose signed anchor covers the erased events.
    t.clock.set('2032-03-02T09:30:00Z');
    const cli = await cliVerify();
    expect(cli.lines[0]).toMatch(/^OK: audit chain intact \(\d+ events, checked against 1 signed anchor/);
    expect(cli.code).toBe(0);
  });

  it('is not erased twice', async () => {
    const report = await t.app.services.privacy.applyRetention({ now: at('2032-03-03T09:00:00Z') });
    expect(report.erased).toBe(0);
  });
});

describe('erasure on request when no duty applies', () => {
  it('erases a person without training records at once, and the chain verifies', async () => {
    const p = await t.app.services.people.createPerson({
      person: {
        email: 'never.trained@demo.test',
        name: 'Never Trained',
        department: 'Sales',
        managerId: null,
        hireDate: null,
        locale: 'en',
        active: true,
        employeeId: null,
      },
      actorId: hrId,
      now: at(T0),
    });
    expect(await t.app.services.privacy.erasureDutyFor({ userId: p._id, now: at(T0) })).toEqual({
      kind: 'none',
    });
    const result = await t.app.services.privacy.erasePerson({
      userId: p._id,
      actorId: hrId,
      reason: 'request',
      now: at(T0),
    });
    expect(result).toMatchObject({ userId: p._id, auditEventsErased: 1, auditEventsKept: 0 });
    expect(result.counts).toMatchObject({ users: 1 });
    const event = await models().AuditEvent.findOne({ seq: result.auditSeq }).lean<AuditEventDoc>();
    expect(event).toMatchObject({ action: 'person.erased', actorId: hrId, details: { reason: 'request' } });
    expect(JSON.stringify(event)).not.toMatch(/Never Trained|never\.trained/);
    expect((await verifyChain()).ok).toBe(true);
  });
});

describe('the retention settings page', () => {
  beforeAll(() => t.clock.set(T0));

  it('shows the defaults to an admin, with a CSRF token', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const res = await admin.get('/admin/retention');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('name="_csrf"');
    expect(res.body).toMatch(/name="recordsYearsAfterLeaving"[^>]*value="6"/);
    expect(res.body).toMatch(/name="quizAnswerMonths"[^>]*value="24"/);
    expect(res.body).toMatch(/name="sessionDays"[^>]*value="30"/);
    expect(res.body).toMatch(/name="outboxDays"[^>]*value="90"/);
  });

  it('is refused to HR and employees', async () => {
    for (const email of ['hr@demo.test', 'employee@demo.test']) {
      const s = await loginAs(t.app, email);
      expect((await s.get('/admin/retention')).statusCode).toBe(403);
    }
  });

  it('saves new values, audits the change, and the next run applies them', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const form = {
      recordsYearsAfterLeaving: '7',
      quizAnswerMonths: '12',
      sessionDays: '7',
      outboxDays: '30',
    };
    const res = await admin.post('/admin/retention', form, '/admin/retention');
    expect(res.statusCode).toBe(303);
    expect(await t.app.services.privacy.loadRetentionSettings()).toEqual({
      recordsYearsAfterLeaving: 7,
      quizAnswerMonths: 12,
      sessionDays: 7,
      outboxDays: 30,
    });
    const event = await models()
      .AuditEvent.findOne({ action: 'retention.settings.changed' })
      .lean<AuditEventDoc>();
    expect(event).toMatchObject({
      actorId: adminId,
      details: { before: { sessionDays: 30 }, after: { sessionDays: 7 } },
    });
    const report = await t.app.services.privacy.applyRetention({ now: at(T0) });
    expect(report.settings.sessionDays).toBe(7);
  });

  it('refuses values out of bounds with the form shown again', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const res = await admin.post(
      '/admin/retention',
      { recordsYearsAfterLeaving: '0', quizAnswerMonths: '12', sessionDays: '7', outboxDays: '30' },
      '/admin/retention',
    );
    expect(res.statusCode).toBe(400);
    expect((await t.app.services.privacy.loadRetentionSettings()).recordsYearsAfterLeaving).toBe(7);
  });
});
