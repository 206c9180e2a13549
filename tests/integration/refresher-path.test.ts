/**
 * The test-out path of a refresher cycle (issue #23): a learner who completed the course is asked, by
 * HR's full renewal, to take it again. A short pre-assessment decides which clauses they still know;
 * they study only the others and the clauses changed since their last attestation, take a quiz drawn
 * from those, and attest the full current policy. HR can switch test-out off per course.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { attemptKey, cycleKey, pretestAttemptKey } from '../../src/db/keys.js';
import type { AttemptResultDoc } from '../../src/db/models/quiz.js';
import { lessonsToStudy } from '../../src/domain/mastery/refresher-path.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type TestApp } from '../helpers/app.js';
import { postAttestForm } from '../helpers/attest-form.js';
import { monitoredUri } from '../helpers/db-commands.js';
import { sweepAt } from '../helpers/jobs.js';
import { answerForm } from './quiz-support.js';
import { completeWithCertificate, course, cycleOf, viewAllLessons } from './records-helpers.js';
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
const NAMES = ['perfect', 'weak', 'missed', 'decline', 'race', 'off', 'changed', 'practised'] as const;

const cycle = (l: Learner, n = 2) => cycleNo(t.app, l, n);
const pretestOf = async (l: Learner) => (await pretestAttempt(t.app, l))!;
const quizAttempt = async (l: Learner, n = 1, cycle = 2) => (await quizAttemptOf(t.app, l, n, cycle))!;
const clausesOf = (questionId: string) => clausesOfQuestion(course(t.app), questionId);

const sweep = (at: string) => sweepAt(t, at);

/** Cycle 1 passed with every answer right except the last question's (still a pass). */
async function completeMissingOne(l: Learner) {
  await viewAllLessons(t.app, l);
  const now = t.app.clock.now();
  const n = await t.app.services.quiz.startAttempt({ learner: l, courseId: COURSE_ID, now });
  const attempt = await quizAttempt(l, n, 1);
  const form = answerForm(course(t.app), attempt, attempt.draw.length - 1);
  const out = await t.app.services.quiz.submitAttempt({ learner: l, courseId: COURSE_ID, n, now, form });
  expect(out.kind === 'graded' && out.result.passed).toBe(true);
  const res = await t.app.services.records.attest({
    userId: l.id,
    course: course(t.app),
    cycle: await cycleOf(t.app, l),
    typedName: l.name,
    agreed: true,
    ip: '127.0.0.1',
    userAgent: 'test',
    now,
  });
  expect(res.ok).toBe(true);
}

/** Starts the pre-assessment through the page's form; returns the stored attempt. */
async function startPretest(l: Learner) {
  const res = await l.session!.post(`${REFRESHER}/pretest`, {});
  expect(res.statusCode, res.body.slice(0, 300)).toBe(303);
  expect(res.headers.location).toBe(`${REFRESHER}/pretest`);
  return pretestOf(l);
}

/** Submits the pre-assessment, answering right except the questions `wrong` says. */
async function submitPretest(l: Learner, wrong: (questionId: string) => boolean = () => false) {
  const form = pretestForm(course(t.app), await pretestOf(l), wrong);
  return l.session!.post(`${REFRESHER}/pretest/submit`, form, `${REFRESHER}/pretest`);
}

beforeAll(async () => {
  t = await createTestApp({ label: 'refresher-path', mongoUri: monitoredUri(inject('mongoUri')) });
  t.clock.set('2025-01-10T09:00:00Z');
  people = await completedLearners(t, NAMES, '.refresher@demo.test', (l) =>
    l.email.startsWith('missed.') ? completeMissingOne(l) : completeWithCertificate(t.app, l),
  );
  t.clock.set('2026-01-10T09:00:00Z');
  await requestFullRenewal(t.app, new Date('2026-03-01'));
  await sweep('2026-01-10T09:05:00Z');
  t.clock.set('2026-01-11T09:00:00Z');
  for (const name of NAMES) people[name]!.session = await loginAs(t.app, people[name]!.email);
}, 120_000);
afterAll(async () => t.close());

describe('a refresher cycle with test-out', () => {
  it('opens as a full cycle and offers the check of what the learner still knows', async () => {
    const l = people.perfect!;
    expect(await cycle(l)).toMatchObject({ requirement: 'full' });
    expect((await cycle(l))!.refresher ?? null).toBeNull();
    const page = await l.session!.get(LEARN);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Check what you still know');
    expect(page.body).toContain(`action="${REFRESHER}/pretest"`);
    expect(page.body).toContain(`action="${REFRESHER}/decline"`);
  });

  it('draws one judgement question per clause, none the learner saw in their last attempt', async () => {
    const l = people.perfect!;
    const lastAttempt = await quizAttempt(l, 1, 1);
    const attempt = await startPretest(l);
    expect(attempt).toMatchObject({ purpose: 'pretest', n: 0, deadline: null });
    const ids = attempt.draw.map((d) => d.questionId);
    expect(ids).toHaveLength(course(t.app).clauses.length);
    const seen = new Set(lastAttempt.draw.map((d) => d.questionId));
    for (const id of ids) {
      expect(seen.has(id), id).toBe(false);
      expect(course(t.app).questions.find((q) => q.id === id)!.recall ?? false, id).toBe(false);
    }
    expect(new Set(ids.flatMap(clausesOf))).toEqual(new Set(course(t.app).clauses.map((c) => c.id)));
    expect((await cycle(l))!.refresher).toMatchObject({ status: 'pending', pretestAttemptId: attempt._id });
    // The page names choices by opaque tokens only: no question or option id, no key.
    const page = await l.session!.get(`${REFRESHER}/pretest`);
    expect(page.statusCode).toBe(200);
    for (const id of ids) expect(page.body).not.toContain(id);
    expect(page.body).not.toMatch(/correct|"problem"/i);
    // Starting again finds the same pre-assessment.
    expect((await startPretest(l))._id).toBe(attempt._id);
  });

  it('a perfect pre-assessment tests out of every clause: only the attestation of the full policy is left', async () => {
    const l = people.perfect!;
    const res = await submitPretest(l);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${REFRESHER}/result`);
    const c = (await cycle(l))!;
    const pretest = await t.app.db.models.AttemptResult.findById(
      c.refresher!.pretestAttemptId,
    ).lean<AttemptResultDoc>();
    expect(pretest?.purpose).toBe('pretest');
    expect(c.refresher).toMatchObject({
      status: 'decided',
      changed: [],
      testedOut: course(t.app).clauses.map((x) => x.id),
      study: [],
    });
    expect(c).toMatchObject({ passedAttemptId: pretest!._id, score: 100 });
    expect(c.passedAt).toEqual(pretest!.submittedAt);
    const result = await l.session!.get(`${REFRESHER}/result`);
    expect(result.body).toContain('You still know every clause');
    const overview = await l.session!.get(LEARN);
    expect(overview.body).toContain('only signing the full current policy is left');
    expect(overview.body).toContain('No lessons to study in this refresher');
    expect(overview.body).not.toContain(`${LEARN}/lessons/`);
    const quiz = await l.session!.get(`${LEARN}/quiz`);
    expect(quiz.body).toMatch(/only your attestation is left/i);
    const started = await l.session!.post(`${LEARN}/quiz/attempts`, {}, `${LEARN}/quiz`);
    expect(started.statusCode).toBe(409);

    const signed = await postAttestForm(l.session!, `${LEARN}/attest`, { typedName: l.name, agreed: 'yes' });
    expect(
      signed.statusCode,
      signed.body
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .slice(0, 1500),
    ).toBe(303);
    const done = (await cycle(l))!;
    expect(done.completedAt).toEqual(t.app.clock.now());
    expect(done.certificateCode).toBeTruthy();
    expect(await t.app.db.models.LessonView.countDocuments({ cycleId: done._id })).toBe(0);
  });

  it('the evidence pack records which clauses were tested out of and which studied', async () => {
    const l = people.perfect!;
    const res = await l.session!.get(`${LEARN}/evidence.json`);
    expect(res.statusCode).toBe(200);
    const pack = JSON.parse(res.body);
    expect(pack.cycle.refresher).toMatchObject({
      testedOut: course(t.app).clauses.map((x) => x.id),
      studied: [],
      changed: [],
      pretestAttemptId: pretestAttemptKey(cycleKey(l.id, COURSE_ID, 2)),
    });
    expect(pack.pretest).toMatchObject({ score: 100, purpose: 'pretest' });
    const row = pack.attestations.find((a: { cycleNo: number }) => a.cycleNo === 2);
    expect(row).toMatchObject({ testedOut: 13, studied: 0 });
    const page = await l.session!.get(`${LEARN}/evidence`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Tested out of 13 clauses');
    expect(page.body).toContain('check score 100%');
    // A short cycle never reads as a skipped one: no "Passed (0 attempts)", no "0 of 8 lessons viewed".
    expect(pack).toMatchObject({ lessonsToStudy: 0, passedBy: 'pretest' });
    expect(page.body).toContain('Tested out of all 13 clauses in the pre-assessment (score 100%');
    expect(page.body).toContain(`0 of ${course(t.app).lessons.length} (all clauses tested out)`);
    expect(page.body).not.toContain('(0 attempts)');
    expect(page.body).not.toContain('Lessons viewed</dt>');
  });

  it('weak clauses are exactly what is studied: their lessons, a quiz on them, then the attestation', async () => {
    const l = people.weak!;
    const attempt = await startPretest(l);
    const weak = new Set(['SMP-03', 'SMP-07']);
    await submitPretest(l, (id) => clausesOf(id).some((c) => weak.has(c)));
    const c = (await cycle(l))!;
    // Studied: every clause a wrong answer's question tests (the draw prefers one clause per question).
    const wrongClauses = new Set(
      attempt.draw
        .map((d) => clausesOf(d.questionId))
        .filter((cs) => cs.some((x) => weak.has(x)))
        .flat(),
    );
    const inOrder = course(t.app).clauses.map((x) => x.id);
    expect(c.refresher!.study).toEqual(inOrder.filter((x) => wrongClauses.has(x)));
    expect(c.refresher!.testedOut).toEqual(inOrder.filter((x) => !wrongClauses.has(x)));
    expect(c.passedAt).toBeNull();

    const study = c.refresher!.study;
    const overview = await l.session!.get(LEARN);
    for (const lesson of course(t.app).lessons) {
      const listed = overview.body.includes(`${LEARN}/lessons/${lesson.id}"`);
      expect(listed, lesson.id).toBe(lessonsToStudy(course(t.app), study).includes(lesson));
    }
    const toRead = lessonsToStudy(course(t.app), study);
    // Only the sections teaching a study clause, with a way to read the rest (while a lesson is one
    // section, or all of it is for study, the whole lesson shows).
    for (const lesson of toRead) {
      const page = await l.session!.get(`${LEARN}/lessons/${lesson.id}`);
      const some = lesson.sections.filter((x) => x.clauses.some((c) => study.includes(c))).length;
      expect(
        page.body.includes('Read the whole lesson'),
        `${lesson.id} ${some}/${lesson.sections.length} ${JSON.stringify(lesson.sections.map((x) => x.clauses))} ${JSON.stringify(study)}`,
      ).toBe(some < lesson.sections.length);
      expect((await l.session!.get(`${LEARN}/lessons/${lesson.id}?whole=1`)).body).not.toContain(
        'Read the whole lesson',
      );
    }

    const started = await l.session!.post(`${LEARN}/quiz/attempts`, {}, `${LEARN}/quiz`);
    expect(started.statusCode).toBe(303);
    const quiz = await quizAttempt(l);
    expect(quiz.scope).toEqual(study);
    for (const d of quiz.draw)
      expect(
        clausesOf(d.questionId).some((x) => study.includes(x)),
        d.questionId,
      ).toBe(true);
    expect(
      new Set(quiz.draw.flatMap((d) => clausesOf(d.questionId)).filter((x) => study.includes(x))),
    ).toEqual(new Set(study));
    expect(quiz.draw.length).toBeLessThan(course(t.app).quiz.questionsPerAttempt);

    const passed = await l.session!.post(
      `${LEARN}/quiz/attempts/1/submit`,
      answerForm(course(t.app), quiz),
      `${LEARN}/quiz/attempts/1`,
    );
    expect(passed.statusCode).toBe(303);
    for (const lesson of toRead) await l.session!.get(`${LEARN}/lessons/${lesson.id}`);
    expect((await cycle(l))!.completedAt).toBeNull();
    await postAttestForm(l.session!, `${LEARN}/attest`, { typedName: l.name, agreed: 'yes' });
    expect((await cycle(l))!.completedAt).toEqual(t.app.clock.now());
  });

  it('avoids the questions the learner met in spaced practice as well as those of their last attempt', async () => {
    const l = people.practised!;
    const lastAttempt = new Set((await quizAttempt(l, 1, 1)).draw.map((d) => d.questionId));
    // Per clause, keep one unseen single-clause judgement question fresh and "practise" the others.
    const practised: string[] = [];
    for (const clause of course(t.app).clauses) {
      const unseen = course(t.app).questions.filter(
        (q) => !q.recall && q.clauses.length === 1 && q.clauses[0] === clause.id && !lastAttempt.has(q.id),
      );
      practised.push(...unseen.slice(1).map((q) => q.id));
    }
    expect(practised.length).toBeGreaterThan(5);
    await t.app.db.models.PracticeSession.create({
      _id: `${l.id}:${COURSE_ID}:2025-07-10`,
      userId: l.id,
      courseId: COURSE_ID,
      day: '2025-07-10',
      contentVersion: course(t.app).version,
      clauses: [],
      items: practised.map((id) => ({ kind: 'question', id, clauseId: clausesOf(id)[0] })),
      createdAt: new Date('2025-07-10T09:00:00Z'),
    });
    const drawn = (await startPretest(l)).draw.map((d) => d.questionId);
    expect(drawn.filter((id) => practised.includes(id))).toEqual([]);
    expect(drawn.filter((id) => lastAttempt.has(id))).toEqual([]);
  });

  it('a clause the last attempt missed gets two questions', async () => {
    const l = people.missed!;
    const last = await t.app.db.models.AttemptResult.findById(
      attemptKey(cycleKey(l.id, COURSE_ID, 1), 1),
    ).lean<AttemptResultDoc>();
    const missed = Object.entries(last!.clauses)
      .filter(([, s]) => s.correct < s.total)
      .map(([id]) => id);
    expect(missed.length).toBeGreaterThan(0);
    const attempt = await startPretest(l);
    const counts = new Map<string, number>();
    for (const d of attempt.draw)
      for (const c of clausesOf(d.questionId)) counts.set(c, (counts.get(c) ?? 0) + 1);
    for (const c of missed) expect(counts.get(c), c).toBeGreaterThanOrEqual(2);
    expect(attempt.draw.length).toBe(course(t.app).clauses.length + missed.length);
  });

  it('the learner may decline the check and take the full path', async () => {
    const l = people.decline!;
    const res = await l.session!.post(`${REFRESHER}/decline`, {}, LEARN);
    expect(res.statusCode).toBe(303);
    expect((await cycle(l))!.refresher).toMatchObject({
      status: 'decided',
      pretestAttemptId: null,
      testedOut: [],
    });
    expect((await l.session!.post(`${REFRESHER}/pretest`, {}, LEARN)).statusCode).toBe(409);
    await l.session!.post(`${LEARN}/quiz/attempts`, {}, `${LEARN}/quiz`);
    const quiz = await quizAttempt(l);
    expect(quiz.draw).toHaveLength(course(t.app).quiz.questionsPerAttempt);
    expect(quiz.scope ?? null).toBeNull();
  });

  it('grades the pre-assessment exactly once when submitted twice at the same time', async () => {
    const l = people.race!;
    await startPretest(l);
    const [a, b] = await Promise.all([submitPretest(l), submitPretest(l)]);
    expect([a.statusCode, b.statusCode]).toEqual([303, 303]);
    const c = (await cycle(l))!;
    expect(c.refresher!.status).toBe('decided');
    const events = await t.app.db.models.AuditEvent.find({
      action: 'refresher.decided',
      subjectId: l.id,
    }).lean();
    expect(events).toHaveLength(1);
    const submitted = await t.app.db.models.AuditEvent.find({
      action: 'attempt.submitted',
      targetId: c.refresher!.pretestAttemptId,
    }).lean();
    expect(submitted).toHaveLength(1);
  });
});

describe('HR switches test-out off for the course', () => {
  it('the settings page saves the switch, and a refresher is the full path', async () => {
    const hr = await loginAs(t.app, 'hr@demo.test');
    const page = await hr.get(`/hr/courses/${COURSE_ID}/settings`);
    expect(page.body).toMatch(/name="testOut" type="checkbox" value="yes"[^>]*checked/);
    const form = { ...TEST_OUT_OFF_SETTINGS };
    const saved = await hr.post(
      `/hr/courses/${COURSE_ID}/settings`,
      form,
      `/hr/courses/${COURSE_ID}/settings`,
    );
    expect(saved.statusCode).toBe(303);
    expect((await t.app.db.models.CourseSettings.findById(COURSE_ID).lean())?.testOut).toBe(false);

    const l = people.off!;
    const overview = await l.session!.get(LEARN);
    expect(overview.body).not.toContain('Check what you still know');
    expect((await l.session!.post(`${REFRESHER}/pretest`, {}, LEARN)).statusCode).toBe(409);
    await l.session!.post(`${LEARN}/quiz/attempts`, {}, `${LEARN}/quiz`);
    expect((await quizAttempt(l)).draw).toHaveLength(course(t.app).quiz.questionsPerAttempt);

    const on = await hr.post(
      `/hr/courses/${COURSE_ID}/settings`,
      { ...form, testOut: 'yes' },
      `/hr/courses/${COURSE_ID}/settings`,
    );
    expect(on.statusCode).toBe(303);
    expect((await t.app.db.models.CourseSettings.findById(COURSE_ID).lean())?.testOut).toBe(true);
  });
});

describe('a clause changed by a new policy version', () => {
  it('is always studied and never pretested', async () => {
    const hr = (await t.app.db.models.User.findOne({ email: 'hr@demo.test' }).lean())!;
    const admin = (await t.app.db.models.User.findOne({ email: 'admin@demo.test' }).lean())!;
    const policy = t.app.services.policy;
    const now = t.app.clock.now();
    const file = t.app.catalogue.templates.get(COURSE_ID)!.clauses.find((x) => x.id === 'SMP-04')!;
    const wording = {
      title: file.title,
      summary: file.summary,
      text: `${file.text} Reposting abuse counts too.`,
    };
    expect(
      await policy.editClause({
        actorId: hr._id,
        courseId: COURSE_ID,
        clauseId: 'SMP-04',
        wording,
        kind: 'retrain',
        now,
      }),
    ).toEqual({ ok: true });
    expect(await policy.submitDraft({ actorId: hr._id, courseId: COURSE_ID, note: 'SMP-04', now })).toEqual({
      ok: true,
    });
    await policy.approveAndPublish({
      approver: { id: admin._id, role: 'admin' },
      courseId: COURSE_ID,
      dueAt: new Date('2026-03-15'),
      now,
    });
    expect(course(t.app).policyVersion).toBe(2);

    const l = people.changed!;
    const attempt = await startPretest(l);
    expect(attempt.draw.flatMap((d) => clausesOf(d.questionId))).not.toContain('SMP-04');
    await submitPretest(l);
    expect((await cycle(l))!.refresher).toMatchObject({
      status: 'decided',
      changed: ['SMP-04'],
      study: ['SMP-04'],
    });
    expect((await cycle(l))!.refresher!.testedOut).toHaveLength(course(t.app).clauses.length - 1);
  });
});
