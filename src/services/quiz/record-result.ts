import type { Models } from '../../db/models/index.js';
import type { AttemptDoc, AttemptResultDoc } from '../../db/models/quiz.js';
import type { CycleDoc } from '../../db/models/training.js';
import { attemptsRepository } from '../../db/repositories/attempts.js';
import { trainingRepository } from '../../db/repositories/training.js';
import { couldComplete } from '../../domain/completion.js';
import type { Course } from '../../domain/course.js';
import { type Answers, attemptsAllowed, gradeAttempt, submissionTime } from '../../domain/quiz/index.js';
import { markCycleStarted } from '../assignments/enrollment.js';
import type { ServiceContext } from '../context.js';
import { recordQuizResult } from '../learning/mastery.js';
import { evaluateCompletion } from '../records/completion.js';
import { xapiHooks } from '../xapi/hooks.js';
import { questionMap } from './course.js';
import { recordPretestOutcome } from './pretest-outcome.js';

/**
 * Everything that follows a stored result: idempotent single-document writes, so they can be
 * repeated safely when a crash interrupted them (the result page re-runs them for an attempt
 * still marked open).
 *
 * `cycle` is the attempt's cycle as this request read it, which saves reading it again: the pass
 * writes the result's own values (the same on every repeat), and only this cycle's open attempt
 * can be graded, so nothing else can have passed it meanwhile. Attempts granted by HR meanwhile
 * matter only when this result would exhaust the cycle, so that case re-reads it.
 */
export async function applyResult(
  ctx: ServiceContext,
  input: {
    course: Course;
    cycle: CycleDoc;
    result: AttemptResultDoc;
    now: Date;
    /** The request that inserted the result (not a repair): it audits a pre-assessment's decision. */
    created?: boolean;
  },
): Promise<void> {
  const { course, cycle, result, now } = input;
  if (cycle._id !== result.cycleId) throw new Error(`result ${result._id} is not of cycle ${cycle._id}`);
  await attemptsRepository(ctx.models).markGraded(result._id);
  // A refresher's pre-assessment decides the path instead of passing or failing (issue #23).
  const after =
    result.purpose === 'pretest'
      ? await recordPretestOutcome(ctx, { course, cycle, result, now, announce: input.created === true })
      : await recordOutcome(ctx.models, course, cycle, result, now);
  await xapiHooks.quizGraded(ctx, result, now);
  // Clause memory (issue #23), for every purpose (quiz or pre-assessment); once per result. After
  // the outcome, so a failure here never keeps a pass from being recorded.
  await recordQuizResult(ctx, { result, now });
  if (!after) return;
  // The first attempt started the cycle; this covers a crash between that attempt's insert and its start.
  if (!after.startedAt) {
    await markCycleStarted(ctx.models, after._id, now);
    await xapiHooks.cycleLaunched(ctx, after, course, now);
  }
  // Completion also needs the attestation, which can only follow the pass and re-checks completion
  // itself: so the lessons are read only when this cycle already has everything else.
  if (couldComplete(course, after)) await evaluateCompletion(ctx, { cycleId: after._id, now });
}

/** Writes what the result means for the cycle (passed, or out of attempts); returns the cycle as written. */
async function recordOutcome(
  models: Models,
  course: Course,
  cycle: CycleDoc,
  result: AttemptResultDoc,
  now: Date,
): Promise<CycleDoc | null> {
  const training = trainingRepository(models);
  if (cycle.passedAt) return cycle;
  if (result.passed) {
    const passed = { passedAt: result.submittedAt, passedAttemptId: result._id, score: result.score };
    await training.updateCycle(cycle._id, passed);
    return { ...cycle, ...passed };
  }
  if (result.n < attemptsAllowed(course.quiz, cycle) || cycle.exhaustedAt) return cycle;
  // Out of attempts as read at the start of the request: read again, HR may have granted more since.
  const fresh = await training.findCycle(cycle._id);
  if (!fresh || fresh.passedAt || fresh.exhaustedAt || result.n < attemptsAllowed(course.quiz, fresh))
    return fresh;
  await training.updateCycle(cycle._id, { exhaustedAt: now });
  return { ...fresh, exhaustedAt: now };
}

/**
 * Grades an attempt exactly once. The result insert keyed by the attempt id is the guard: of any
 * number of concurrent submissions, one insert succeeds; the others read and return that result.
 */
export async function gradeAndRecord(
  ctx: ServiceContext,
  input: { course: Course; cycle: CycleDoc; attempt: AttemptDoc; answers: Answers; now: Date },
): Promise<{ result: AttemptResultDoc; created: boolean }> {
  const { course, cycle, attempt, answers, now } = input;
  const attempts = attemptsRepository(ctx.models);
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
    purpose: attempt.purpose ?? 'quiz',
  };
  if (!(await attempts.insertResult(result))) {
    const existing = await attempts.findResult(attempt._id);
    if (!existing) throw new Error(`attempt ${attempt._id}: duplicate result but none found`);
    return { result: existing, created: false };
  }
  await ctx.audit.append(
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
        ...(result.purpose === 'pretest' ? { purpose: 'pretest' } : {}),
        // The questions served, recorded now rather than at the start (see startAttempt).
        questions: attempt.draw.map((d) => d.questionId),
      },
    },
    now,
  );
  await applyResult(ctx, { course, cycle, result, now, created: true });
  return { result, created: true };
}
