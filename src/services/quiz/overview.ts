import type { AttemptDoc, AttemptResultDoc } from '../../db/models/quiz.js';
import type { AssignmentDoc, CycleDoc } from '../../db/models/training.js';
import { attemptsRepository } from '../../db/repositories/attempts.js';
import type { Course } from '../../domain/course.js';
import {
  type AttemptSummary,
  acceptsSubmittedAnswers,
  attemptsAllowed,
  type QuizStatus,
  quizStatus,
} from '../../domain/quiz/index.js';
import { ensureEnrolled, type Learner } from '../assignments/enrollment.js';
import type { ServiceContext } from '../context.js';
import { quizCourse } from './course.js';
import { gradeAndRecord } from './record-result.js';

export interface QuizContext {
  course: Course;
  assignment: AssignmentDoc;
  cycle: CycleDoc;
  attempts: AttemptDoc[];
  results: AttemptResultDoc[];
  status: QuizStatus;
}

function summaries(attempts: AttemptDoc[], results: AttemptResultDoc[]): AttemptSummary[] {
  const byId = new Map(results.map((r) => [r._id, r]));
  return attempts.map((a) => {
    const r = byId.get(a._id);
    return {
      n: a.n,
      startedAt: a.startedAt,
      deadline: a.deadline,
      result: r ? { passed: r.passed, submittedAt: r.submittedAt } : null,
    };
  });
}

/**
 * An open attempt whose time ran out (plus the grace period) is graded with the answers saved
 * before the limit, as submitted at the limit. Done whenever the learner comes back, so an
 * abandoned timed attempt never blocks the next one.
 */
async function closeIfExpired(
  ctx: ServiceContext,
  course: Course,
  cycle: CycleDoc,
  attempt: AttemptDoc,
  now: Date,
): Promise<AttemptResultDoc | null> {
  if (acceptsSubmittedAnswers(now, attempt.deadline)) return null;
  const { result } = await gradeAndRecord(ctx, { course, cycle, attempt, answers: attempt.answers, now });
  return result;
}

/** The learner's quiz situation in their current cycle, after closing any expired attempt. */
export async function loadQuizContext(
  ctx: ServiceContext,
  input: { learner: Learner; courseId: string; now: Date },
): Promise<QuizContext> {
  const { learner, now } = input;
  const course = quizCourse(ctx.courses, input.courseId);
  const { assignment, cycle } = await ensureEnrolled(ctx, { learner, course, now });
  const repo = attemptsRepository(ctx.models);
  // Attempt numbers never exceed what was allowed when they started; +1 covers a grant being revoked.
  const upTo = attemptsAllowed(course.quiz, cycle) + 1;
  const { attempts, results: found } = await repo.listAttempts(cycle._id, upTo);
  let results = found;
  const graded = new Set(results.map((r) => r._id));
  for (const attempt of attempts) {
    if (graded.has(attempt._id)) continue;
    const closed = await closeIfExpired(ctx, course, cycle, attempt, now);
    if (closed) results = [...results, closed];
  }
  const status = quizStatus(course.quiz, cycle, summaries(attempts, results), now);
  return { course, assignment, cycle, attempts, results, status };
}
