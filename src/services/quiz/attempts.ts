import { randomBytes } from 'node:crypto';
import { attemptKey } from '../../db/keys.js';
import type { AttemptDoc, AttemptResultDoc } from '../../db/models/quiz.js';
import type { CycleDoc } from '../../db/models/training.js';
import { attemptsRepository } from '../../db/repositories/attempts.js';
import { trainingRepository } from '../../db/repositories/training.js';
import { Conflict, InvalidAll, NotFound } from '../../domain/errors.js';
import { courseForJurisdictions } from '../../domain/jurisdictions.js';
import { isStaleShortPath, quizDrawPlan } from '../../domain/mastery/refresher-path.js';
import type { Region } from '../../domain/org-profile.js';
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
import type { ServiceContext } from '../context.js';
import { jurisdictionsOf } from '../learning/jurisdictions.js';
import { refreshForPolicyVersion } from '../learning/refresher.js';
import { xapiHooks } from '../xapi/hooks.js';
import { choiceTokensFor, newChoiceKey } from './choice-tokens.js';
import { questionMap } from './course.js';
import { loadQuizContext, type QuizContext } from './overview.js';
import { applyResult, gradeAndRecord } from './record-result.js';

/** Why a new attempt cannot start, in words a learner can act on. */
function refusal(quiz: QuizContext, now: Date): Conflict {
  const s = quiz.status.state;
  switch (s.kind) {
    case 'not-required':
      return new Conflict(
        quiz.cycle.requirement === 'attest-only' ? 'quiz.errors.attestOnly' : 'quiz.errors.testedOut',
      );
    case 'passed':
      return new Conflict('quiz.errors.passed');
    case 'cooldown':
      return new Conflict('quiz.errors.cooldown', { minutes: minutesUntil(s.availableAt, now) });
    case 'exhausted':
      return new Conflict('quiz.errors.exhausted');
    default:
      return new Conflict('quiz.errors.cannotStart');
  }
}

/** Which attempt of whose course, as every attempt command names it. */
export interface AttemptRef {
  learner: Learner;
  courseId: string;
  /** The attempt number in the learner's current cycle (1, 2, ...). */
  n: number;
  now: Date;
}

function newAttempt(
  quiz: QuizContext,
  learner: Learner,
  n: number,
  now: Date,
  jurisdictions: readonly Region[],
  seen: ReadonlySet<string>,
): AttemptDoc {
  const { course, cycle } = quiz;
  // Questions marked for other jurisdictions never enter this learner's pool.
  const pool = courseForJurisdictions(course, jurisdictions).questions;
  // A refresher's short path draws from the clauses left to study (issue #23), not the check's questions.
  const plan = quizDrawPlan(course, pool, cycle.refresher, seen);
  const seed = randomBytes(8).toString('hex');
  return {
    _id: attemptKey(cycle._id, n),
    userId: learner.id,
    courseId: course.id,
    cycleId: cycle._id,
    n,
    contentVersion: course.version,
    seed,
    choiceKey: newChoiceKey(),
    draw: drawQuestions(plan.bank, plan.count, seededRng(seed)),
    answers: {},
    startedAt: now,
    deadline: deadlineFor(course.quiz, now),
    savedAt: null,
    status: 'open',
    purpose: 'quiz',
    scope: plan.scope,
  };
}

/** The questions of this cycle's pre-assessment (none without one): one read by `_id`. */
async function pretestQuestions(ctx: ServiceContext, cycle: CycleDoc): Promise<Set<string>> {
  const id = cycle.refresher?.pretestAttemptId;
  if (!id) return new Set();
  const pretest = await attemptsRepository(ctx.models).findAttempt(id);
  return new Set(pretest?.draw.map((d) => d.questionId) ?? []);
}

/**
 * Starts the next attempt, or returns the open one. Attempt n is an insert keyed `<cycleId>:<n>`,
 * so a double click (or two tabs) that both try to start attempt n end up with the same attempt.
 */
export async function startAttempt(
  ctx: ServiceContext,
  input: { learner: Learner; courseId: string; now: Date },
): Promise<number> {
  const { learner, now } = input;
  let quiz = await loadQuizContext(ctx, input);
  // A policy version published since the refresher's path was decided may add clauses to study.
  if (isStaleShortPath(quiz.course, quiz.cycle.refresher)) {
    await refreshForPolicyVersion(ctx, { course: quiz.course, cycle: quiz.cycle, now });
    quiz = await loadQuizContext(ctx, input);
  }
  const state = quiz.status.state;
  if (state.kind === 'open') return state.attemptNo;
  if (quiz.cycle.refresher?.status === 'pending') throw new Conflict('quiz.errors.pretestFirst');
  if (state.kind !== 'can-start') throw refusal(quiz, now);

  const { course, cycle } = quiz;
  const n = state.nextAttemptNo;
  // The assignment read above carries the person's region: no read of the person.
  const [jurisdictions, seen] = await Promise.all([
    jurisdictionsOf(ctx, { region: quiz.assignment.region }),
    pretestQuestions(ctx, cycle),
  ]);
  const attempt = newAttempt(quiz, learner, n, now, jurisdictions, seen);
  if (!(await attemptsRepository(ctx.models).insertAttempt(attempt))) return n;

  await ctx.audit.append(
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
  if (!cycle.startedAt) {
    await trainingRepository(ctx.models).startCycle(cycle, quiz.assignment, now);
    await xapiHooks.cycleLaunched(ctx, cycle, course, now);
  }
  return n;
}

export interface LearnerAttempt {
  quiz: QuizContext;
  attempt: AttemptDoc;
  result: AttemptResultDoc | null;
}

/** One of the learner's own attempts in the current cycle (another person's attempt is simply not found). */
export async function findLearnerAttempt(ctx: ServiceContext, input: AttemptRef): Promise<LearnerAttempt> {
  const { n, now } = input;
  const quiz = await loadQuizContext(ctx, input);
  const id = attemptKey(quiz.cycle._id, n);
  const attempt = quiz.attempts.find((a) => a._id === id);
  if (!attempt) throw new NotFound('quiz.errors.noAttempt');
  const result = quiz.results.find((r) => r._id === id) ?? null;
  // Repairs the follow-up writes if a crash came between the result insert and them.
  if (result && attempt.status === 'open')
    await applyResult(ctx, { course: quiz.course, cycle: quiz.cycle, result, now });
  return { quiz, attempt, result };
}

function readAnswers(quiz: QuizContext, attempt: AttemptDoc, form: AnswerForm) {
  const read = readAnswerForm(questionMap(quiz.course), attempt.draw, choiceTokensFor(attempt), form);
  if (read.invalid.length > 0) throw new InvalidAll(read.invalid);
  return read;
}

export type SaveOutcome = { kind: 'saved' } | { kind: 'timed-out'; result: AttemptResultDoc };

/** Replaces the saved answers of an open attempt. Nothing is written if any field is invalid. */
export async function saveAnswers(
  ctx: ServiceContext,
  input: AttemptRef & { form: AnswerForm },
): Promise<SaveOutcome> {
  const { now } = input;
  const { quiz, attempt, result } = await findLearnerAttempt(ctx, input);
  // The time limit closed it (perhaps just now, on this very request): show the result, change nothing.
  if (result?.timedOut) return { kind: 'timed-out', result };
  if (result) throw new Conflict('quiz.errors.submitted');
  const read = readAnswers(quiz, attempt, input.form);
  if (isPastDeadline(now, attempt.deadline)) {
    // Within the grace period the answers that just arrived are the learner's last word.
    const answers = acceptsSubmittedAnswers(now, attempt.deadline) ? read.answers : attempt.answers;
    const graded = await gradeAndRecord(ctx, {
      course: quiz.course,
      cycle: quiz.cycle,
      attempt,
      answers,
      now,
    });
    return { kind: 'timed-out', result: graded.result };
  }
  await attemptsRepository(ctx.models).saveAnswers(attempt._id, read.answers, now);
  return { kind: 'saved' };
}

export type SubmitOutcome =
  | { kind: 'graded'; result: AttemptResultDoc }
  | {
      kind: 'incomplete';
      unanswered: string[];
      answers: ReturnType<typeof readAnswerForm>['answers'];
      /** The attempt as read, so the page can be shown again without reading it twice. */
      attempt: LearnerAttempt;
    };

/**
 * Submits an attempt: every question must be answered (unless the time is up, when blanks score 0).
 * Re-submitting a graded attempt returns its result unchanged.
 */
export async function submitAttempt(
  ctx: ServiceContext,
  input: AttemptRef & { form: AnswerForm },
): Promise<SubmitOutcome> {
  const { now } = input;
  const found = await findLearnerAttempt(ctx, input);
  const { quiz, attempt, result } = found;
  if (result) return { kind: 'graded', result };
  const read = readAnswers(quiz, attempt, input.form);
  const timeUp = isPastDeadline(now, attempt.deadline);
  if (!timeUp && read.unanswered.length > 0)
    return { kind: 'incomplete', unanswered: read.unanswered, answers: read.answers, attempt: found };
  const answers = acceptsSubmittedAnswers(now, attempt.deadline) ? read.answers : attempt.answers;
  const graded = await gradeAndRecord(ctx, { course: quiz.course, cycle: quiz.cycle, attempt, answers, now });
  return { kind: 'graded', result: graded.result };
}
