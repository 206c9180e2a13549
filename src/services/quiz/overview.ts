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
import { currentCycle, type Learner } from '../assignments/enrollment.js';
import { courseOr404, type QuizDeps } from './deps.js';
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
export async function closeIfExpired(
  deps: QuizDeps,
  course: Course,
  cycle: CycleDoc,
  attempt: AttemptDoc,
  now: Date,
): Promise<AttemptResultDoc | null> {
  if (acceptsSubmittedAnswers(now, attempt.deadline)) return null;
  const { result } = await gradeAndRecord(deps, course, cycle, attempt, attempt.answers, now);
  return result;
}

/** The learner's quiz situation in their current cycle, after closing any expired attempt. */
export async function loadQuizContext(
  deps: QuizDeps,
  learner: Learner,
  courseId: string,
  now: Date,
): Promise<QuizContext> {
  const course = courseOr404(deps, courseId);
  const { assignment, cycle } = await currentCycle(deps.models, learner, course, now);
  const repo = attemptsRepository(deps.models);
  // Attempt numbers never exceed what was allowed when they started; +1 covers a grant being revoked.
  const upTo = attemptsAllowed(course.quiz, cycle) + 1;
  const { attempts, results: found } = await repo.listAttempts(cycle._id, upTo);
  let results = found;
  const graded = new Set(results.map((r) => r._id));
  for (const attempt of attempts) {
    if (graded.has(attempt._id)) continue;
    const closed = await closeIfExpired(deps, course, cycle, attempt, now);
    if (closed) results = [...results, closed];
  }
  const status = quizStatus(course.quiz, cycle, summaries(attempts, results), now);
  return { course, assignment, cycle, attempts, results, status };
}
