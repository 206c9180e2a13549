import type { AttemptDoc, AttemptResultDoc } from '../../db/models/quiz.js';
import { attemptsRepository } from '../../db/repositories/attempts.js';
import { trainingRepository } from '../../db/repositories/training.js';
import type { Course } from '../../domain/course.js';
import { type Answers, attemptsAllowed, gradeAttempt, submissionTime } from '../../domain/quiz/index.js';
import { evaluateCompletion } from '../completion.js';
import { markCycleStarted } from '../enrollment.js';
import { type QuizDeps, questionMap } from './deps.js';

/**
 * Everything that follows a stored result: idempotent single-document writes, so they can be
 * repeated safely when a crash interrupted them (the result page re-runs them for an attempt
 * still marked open).
 */
export async function applyResult(
  deps: QuizDeps,
  course: Course,
  result: AttemptResultDoc,
  now: Date,
): Promise<void> {
  const training = trainingRepository(deps.models);
  await attemptsRepository(deps.models).markGraded(result._id);
  const cycle = await training.findCycle(result.cycleId);
  if (!cycle) return;
  if (result.passed && !cycle.passedAt) {
    await training.updateCycle(cycle._id, {
      passedAt: result.submittedAt,
      passedAttemptId: result._id,
      score: result.score,
    });
  } else if (
    !result.passed &&
    !cycle.passedAt &&
    result.n >= attemptsAllowed(course.quiz, cycle) &&
    !cycle.exhaustedAt
  ) {
    await training.updateCycle(cycle._id, { exhaustedAt: now });
  }
  await markCycleStarted(deps.models, cycle._id, now);
  await evaluateCompletion(deps, cycle._id, now);
}

/**
 * Grades an attempt exactly once. The result insert keyed by the attempt id is the guard: of any
 * number of concurrent submissions, one insert succeeds; the others read and return that result.
 */
export async function gradeAndRecord(
  deps: QuizDeps,
  course: Course,
  attempt: AttemptDoc,
  answers: Answers,
  now: Date,
): Promise<{ result: AttemptResultDoc; created: boolean }> {
  const attempts = attemptsRepository(deps.models);
  const grade = gradeAttempt(questionMap(course), attempt.draw, answers, course.quiz.passingScore);
  const submittedAt = submissionTime(now, attempt.deadline);
  const result: AttemptResultDoc = {
    _id: attempt._id,
    userId: attempt.userId,
    courseId: attempt.courseId,
    cycleId: attempt.cycleId,
    n: attempt.n,
    contentVersion: attempt.contentVersion,
    score: grade.score,
    passed: grade.passed,
    passingScore: course.quiz.passingScore,
    questions: grade.questions,
    clauses: grade.clauses,
    answers,
    startedAt: attempt.startedAt,
    submittedAt,
    receivedAt: now,
    timedOut: attempt.deadline !== null && now > attempt.deadline,
  };
  if (!(await attempts.insertResult(result))) {
    const existing = await attempts.findResult(attempt._id);
    if (!existing) throw new Error(`attempt ${attempt._id}: duplicate result but none found`);
    return { result: existing, created: false };
  }
  await deps.audit.append(
    {
      actorId: attempt.userId,
      action: 'attempt.submitted',
      targetType: 'attempt',
      targetId: attempt._id,
      subjectId: attempt.userId,
      details: {
        courseId: course.id,
        n: attempt.n,
        score: grade.score,
        passed: grade.passed,
        timedOut: result.timedOut,
      },
    },
    now,
  );
  await applyResult(deps, course, result, now);
  return { result, created: true };
}
