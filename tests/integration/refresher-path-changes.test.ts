/**
 * A refresher cycle whose circumstances change while it is open (issue #23, review): a policy
 * version published after the check, test-out switched off during it, a quiz or a decline racing
 * the check, and questions the learner has just seen coming back.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cycleKey, pretestAttemptKey } from '../../src/db/keys.js';
import { lessonsToStudy } from '../../src/domain/mastery/refresher-path.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type TestApp } from '../helpers/app.js';
import { postAttestForm } from '../helpers/attest-form.js';
import { monitoredUri } from '../helpers/db-commands.js';
import { sweepAt } from '../helpers/jobs.js';
import { course } from './records-helpers.js';
import {
  clausesOfQuestion,
  completedLearners,
  cycleNo,
  type Learner,
  pretestOf as pretestAttempt,
  pretestForm,
  quizAttemptOf,
  requestFullRenewal,
  TEST_OUT_OFF_SETTINGS,
} from './refresher-support.js';

let t: TestApp;
const LEARN = `/learn/${COURSE_ID}`;
const REFRESHER = `${LEARN}/refresher`;
let people: Record<string, Learner> = {};
const NAMES = ['offmid', 'quizfirst', 'declined', 'race', 'weak', 'again', 'midpub', 'midcheck'] as const;
const SETTINGS = TEST_OUT_OFF_SETTINGS;

const cycle = (l: Learner, n = 2) => cycleNo(t.app, l, n);
const pretestOf = (l: Learner, n = 2) => pretestAttempt(t.app, l, n);
const quizAttempt = (l: Learner, n = 1) => quizAttemptOf(t.app, l, n);
const clausesOf = (questionId: string) => clausesOfQuestion(course(t.app), questionId);
const allClauses = () => course(t.app).clauses.map((c) => c.id);

const sweep = (at: string) => sweepAt(t, at);

async function renew(at: string) {
  await requestFullRenewal(t.app, new Date(new Date(at).getTime() + 50 * 86_400_000));
  await sweep(at);
}

const startPretest = (l: Learner) => l.session!.post(`${REFRESHER}/pretest`, {}, LEARN);

/** Submits the pre-assessment, answering right except the questions `wrong` says. */
async function submitPretest(l: Learner, wrong: (questionId: string) => boolean = () => false, n = 2) {
  const form = pretestForm(course(t.app), (await pretestOf(l, n))!, wrong);
  return l.session!.post(`${REFRESHER}/pretest/submit`, form, `${REFRESHER}/pretest`);
}

async function publishSmp04Change() {
  const hr = (await t.app.db.models.User.findOne({ email: 'hr@demo.test' }).lean())!;
  const admin = (await t.app.db.models.User.findOne({ email: 'admin@demo.test' }).lean())!;
  const now = t.app.clock.now();
  const file = t.app.catalogue.templates.get(COURSE_ID)!.clauses.find((x) => x.id === 'SMP-04')!;
  const wording = {
    title: file.title,
    summary: file.summary,
    text: `${file.text} Reposting abuse counts too.`,
  };
  const policy = t.app.services.policy;
  await policy.editClause({
    actorId: hr._id,
    courseId: COURSE_ID,
    clauseId: 'SMP-04',
    wording,
    kind: 'retrain',
    now,
  });
  await policy.submitDraft({ actorId: hr._id, courseId: COURSE_ID, note: 'SMP-04', now });
  await policy.approveAndPublish({
    approver: { id: admin._id, role: 'admin' },
    courseId: COURSE_ID,
    dueAt: new Date('2026-03-15'),
    now,
  });
}

beforeAll(async () => {
  t = await createTestApp({ label: 'refresher-changes', mongoUri: monitoredUri(inject('mongoUri')) });
  t.clock.set('2025-01-10T09:00:00Z');
  people = await completedLearners(t, NAMES, '.changes@demo.test');
  t.clock.set('2026-01-10T09:00:00Z');
  await renew('2026-01-10T09:05:00Z');
  t.clock.set('2026-01-11T09:00:00Z');
  for (const name of NAMES) people[name]!.session = await loginAs(t.app, people[name]!.email);
}, 120_000);
afterAll(async () => t.close());

describe('a refresher cycle that changes while it is open', () => {
  it('test-out switched off while the check is open: the submitted check gives the full path', async () => {
    const l = people.offmid!;
    expect((await startPretest(l)).statusCode).toBe(303);
    const hr = await loginAs(t.app, 'hr@demo.test');
    const path = `/hr/courses/${COURSE_ID}/settings`;
    expect((await hr.post(path, SETTINGS, path)).statusCode).toBe(303);
    try {
      expect((await submitPretest(l)).statusCode).toBe(303);
    } finally {
      expect((await hr.post(path, { ...SETTINGS, testOut: 'yes' }, path)).statusCode).toBe(303);
    }
    const c = (await cycle(l))!;
    expect(c.refresher).toMatchObject({ status: 'decided', testedOut: [], study: allClauses() });
    expect(c.refresher!.pretestAttemptId).toBe(pretestAttemptKey(c._id));
    expect(c.passedAt).toBeNull();
    await l.session!.post(`${LEARN}/quiz/attempts`, {}, `${LEARN}/quiz`);
    const quiz = (await quizAttempt(l))!;
    expect(quiz.scope ?? null).toBeNull();
    expect(quiz.draw).toHaveLength(course(t.app).quiz.questionsPerAttempt);
    const pack = JSON.parse((await l.session!.get(`${LEARN}/evidence.json`)).body);
    expect(pack.pretest).toMatchObject({ purpose: 'pretest' });
    expect(pack.cycle.refresher).toMatchObject({ testOutOff: true });
  });

  it('the quiz cannot start while the check is pending, nor can the check be declined', async () => {
    const l = people.quizfirst!;
    expect((await startPretest(l)).statusCode).toBe(303);
    const quiz = await l.session!.post(`${LEARN}/quiz/attempts`, {}, `${LEARN}/quiz`);
    expect(quiz.statusCode).toBe(409);
    expect(await quizAttempt(l)).toBeNull();
    expect((await l.session!.post(`${REFRESHER}/decline`, {}, LEARN)).statusCode).toBe(409);
    expect((await cycle(l))!.refresher).toMatchObject({ status: 'pending' });
  });

  it('a decline is refused once the check attempt exists, even before its pending record', async () => {
    const l = people.declined!;
    expect((await startPretest(l)).statusCode).toBe(303);
    // A start cut short after its insert: the attempt exists, the cycle has no record yet.
    await t.app.db.models.Cycle.updateOne(
      { _id: cycleKey(l.id, COURSE_ID, 2) },
      { $set: { refresher: null } },
    );
    expect((await l.session!.post(`${REFRESHER}/decline`, {}, LEARN)).statusCode).toBe(409);
    expect((await cycle(l))!.refresher ?? null).toBeNull();
  });

  it('a decline and a check started at the same moment leave one consistent path', async () => {
    const l = people.race!;
    const [declined, started] = await Promise.all([
      l.session!.post(`${REFRESHER}/decline`, {}, LEARN),
      startPretest(l),
    ]);
    const c = (await cycle(l))!;
    const attempt = await pretestOf(l);
    if (attempt) {
      expect(c.refresher).toMatchObject({ status: 'pending', pretestAttemptId: attempt._id });
      expect(started.statusCode).toBe(303);
    } else {
      expect(c.refresher).toMatchObject({ status: 'decided', pretestAttemptId: null });
      expect(declined.statusCode).toBe(303);
      expect(started.statusCode).toBe(409);
    }
    // Afterwards the other choice is refused.
    const again = attempt ? await l.session!.post(`${REFRESHER}/decline`, {}, LEARN) : await startPretest(l);
    expect(again.statusCode).toBe(409);
  });

  it('the scoped quiz does not ask the questions of the check just taken', async () => {
    const l = people.weak!;
    expect((await startPretest(l)).statusCode).toBe(303);
    const check = (await pretestOf(l))!;
    const checked = check.draw.map((d) => d.questionId);
    await submitPretest(l, (id) => clausesOf(id).includes('SMP-04'));
    const c = (await cycle(l))!;
    expect(c.refresher!.study).toContain('SMP-04');
    const lessons = lessonsToStudy(course(t.app), c.refresher!.study);
    for (const lesson of lessons) await l.session!.get(`${LEARN}/lessons/${lesson.id}`);
    const res = await l.session!.post(`${LEARN}/quiz/attempts`, {}, `${LEARN}/quiz`);
    expect(res.statusCode).toBe(303);
    const quiz = (await quizAttempt(l))!;
    expect(quiz.scope).toEqual(c.refresher!.study);
    expect(quiz.draw.map((d) => d.questionId).filter((id) => checked.includes(id))).toEqual([]);
  });

  it("the next refresher's check does not repeat the last cycle's check", async () => {
    const l = people.again!;
    expect((await startPretest(l)).statusCode).toBe(303);
    const first = (await pretestOf(l))!.draw.map((d) => d.questionId);
    await submitPretest(l);
    const signed = await postAttestForm(l.session!, `${LEARN}/attest`, { typedName: l.name, agreed: 'yes' });
    expect(signed.statusCode).toBe(303);
    expect((await cycle(l))!.completedAt).not.toBeNull();
    t.clock.set('2026-06-10T09:00:00Z');
    await renew('2026-06-10T09:05:00Z');
    t.clock.set('2026-06-11T09:00:00Z');
    expect((await startPretest(l)).statusCode).toBe(303);
    const second = (await pretestOf(l, 3))!.draw.map((d) => d.questionId);
    expect(second.length).toBeGreaterThan(0);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
  });
});

describe('a policy version published while a refresher is open', () => {
  it('a clause changed after the learner tested out of it is studied before they may attest', async () => {
    const l = people.midpub!;
    const other = people.midcheck!;
    expect((await startPretest(l)).statusCode).toBe(303);
    expect((await startPretest(other)).statusCode).toBe(303);
    await submitPretest(l);
    expect((await cycle(l))!.refresher!.study).toEqual([]);
    await publishSmp04Change();
    expect(course(t.app).policyVersion).toBe(2);

    // The attestation page no longer offers the form, and a signature is refused.
    const page = await l.session!.get(`${LEARN}/attest`);
    expect(page.body).not.toContain('name="typedName"');
    const signed = await t.app.services.records.attest({
      userId: l.id,
      course: course(t.app),
      cycle: (await cycle(l))!,
      typedName: l.name,
      agreed: true,
      ip: '127.0.0.1',
      userAgent: 'test',
      now: t.app.clock.now(),
    });
    expect(signed).toEqual({ ok: false, reason: 'not-ready' });
    let c = (await cycle(l))!;
    expect(c.completedAt).toBeNull();
    expect(c.attestedAt).toBeNull();

    const overview = await l.session!.get(LEARN);
    expect(overview.statusCode).toBe(200);
    c = (await cycle(l))!;
    expect(c.refresher).toMatchObject({ study: ['SMP-04'], changed: ['SMP-04'], policyVersion: 2 });
    expect(c.refresher!.testedOut).not.toContain('SMP-04');
    expect(c.passedAt).toBeNull();
    const lessons = lessonsToStudy(course(t.app), ['SMP-04']);
    expect(lessons.length).toBeGreaterThan(0);
    expect(overview.body).toContain(`${LEARN}/lessons/${lessons[0]!.id}`);
    const res = await l.session!.post(`${LEARN}/quiz/attempts`, {}, `${LEARN}/quiz`);
    expect(res.statusCode).toBe(303);
    expect((await quizAttempt(l))!.scope).toEqual(['SMP-04']);
  });

  it('a check open when the version is published is graded with the clause it changed to study', async () => {
    const l = people.midcheck!;
    await submitPretest(l);
    const c = (await cycle(l))!;
    expect(c.refresher).toMatchObject({ study: ['SMP-04'], changed: ['SMP-04'], policyVersion: 2 });
    expect(c.passedAt).toBeNull();
  });
});
