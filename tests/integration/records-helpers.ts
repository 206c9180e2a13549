import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { attemptKey } from '../../src/db/keys.js';
import type { AttemptDoc } from '../../src/db/models/quiz.js';
import type { Course, Question } from '../../src/domain/course.js';
import { type Answers, type GivenAnswer, gradeQuestion, rightAnswer } from '../../src/domain/quiz/grading.js';
import { outboxMailer } from '../../src/mail/transport.js';
import type { ServiceContext } from '../../src/services/context.js';
import { gradeAndRecord } from '../../src/services/quiz/record-result.js';
import { COURSE_ID } from '../factories.js';

export function course(app: FastifyInstance): Course {
  const c = app.courses.get(COURSE_ID);
  if (!c) throw new Error('the social media course is not loaded');
  return c;
}

export async function learnerByEmail(app: FastifyInstance, email: string) {
  const u = await app.db.models.User.findOne({ email }).lean();
  if (!u) throw new Error(`no user ${email}`);
  return { id: u._id, name: u.name, department: u.department };
}

/** The service context for the quiz's grading step, which is not one of the app's bound commands. */
const context = (app: FastifyInstance): ServiceContext => ({
  models: app.db.models,
  courses: app.courses,
  catalogue: app.catalogue,
  audit: app.audit,
  mailer: outboxMailer(app.db.models),
  baseUrl: app.config.BASE_URL,
});

export async function cycleOf(app: FastifyInstance, learner: { id: string; department: string }) {
  return (
    await app.services.assignments.ensureEnrolled({ learner, course: course(app), now: app.clock.now() })
  ).cycle;
}

/** Views every lesson through the learner-pages service (which re-checks completion after each). */
export async function viewAllLessons(app: FastifyInstance, learner: { id: string; department: string }) {
  const c = course(app);
  for (const lesson of c.lessons)
    await app.services.learning.recordLessonView({ learner, course: c, lesson, now: app.clock.now() });
}

/**
 * An answer that earns nothing, from the app's own right answer: every other choice shown, and for
 * a case to classify the other verdict.
 */
function wrongAnswer(q: Question, shown: string[]): GivenAnswer {
  const right = rightAnswer(q);
  const choiceIds = shown.filter((id) => !right.choiceIds.includes(id));
  const answer: GivenAnswer = right.verdict
    ? { verdict: right.verdict === 'acceptable' ? 'unacceptable' : 'acceptable', choiceIds }
    : { choiceIds };
  if (gradeQuestion(q, answer) !== 0) throw new Error(`no wrong answer for ${q.id}`);
  return answer;
}

/** Takes one quiz attempt through the quiz services, answering everything right or everything wrong. */
export async function takeQuiz(
  app: FastifyInstance,
  learner: { id: string; department: string },
  right: boolean,
) {
  const c = course(app);
  const now = app.clock.now();
  const n = await app.services.quiz.startAttempt({ learner, courseId: c.id, now });
  const cycle = await cycleOf(app, learner);
  const attempt = await app.db.models.Attempt.findById(attemptKey(cycle._id, n)).lean<AttemptDoc>();
  if (!attempt) throw new Error('attempt not stored');
  const answers: Answers = {};
  for (const d of attempt.draw) {
    const q = c.questions.find((x) => x.id === d.questionId)!;
    answers[d.questionId] = right ? rightAnswer(q) : wrongAnswer(q, d.choiceIds);
  }
  return (await gradeAndRecord(context(app), { course: c, cycle, attempt, answers, now })).result;
}

/** Lessons, a passed quiz and the attestation through the services: the cycle completes with a certificate. */
export async function completeWithCertificate(
  app: FastifyInstance,
  learner: { id: string; name: string; department: string },
) {
  await viewAllLessons(app, learner);
  expect((await takeQuiz(app, learner, true)).passed).toBe(true);
  const res = await app.services.records.attest({
    userId: learner.id,
    course: course(app),
    cycle: await cycleOf(app, learner),
    typedName: learner.name,
    agreed: true,
    ip: '127.0.0.1',
    userAgent: 'test',
    now: app.clock.now(),
  });
  expect(res.ok).toBe(true);
  const cycle = await cycleOf(app, learner);
  if (!cycle.certificateCode) throw new Error('the completed cycle has no certificate');
  return { cycle, code: cycle.certificateCode };
}
