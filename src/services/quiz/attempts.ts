import { randomBytes } from 'node:crypto';
import { attemptKey } from '../../db/keys.js';
import type { AttemptDoc, AttemptResultDoc } from '../../db/models/quiz.js';
import { attemptsRepository } from '../../db/repositories/attempts.js';
import { trainingRepository } from '../../db/repositories/training.js';
import {
  type AnswerForm,
  acceptsSubmittedAnswers,
  deadlineFor,
  drawQuestions,
  isPastDeadline,
  minutesUntil,
  readAnswerForm,
  seededRng,
} from '../../domain/quiz/index.js';
import type { Learner } from '../assignments/enrollment.js';
import { choiceTokensFor, newChoiceKey } from './choice-tokens.js';
import { type QuizDeps, QuizError, questionMap } from './deps.js';
import { loadQuizContext, type QuizContext } from './overview.js';
import { applyResult, gradeAndRecord } from './record-result.js';

/** Why a new attempt cannot start, in words a learner can act on. */
function refusal(ctx: QuizContext, now: Date): string {
  const s = ctx.status.state;
  switch (s.kind) {
    case 'not-required':
      return 'This training cycle asks only for your attestation; the quiz is not required.';
    case 'passed':
      return 'You have already passed this quiz.';
    case 'cooldown':
      return `You can try again in ${minutesUntil(s.availableAt, now)} minutes.`;
    case 'exhausted':
      return 'You have used all your attempts. Please contact HR or your manager.';
    default:
      return 'A new attempt cannot start now.';
  }
}

/**
 * Starts the next attempt, or returns the open one. Attempt n is an insert keyed `<cycleId>:<n>`,
 * so a double click (or two tabs) that both try to start attempt n end up with the same attempt.
 */
export async function startAttempt(
  deps: QuizDeps,
  learner: Learner,
  courseId: string,
  now: Date,
): Promise<number> {
  const ctx = await loadQuizContext(deps, learner, courseId, now);
  const state = ctx.status.state;
  if (state.kind === 'open') return state.attemptNo;
  if (state.kind !== 'can-start') throw new QuizError(409, refusal(ctx, now));

  const { course, cycle } = ctx;
  const seed = randomBytes(8).toString('hex');
  const n = state.nextAttemptNo;
  const attempt: AttemptDoc = {
    _id: attemptKey(cycle._id, n),
    userId: learner.id,
    courseId: course.id,
    cycleId: cycle._id,
    n,
    contentVersion: course.version,
    seed,
    choiceKey: newChoiceKey(),
    draw: drawQuestions(course.questions, course.quiz.questionsPerAttempt, seededRng(seed)),
    answers: {},
    startedAt: now,
    deadline: deadlineFor(course.quiz, now),
    savedAt: null,
    status: 'open',
  };
  if (!(await attemptsRepository(deps.models).insertAttempt(attempt))) return n;

  await deps.audit.append(
    {
      actorId: learner.id,
      action: 'attempt.started',
      targetType: 'attempt',
      targetId: attempt._id,
      subjectId: learner.id,
      // Not the questions drawn: the event shows in evidence packs while the attempt is open. The
      // submission's event lists them.
      details: { courseId: course.id, n, contentVersion: course.version },
    },
    now,
  );
  // Read at the start of this request: started already (a lesson view, an earlier attempt), or started now.
  if (!cycle.startedAt) await trainingRepository(deps.models).startCycle(cycle, ctx.assignment, now);
  return n;
}

export interface LearnerAttempt {
  ctx: QuizContext;
  attempt: AttemptDoc;
  result: AttemptResultDoc | null;
}

/** One of the learner's own attempts in the current cycle (another person's attempt is simply not found). */
export async function findLearnerAttempt(
  deps: QuizDeps,
  learner: Learner,
  courseId: string,
  n: number,
  now: Date,
): Promise<LearnerAttempt> {
  const ctx = await loadQuizContext(deps, learner, courseId, now);
  const id = attemptKey(ctx.cycle._id, n);
  const attempt = ctx.attempts.find((a) => a._id === id);
  if (!attempt) throw new QuizError(404, 'There is no such attempt.');
  const result = ctx.results.find((r) => r._id === id) ?? null;
  // Repairs the follow-up writes if a crash came between the result insert and them.
  if (result && attempt.status === 'open') await applyResult(deps, ctx.course, ctx.cycle, result, now);
  return { ctx, attempt, result };
}

function refuseInvalid(invalid: string[]): void {
  if (invalid.length > 0) throw new QuizError(400, invalid.join(' '));
}

export type SaveOutcome = { kind: 'saved' } | { kind: 'timed-out'; result: AttemptResultDoc };

/** Replaces the saved answers of an open attempt. Nothing is written if any field is invalid. */
export async function saveAnswers(
  deps: QuizDeps,
  learner: Learner,
  courseId: string,
  n: number,
  form: AnswerForm,
  now: Date,
): Promise<SaveOutcome> {
  const { ctx, attempt, result } = await findLearnerAttempt(deps, learner, courseId, n, now);
  // The time limit closed it (perhaps just now, on this very request): show the result, change nothing.
  if (result?.timedOut) return { kind: 'timed-out', result };
  if (result)
    throw new QuizError(409, 'This attempt has already been submitted, so its answers can no longer change.');
  const read = readAnswerForm(questionMap(ctx.course), attempt.draw, choiceTokensFor(attempt), form);
  refuseInvalid(read.invalid);
  if (isPastDeadline(now, attempt.deadline)) {
    // Within the grace period the answers that just arrived are the learner's last word.
    const late = acceptsSubmittedAnswers(now, attempt.deadline) ? read.answers : attempt.answers;
    return {
      kind: 'timed-out',
      result: (await gradeAndRecord(deps, ctx.course, ctx.cycle, attempt, late, now)).result,
    };
  }
  await attemptsRepository(deps.models).saveAnswers(attempt._id, read.answers, now);
  return { kind: 'saved' };
}

export type SubmitOutcome =
  | { kind: 'graded'; result: AttemptResultDoc }
  | { kind: 'incomplete'; unanswered: string[]; answers: ReturnType<typeof readAnswerForm>['answers'] };

/**
 * Submits an attempt: every question must be answered (unless the time is up, when blanks score 0).
 * Re-submitting a graded attempt returns its result unchanged.
 */
export async function submitAttempt(
  deps: QuizDeps,
  learner: Learner,
  courseId: string,
  n: number,
  form: AnswerForm,
  now: Date,
): Promise<SubmitOutcome> {
  const { ctx, attempt, result } = await findLearnerAttempt(deps, learner, courseId, n, now);
  if (result) return { kind: 'graded', result };
  const read = readAnswerForm(questionMap(ctx.course), attempt.draw, choiceTokensFor(attempt), form);
  refuseInvalid(read.invalid);
  const timeUp = isPastDeadline(now, attempt.deadline);
  if (!timeUp && read.unanswered.length > 0)
    return { kind: 'incomplete', unanswered: read.unanswered, answers: read.answers };
  const answers = acceptsSubmittedAnswers(now, attempt.deadline) ? read.answers : attempt.answers;
  return {
    kind: 'graded',
    result: (await gradeAndRecord(deps, ctx.course, ctx.cycle, attempt, answers, now)).result,
  };
}
