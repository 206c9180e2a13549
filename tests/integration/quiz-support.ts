import type { FastifyInstance } from 'fastify';
import { attemptKey, cycleKey } from '../../src/db/keys.js';
import type { AttemptDoc } from '../../src/db/models/quiz.js';
import type { Course, QuizSettings } from '../../src/domain/course.js';
import { questionKey, rightAnswer } from '../../src/domain/quiz/index.js';
import { choiceTokensFor } from '../../src/services/quiz/index.js';
import { COURSE_ID, wrongAnswer } from '../factories.js';
import { createUser, loginAs, type Session } from '../helpers/app.js';

/** Adds a copy of the real course under another id with different quiz settings (this test app only). */
export function addCourseVariant(app: FastifyInstance, id: string, quiz: Partial<QuizSettings>): Course {
  const base = app.courses.get(COURSE_ID);
  if (!base) throw new Error('the social media course is not loaded');
  const variant: Course = { ...base, id, quiz: { ...base.quiz, ...quiz } };
  app.courses.set(id, variant);
  return variant;
}

let counter = 0;
/** A fresh employee with a session, so each test starts with no attempts. */
export async function newLearner(
  app: FastifyInstance,
  label: string,
): Promise<{ id: string; email: string; session: Session }> {
  counter += 1;
  const email = `${label}-${counter}@example.com`;
  const user = await createUser(app, { email });
  return { id: user._id, email, session: await loginAs(app, email) };
}

export function attemptId(userId: string, courseId: string, n: number, cycleNo = 1): string {
  return attemptKey(cycleKey(userId, courseId, cycleNo), n);
}

export async function loadAttempt(
  app: FastifyInstance,
  userId: string,
  courseId: string,
  n: number,
): Promise<AttemptDoc> {
  const doc = await app.db.models.Attempt.findById(attemptId(userId, courseId, n)).lean<AttemptDoc>();
  if (!doc) throw new Error(`no attempt ${n}`);
  return doc;
}

type Form = Record<string, string | string[]>;

/** An answer that earns nothing: the first wrong choice (every wrong one when several may be ticked). */

/**
 * The form a learner would send: the app's own right answer for the first `rightCount` questions of
 * the draw, wrong answers for the rest (reads the key from the course, as only a test may). Choices
 * are named by the values the attempt page offers, through the app's own mapping.
 */
export function answerForm(course: Course, attempt: AttemptDoc, rightCount = Number.POSITIVE_INFINITY): Form {
  const form: Form = {};
  const tokens = choiceTokensFor(attempt);
  attempt.draw.forEach((drawn, i) => {
    const q = course.questions.find((x) => x.id === drawn.questionId)!;
    const answer = i < rightCount ? rightAnswer(q) : wrongAnswer(q);
    const picked = answer.choiceIds.map((id) => tokens[i]![drawn.choiceIds.indexOf(id)]!);
    if (answer.verdict) form[`verdicts[${questionKey(i)}]`] = answer.verdict;
    form[`answers[${questionKey(i)}]`] = q.type === 'multiple' ? picked : picked[0]!;
  });
  return form;
}

/** The part of a form that answers the first `count` questions of the draw. */
export function firstAnswers(form: Form, count: number): Form {
  const keys = Array.from({ length: count }, (_, i) => `[${questionKey(i)}]`);
  return Object.fromEntries(Object.entries(form).filter(([k]) => keys.some((key) => k.endsWith(key))));
}

/** Starts an attempt through the app and returns its number. */
export async function start(
  session: Session,
  courseId: string,
  csrfPage = `/learn/${courseId}/quiz`,
): Promise<number> {
  const res = await session.post(`/learn/${courseId}/quiz/attempts`, {}, csrfPage);
  if (res.statusCode !== 303) throw new Error(`start failed: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return Number(/attempts\/(\d+)$/.exec(res.headers.location as string)![1]);
}

/** HTML entities back to text (kept here for the tests that import it from the quiz support). */
export { htmlText } from '../helpers/page-text.js';
