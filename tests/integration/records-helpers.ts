import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { AttemptDoc } from '../../src/db/models/quiz.js';
import type { Course, Question } from '../../src/domain/course.js';
import type { Answers } from '../../src/domain/quiz/grading.js';
import { currentCycle } from '../../src/services/assignments/enrollment.js';
import { recordLessonView } from '../../src/services/learning/progress.js';
import { startAttempt } from '../../src/services/quiz/attempts.js';
import { gradeAndRecord } from '../../src/services/quiz/record-result.js';
import { attest } from '../../src/services/records/attestation.js';
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

const deps = (app: FastifyInstance) => ({ models: app.db.models, audit: app.audit, courses: app.courses });

export async function cycleOf(app: FastifyInstance, learner: { id: string; department: string }) {
  return (await currentCycle(app.db.models, learner, course(app), app.clock.now())).cycle;
}

/** Views every lesson through the learner-pages service (which re-checks completion after each). */
export async function viewAllLessons(app: FastifyInstance, learner: { id: string; department: string }) {
  const c = course(app);
  for (const lesson of c.lessons) await recordLessonView(deps(app), learner, c, lesson, app.clock.now());
}

function answerFor(q: Question, right: boolean) {
  switch (q.type) {
    case 'single':
    case 'truefalse':
    case 'multiple': {
      const picked = q.options.filter((o) => o.correct === right);
      return { choiceIds: (picked.length ? picked : q.options.slice(0, 1)).map((o) => o.id) };
    }
    case 'spot':
      return { choiceIds: [q.segments.find((s) => s.problem === right)!.id] };
    case 'classify':
      return {
        verdict: right
          ? q.verdict
          : q.verdict === 'acceptable'
            ? ('unacceptable' as const)
            : ('acceptable' as const),
        choiceIds: [q.reasons.find((r) => r.correct === right)!.id],
      };
  }
}

/** Takes one quiz attempt through the quiz services, answering everything right or everything wrong. */
export async function takeQuiz(
  app: FastifyInstance,
  learner: { id: string; department: string },
  right: boolean,
) {
  const c = course(app);
  const now = app.clock.now();
  const n = await startAttempt(deps(app), learner, c.id, now);
  const cycle = await cycleOf(app, learner);
  const attempt = await app.db.models.Attempt.findById(`${cycle._id}:${n}`).lean<AttemptDoc>();
  if (!attempt) throw new Error('attempt not stored');
  const answers: Answers = {};
  for (const d of attempt.draw)
    answers[d.questionId] = answerFor(c.questions.find((q) => q.id === d.questionId)!, right);
  return (await gradeAndRecord(deps(app), c, cycle, attempt, answers, now)).result;
}

/** Lessons, a passed quiz and the attestation through the services: the cycle completes with a certificate. */
export async function completeWithCertificate(
  app: FastifyInstance,
  learner: { id: string; name: string; department: string },
) {
  await viewAllLessons(app, learner);
  expect((await takeQuiz(app, learner, true)).passed).toBe(true);
  const res = await attest(
    deps(app),
    {
      userId: learner.id,
      course: course(app),
      cycle: await cycleOf(app, learner),
      typedName: learner.name,
      agreed: true,
      ip: '127.0.0.1',
      userAgent: 'test',
    },
    app.clock.now(),
  );
  expect(res.ok).toBe(true);
  const cycle = await cycleOf(app, learner);
  if (!cycle.certificateCode) throw new Error('the completed cycle has no certificate');
  return { cycle, code: cycle.certificateCode };
}
