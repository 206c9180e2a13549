import { randomBytes } from 'node:crypto';
import { cycleKey, pretestAttemptKey } from '../../db/keys.js';
import type { Models } from '../../db/models/index.js';
import type { AttemptDoc, AttemptResultDoc } from '../../db/models/quiz.js';
import type { CycleDoc, RefresherRecord } from '../../db/models/training.js';
import { attemptsRepository } from '../../db/repositories/attempts.js';
import { trainingRepository } from '../../db/repositories/training.js';
import type { Course } from '../../domain/course.js';
import { Conflict, InvalidAll } from '../../domain/errors.js';
import { courseForJurisdictions } from '../../domain/jurisdictions.js';
import { drawPretest, type LastAttempt, pretestPlan } from '../../domain/mastery/refresher-path.js';
import { type AnswerForm, readAnswerForm, seededRng } from '../../domain/quiz/index.js';
import { ensureEnrolled, type Learner } from '../assignments/enrollment.js';
import type { ServiceContext } from '../context.js';
import { jurisdictionsOf } from '../learning/jurisdictions.js';
import { practiceQuestionsSeen } from '../learning/practice.js';
import { changedClausesFor, pretestEligibility } from '../learning/refresher.js';
import { xapiHooks } from '../xapi/hooks.js';
import { choiceTokensFor, newChoiceKey } from './choice-tokens.js';
import { questionMap, quizCourse } from './course.js';
import { applyResult, gradeAndRecord } from './record-result.js';

/**
 * A refresher's pre-assessment (issue #23): a quiz attempt with purpose 'pretest', `_id`
 * `<cycleId>:pretest`, beside the numbered attempts so it never counts against the attempt limit.
 * It has no time limit and uses the quiz's machinery: opaque choice tokens, saved answers, and
 * grading exactly once (the result insert is the guard); the graded result decides the path.
 */

/** How many earlier attempts of a cycle to look through for its last graded one. */
const ATTEMPT_WALK = 20;

/**
 * The learner's last graded attempt before this cycle, quiz or pre-assessment: the questions served
 * (the last quiz's and that cycle's pre-assessment's, both seen lately) and its clause scores.
 */
async function lastGradedAttempt(models: Models, cycle: CycleDoc): Promise<LastAttempt | null> {
  const repo = attemptsRepository(models);
  for (let n = cycle.n - 1; n >= 1; n -= 1) {
    const id = cycleKey(cycle.userId, cycle.courseId, n);
    const [{ attempts, results }, pretest, pretestResult] = await Promise.all([
      repo.listAttempts(id, ATTEMPT_WALK),
      repo.findAttempt(pretestAttemptKey(id)),
      repo.findResult(pretestAttemptKey(id)),
    ]);
    const checked = pretest?.draw.map((d) => d.questionId) ?? [];
    const result = results.at(-1);
    const attempt = result && attempts.find((a) => a._id === result._id);
    if (result && attempt)
      return { questionIds: [...attempt.draw.map((d) => d.questionId), ...checked], clauses: result.clauses };
    if (pretestResult) return { questionIds: checked, clauses: pretestResult.clauses };
  }
  return null;
}

/**
 * Starts the pre-assessment, or finds the one begun. Refused (Conflict with the reason) when the
 * cycle is no refresher, test-out is off for the course, the path is chosen or the full quiz begun.
 */
export async function startPretest(
  ctx: ServiceContext,
  input: { learner: Learner; courseId: string; now: Date },
): Promise<void> {
  const { learner, now } = input;
  const course = quizCourse(ctx.courses, input.courseId);
  const { assignment, cycle } = await ensureEnrolled(ctx, { learner, course, now });
  if (cycle.refresher?.pretestAttemptId) return;
  const eligible = await pretestEligibility(ctx, { course, cycle, now });
  if (!eligible.ok) throw new Conflict(eligible.reason);
  const [changed, last, jurisdictions, practised] = await Promise.all([
    changedClausesFor(ctx.models, course, eligible.attestedVersion),
    lastGradedAttempt(ctx.models, cycle),
    jurisdictionsOf(ctx, { region: assignment.region }),
    practiceQuestionsSeen(ctx, { userId: learner.id, courseId: course.id }),
  ]);
  const plan = pretestPlan(course, changed, last);
  // Spaced practice showed its questions' answers: they are as "seen" as the last attempt's.
  const seen: LastAttempt = {
    questionIds: [...(last?.questionIds ?? []), ...practised],
    clauses: last?.clauses ?? {},
  };
  const pool = courseForJurisdictions(course, jurisdictions).questions;
  const seed = randomBytes(8).toString('hex');
  const attempt: AttemptDoc = {
    _id: pretestAttemptKey(cycle._id),
    userId: learner.id,
    courseId: course.id,
    cycleId: cycle._id,
    n: 0,
    contentVersion: course.version,
    seed,
    choiceKey: newChoiceKey(),
    draw: drawPretest(pool, plan, seen, seededRng(seed)),
    answers: {},
    startedAt: now,
    deadline: null,
    savedAt: null,
    status: 'open',
    purpose: 'pretest',
    scope: plan.map((p) => p.clauseId),
  };
  // A second click finds the first one's attempt: the insert is keyed by the cycle, and is the
  // guard against a decline at the same moment (which, seeing it, writes this pending record back).
  // The pending record is written again only when the cycle, as read, lacks it (a start cut short
  // after the insert).
  const inserted = await attemptsRepository(ctx.models).insertAttempt(attempt);
  if (!inserted && cycle.refresher) return;
  const refresher: RefresherRecord = {
    status: 'pending',
    pretestAttemptId: attempt._id,
    changed,
    testedOut: [],
    study: [],
    decidedAt: null,
    policyVersion: course.policyVersion,
  };
  const training = trainingRepository(ctx.models);
  await training.updateCycle(cycle._id, { refresher });
  if (!inserted) return;
  await ctx.audit.append(
    {
      actorId: learner.id,
      action: 'attempt.started',
      targetType: 'attempt',
      targetId: attempt._id,
      subjectId: learner.id,
      details: { courseId: course.id, purpose: 'pretest', contentVersion: course.version, changed },
    },
    now,
  );
  if (!cycle.startedAt) {
    await training.startCycle(cycle, assignment, now);
    await xapiHooks.cycleLaunched(ctx, cycle, course, now);
  }
}

export interface LearnerPretest {
  course: Course;
  cycle: CycleDoc;
  attempt: AttemptDoc;
  result: AttemptResultDoc | null;
}

/** The learner's pre-assessment in their current cycle (null before it starts); repairs a decision cut short. */
export async function findPretest(
  ctx: ServiceContext,
  input: { learner: Learner; courseId: string; now: Date },
): Promise<LearnerPretest | null> {
  const { learner, now } = input;
  const course = quizCourse(ctx.courses, input.courseId);
  const { cycle } = await ensureEnrolled(ctx, { learner, course, now });
  const repo = attemptsRepository(ctx.models);
  const id = pretestAttemptKey(cycle._id);
  const [attempt, result] = await Promise.all([repo.findAttempt(id), repo.findResult(id)]);
  if (!attempt) return null;
  if (result && (attempt.status === 'open' || cycle.refresher?.status !== 'decided')) {
    await applyResult(ctx, { course, cycle, result, now });
    const fresh = await trainingRepository(ctx.models).findCycle(cycle._id);
    return { course, cycle: fresh ?? cycle, attempt, result };
  }
  return { course, cycle, attempt, result };
}

/** The pre-assessment a form answers: answering one that was never started is a conflict with the cycle's state. */
async function pretestToAnswer(
  ctx: ServiceContext,
  input: { learner: Learner; courseId: string; now: Date },
): Promise<LearnerPretest> {
  const found = await findPretest(ctx, input);
  if (!found) throw new Conflict('quiz.errors.noPretest');
  return found;
}

function readAnswers(course: Course, attempt: AttemptDoc, form: AnswerForm) {
  const read = readAnswerForm(questionMap(course), attempt.draw, choiceTokensFor(attempt), form);
  if (read.invalid.length > 0) throw new InvalidAll(read.invalid);
  return read;
}

/** Replaces the saved answers of the open pre-assessment (nothing written if any field is invalid). */
export async function savePretestAnswers(
  ctx: ServiceContext,
  input: { learner: Learner; courseId: string; form: AnswerForm; now: Date },
): Promise<void> {
  const { course, attempt, result } = await pretestToAnswer(ctx, input);
  if (result) throw new Conflict('quiz.errors.pretestSubmitted');
  const read = readAnswers(course, attempt, input.form);
  await attemptsRepository(ctx.models).saveAnswers(attempt._id, read.answers, input.now);
}

export type PretestSubmitOutcome =
  | { kind: 'graded' }
  | {
      kind: 'incomplete';
      unanswered: string[];
      answers: ReturnType<typeof readAnswerForm>['answers'];
      pretest: LearnerPretest;
    };

/** Submits the pre-assessment: every question answered; graded once, a repeat finds the result. */
export async function submitPretest(
  ctx: ServiceContext,
  input: { learner: Learner; courseId: string; form: AnswerForm; now: Date },
): Promise<PretestSubmitOutcome> {
  const found = await pretestToAnswer(ctx, input);
  const { course, cycle, attempt, result } = found;
  if (result) return { kind: 'graded' };
  const read = readAnswers(course, attempt, input.form);
  if (read.unanswered.length > 0)
    return { kind: 'incomplete', unanswered: read.unanswered, answers: read.answers, pretest: found };
  await gradeAndRecord(ctx, { course, cycle, attempt, answers: read.answers, now: input.now });
  return { kind: 'graded' };
}
