/** What the refresher-cycle tests share: learners with a completed first cycle, HR's renewal, the check's form. */
import type { FastifyInstance } from 'fastify';
import { attemptKey, cycleKey, pretestAttemptKey } from '../../src/db/keys.js';
import type { AttemptDoc } from '../../src/db/models/quiz.js';
import type { CycleDoc } from '../../src/db/models/training.js';
import type { Course } from '../../src/domain/course.js';
import { COURSE_ID } from '../factories.js';
import { createUser, type Session, type TestApp } from '../helpers/app.js';
import { answerForm } from './quiz-support.js';
import { completeWithCertificate } from './records-helpers.js';

export type Learner = { id: string; name: string; department: string; email: string; session?: Session };

/** HR's settings form with test-out off (the field left out), every other value the course's. */
export const TEST_OUT_OFF_SETTINGS: Record<string, string> = {
  validityMonths: '12',
  windowDays: '30',
  graceDays: '0',
  expiryBasis: 'completion',
  cycleKind: 'rolling',
  calendarMonth: '',
  calendarDay: '',
  daysBeforeDue: '7',
  overdueEveryDays: '7',
  escalateAfterDays: '14',
};

/** One learner per name, `<name><emailSuffix>`, each through cycle 1 by `complete` (a certificate by default). */
export async function completedLearners(
  t: TestApp,
  names: readonly string[],
  emailSuffix: string,
  complete: (l: Learner) => Promise<unknown> = (l) => completeWithCertificate(t.app, l),
): Promise<Record<string, Learner>> {
  const people: Record<string, Learner> = {};
  for (const name of names) {
    const email = `${name}${emailSuffix}`;
    const doc = await createUser(t.app, { email, name: `${name} Learner` });
    people[name] = { id: doc._id, name: doc.name, department: doc.department, email };
    await complete(people[name]!);
  }
  return people;
}

/** HR asks everyone to take the course again in full, by `dueAt`. */
export async function requestFullRenewal(app: FastifyInstance, dueAt: Date) {
  const hr = (await app.db.models.User.findOne({ email: 'hr@demo.test' }).lean())!;
  await app.services.assignments.requestRenewal({
    actorId: hr._id,
    courseId: COURSE_ID,
    requirement: 'full',
    dueAt,
    reason: 'Yearly refresher',
    now: app.clock.now(),
  });
}

/** The pre-assessment's form, answering right except the questions `wrong` says. */
export function pretestForm(
  course: Course,
  attempt: AttemptDoc,
  wrong: (questionId: string) => boolean,
): Record<string, string | string[]> {
  const right = answerForm(course, attempt);
  const none = answerForm(course, attempt, 0);
  return Object.fromEntries(
    Object.keys(right).map((k) => {
      const i = Number(/\[q(\d+)\]$/.exec(k)![1]) - 1;
      return [k, wrong(attempt.draw[i]!.questionId) ? none[k]! : right[k]!];
    }),
  );
}

/** The learner's cycle `n` (2: the refresher) of the course. */
export const cycleNo = (app: FastifyInstance, l: Learner, n = 2) =>
  app.db.models.Cycle.findById(cycleKey(l.id, COURSE_ID, n)).lean<CycleDoc>();

/** The pre-assessment of the learner's cycle `n`. */
export const pretestOf = (app: FastifyInstance, l: Learner, n = 2) =>
  app.db.models.Attempt.findById(pretestAttemptKey(cycleKey(l.id, COURSE_ID, n))).lean<AttemptDoc>();

/** Quiz attempt `n` of the learner's cycle `cycle`. */
export const quizAttemptOf = (app: FastifyInstance, l: Learner, n = 1, cycle = 2) =>
  app.db.models.Attempt.findById(attemptKey(cycleKey(l.id, COURSE_ID, cycle), n)).lean<AttemptDoc>();

/** The clauses a question of the course tests. */
export const clausesOfQuestion = (course: Course, questionId: string) =>
  course.questions.find((q) => q.id === questionId)!.clauses;
