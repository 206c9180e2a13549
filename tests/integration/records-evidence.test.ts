import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Course, Question } from '../../src/domain/course.js';
import { POST_VERDICT_LABELS } from '../../src/domain/verdict-labels.js';
import { verifyAuditChain } from '../../src/services/audit/verify.js';
import type { EvidencePack } from '../../src/services/records/evidence.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { postAttestForm } from '../helpers/attest-form.js';
import { answerForm, htmlText, loadAttempt, newLearner, start } from './quiz-support.js';
import { course, cycleOf, learnerByEmail, takeQuiz, viewAllLessons } from './records-helpers.js';

let t: TestApp;
let erin: Awaited<ReturnType<typeof learnerByEmail>>;
let s: Session;
let hr: Session;
let other: Session;
const OWN = `/learn/${COURSE_ID}/evidence`;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

beforeAll(async () => {
  t = await createTestApp({ label: 'records-evidence' });
  erin = await learnerByEmail(t.app, 'employee@demo.test');
  s = await loginAs(t.app, 'employee@demo.test');
  hr = await loginAs(t.app, 'hr@demo.test');
  other = await loginAs(t.app, 'ava.adams@demo.test');

  // Lessons, a failed attempt, a passed one after the cooldown, then the attestation form.
  await viewAllLessons(t.app, erin);
  t.clock.advanceMinutes(5);
  expect((await takeQuiz(t.app, erin, false)).passed).toBe(false);
  t.clock.advanceMinutes(course(t.app).quiz.cooldownMinutes + 1);
  expect((await takeQuiz(t.app, erin, true)).passed).toBe(true);
  t.clock.advanceMinutes(2);
  const res = await postAttestForm(s, `/learn/${COURSE_ID}/attest`, { typedName: erin.name, agreed: 'yes' });
  expect(res.statusCode).toBe(303);
});
afterAll(async () => t.close());

describe("a learner's own evidence pack", () => {
  let pack: EvidencePack;
  let body: string;

  it('downloads as JSON whose SHA-256 header matches the bytes', async () => {
    const res = await s.get(`${OWN}.json`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="evidence-social-media-policy-E0100-cycle-1\.json"/,
    );
    body = res.body;
    expect(res.headers['x-evidence-sha256']).toBe(sha256(body));
    pack = JSON.parse(body);
  });

  it('holds the content version, the cycle and every lesson view', async () => {
    const c = course(t.app);
    expect(pack.person).toMatchObject({ id: erin.id, name: erin.name, employeeId: 'E0100' });
    expect(pack.course.currentContentVersion).toBe(c.version);
    expect(pack.cycle).toMatchObject({
      n: 1,
      contentVersionAtStart: c.version,
      attestedVersion: c.version,
      score: 100,
    });
    expect(pack.cycle.completedAt).not.toBeNull();
    expect(pack.lessonsViewed.map((v) => v.lessonId)).toEqual(c.lessons.map((l) => l.id));
  });

  it('lists every attempt with questions served, answers, points, clause scores and timestamps', () => {
    const c = course(t.app);
    expect(pack.attempts.map((a) => [a.n, a.passed])).toEqual([
      [1, false],
      [2, true],
    ]);
    for (const a of pack.attempts) {
      expect(a.questions).toHaveLength(c.quiz.questionsPerAttempt);
      expect(a.startedAt).toBeTruthy();
      expect(a.submittedAt).toBeTruthy();
      expect(a.clauseScores.length).toBeGreaterThan(0);
      for (const q of a.questions) {
        expect(q.prompt).toBe(c.questions.find((x) => x.id === q.questionId)?.prompt);
        expect(q.choicesShown.length).toBeGreaterThan(0);
        expect(q.answer?.choiceIds.length).toBeGreaterThan(0);
        expect(typeof q.points).toBe('number');
      }
    }
    expect(pack.attempts[1]!.questions.every((q) => q.correct)).toBe(true);
    expect(pack.attempts[0]!.score).toBeLessThan(pack.attempts[0]!.passingScore!);
    expect(pack.attempts[1]!.clauseScores.every((c) => c.correct === c.total)).toBe(true);
  });

  it('holds the attestation, the certificate code and the related audit events', async () => {
    const cycle = await cycleOf(t.app, erin);
    expect(pack.attestation).toMatchObject({ typedName: erin.name, contentVersion: course(t.app).version });
    expect(pack.certificate?.code).toBe(cycle.certificateCode);
    const actions = pack.auditEvents.map((e) => e.action);
    for (const action of [
      'lesson.viewed',
      'attempt.started',
      'attempt.submitted',
      'attested',
      'cycle.completed',
      'certificate.issued',
    ]) {
      expect(actions, action).toContain(action);
    }
    expect(actions).not.toContain('login.success');
    expect(actions).not.toContain('evidence.exported');
    const seqs = pack.auditEvents.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('is the same file when exported again, and the export itself is audited', async () => {
    const again = await s.get(`${OWN}.json`);
    expect(again.body).toBe(body);
    expect(
      await t.app.db.models.AuditEvent.countDocuments({ action: 'evidence.exported', subjectId: erin.id }),
    ).toBe(2);
  });

  it('has a printable page showing the SHA-256 of that JSON', async () => {
    const res = await s.get(OWN);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(sha256(body));
    expect(res.body).toContain(pack.certificate!.code);
    expect(res.body).toContain(`href="${OWN}.json?cycle=1"`);
  });

  it('names the policy version attested in the page’s language', async () => {
    const version = pack.attestation!.policyVersion;
    expect((await s.get(OWN)).body).toContain(`Policy version ${version}`);
    const spanish = await s.get(OWN, { 'accept-language': 'es' });
    expect(spanish.body).toContain(`Versión de la política ${version}`);
    expect(spanish.body).not.toContain('Policy version');
  });

  it('answers 404 for a cycle that does not exist and 400 for malformed input', async () => {
    expect((await s.get(`${OWN}?cycle=2`)).statusCode).toBe(404);
    expect((await s.get(`${OWN}?cycle=abc`)).statusCode).toBe(400);
    expect((await s.get('/learn/no-such-course/evidence')).statusCode).toBe(404);
  });
});

describe('evidence ownership', () => {
  it('never gives an employee anyone else’s pack', async () => {
    // The learner route has no person parameter; one added to the URL is ignored (like utm_*),
    // so Ava still gets only her own record: none, a 404.
    const added = await other.get(`${OWN}.json?user=${erin.id}`);
    expect(added.statusCode).toBe(404);
    expect(added.body).not.toContain(erin.name);
    // Ava has no record of her own for this course, so her own URL is a 404, not Erin's data.
    const own = await other.get(`${OWN}.json`);
    expect(own.statusCode).toBe(404);
    expect(own.body).not.toContain(erin.name);
    // The HR route is closed to employees.
    for (const suffix of ['', '.json']) {
      const res = await other.get(`/hr/people/${erin.id}/evidence/${COURSE_ID}/1${suffix}`);
      expect(res.statusCode).toBe(403);
      expect(res.body).not.toContain(erin.name);
    }
    expect((await t.app.inject({ method: 'GET', url: `${OWN}.json` })).statusCode).toBe(302);
  });

  it('lets HR read anyone’s pack, identical to the learner’s own download', async () => {
    const mine = await s.get(`${OWN}.json`);
    const theirs = await hr.get(`/hr/people/${erin.id}/evidence/${COURSE_ID}/1.json`);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).toBe(mine.body);
    const page = await hr.get(`/hr/people/${erin.id}/evidence/${COURSE_ID}/1`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(sha256(mine.body));
  });

  it('answers HR with 404 for unknown people or cycles and 400 for malformed ids', async () => {
    expect((await hr.get(`/hr/people/${'0'.repeat(24)}/evidence/${COURSE_ID}/1`)).statusCode).toBe(404);
    expect((await hr.get(`/hr/people/${erin.id}/evidence/${COURSE_ID}/3.json`)).statusCode).toBe(404);
    expect((await hr.get(`/hr/people/${erin.id}/evidence/${COURSE_ID}/0`)).statusCode).toBe(400);
    expect((await hr.get(`/hr/people/not-an-id/evidence/${COURSE_ID}/1`)).statusCode).toBe(400);
  });
});

describe('verdicts in the evidence pack', () => {
  const WHOLE = 'smp-evidence-whole-bank';

  it('shows a person the verdict given by its label ("Ask first"), the JSON file keeps the id', async () => {
    // Every question drawn (recall ones unmarked: an attempt draws one), so the bank's ask-first
    // classify questions are all served and answered with their right verdict.
    const base = course(t.app);
    const questions = base.questions.map(({ recall: _recall, ...q }) => q as Question);
    const whole: Course = {
      ...base,
      id: WHOLE,
      questions,
      quiz: { ...base.quiz, questionsPerAttempt: questions.length },
    };
    t.app.courses.set(WHOLE, whole);
    const { id, session } = await newLearner(t.app, 'evidence-verdicts');
    await start(session, WHOLE);
    const attempt = await loadAttempt(t.app, id, WHOLE, 1);
    const submitted = await session.post(
      `/learn/${WHOLE}/quiz/attempts/1/submit`,
      answerForm(whole, attempt),
      `/learn/${WHOLE}/quiz/attempts/1`,
    );
    expect(submitted.statusCode).toBe(303);

    const file: EvidencePack = JSON.parse((await session.get(`/learn/${WHOLE}/evidence.json`)).body);
    const given = file.attempts[0]!.questions.map((q) => q.answer?.verdict).filter((v) => v);
    expect(new Set(given)).toEqual(new Set(['acceptable', 'ask-first', 'unacceptable']));

    const page = await session.get(`/learn/${WHOLE}/evidence`);
    expect(page.statusCode).toBe(200);
    const text = htmlText(page.body);
    const askFirst = questions.find((q) => q.type === 'classify' && q.verdict === 'ask-first');
    if (askFirst?.type !== 'classify') throw new Error('the bank has no ask-first classify question');
    const reason = askFirst.reasons.find((r) => r.correct)!.text;
    expect(text).toContain(`<td>${POST_VERDICT_LABELS['ask-first']}: ${reason}</td>`);
    expect(text).toContain(`<td>${POST_VERDICT_LABELS.unacceptable}: `);
    expect(text).toContain(`<td>${POST_VERDICT_LABELS.acceptable}: `);
    expect(text).not.toMatch(/<td>(acceptable|ask-first|unacceptable):/);
  });
});

describe('the audit chain after a whole training cycle', () => {
  it('verifies intact', async () => {
    const report = await verifyAuditChain(t.app.db.models);
    expect(report.ok).toBe(true);
    expect(report.count).toBeGreaterThan(20);
  });
});
