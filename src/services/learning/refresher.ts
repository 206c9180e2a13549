import { attemptKey, cycleKey, policyVersionKey, pretestAttemptKey } from '../../db/keys.js';
import type { Models } from '../../db/models/index.js';
import type { PolicyVersionDoc } from '../../db/models/policy.js';
import type { AssignmentDoc, CycleDoc, RefresherRecord } from '../../db/models/training.js';
import { trainingRepository } from '../../db/repositories/training.js';
import type { Course } from '../../domain/course.js';
import { Conflict } from '../../domain/errors.js';
import {
  changedSince,
  declinedPath,
  isRefresherCycle,
  onShortPath,
  pretestPlan,
  shortPathStudy,
  withChangedClauses,
} from '../../domain/mastery/refresher-path.js';
import { attestedVersions, versionsSince } from '../../domain/reattestation.js';
import { loadSettings } from '../assignments/course-settings.js';
import { ensureEnrolled, type Learner } from '../assignments/enrollment.js';
import type { ServiceContext } from '../context.js';
import { previousAttestation } from '../records/reattestation.js';

/**
 * The start of a refresher cycle (issue #23): whether the learner is offered the check of what they
 * still know, and the choice to decline it. The pre-assessment itself is a quiz attempt
 * (services/quiz/pretest.ts).
 */

/** Clauses changed since the policy version the learner last attested (one query over a handful of versions). */
export async function changedClausesFor(models: Models, course: Course, attested: number): Promise<string[]> {
  const ids = versionsSince(attested, course.policyVersion).map((n) => policyVersionKey(course.id, n));
  if (ids.length === 0) return [];
  const versions = await models.PolicyVersion.find({ _id: { $in: ids } }).lean<PolicyVersionDoc[]>();
  return changedSince(course, versions, attested);
}

/** Clauses changed since the learner's last attestation, as the course is published now. */
export async function changedClausesNow(models: Models, course: Course, cycle: CycleDoc): Promise<string[]> {
  const previous = await previousAttestation(models, cycle);
  if (!previous) return [];
  return changedClausesFor(models, course, attestedVersions(previous).policyVersion);
}

/**
 * Brings a decided short path up to the policy version published now (a version may be published
 * while the cycle is open): clauses changed since the learner's last attestation move from tested
 * out to study, and a pass the pre-assessment gave no longer counts once there is something to
 * study (the learner studies those sections and takes the quiz on them). One write by `_id`, only
 * when the record names an older version (or none, on records written before it was kept).
 */
export async function refreshForPolicyVersion(
  ctx: ServiceContext,
  input: { course: Course; cycle: CycleDoc; now: Date },
): Promise<CycleDoc> {
  const { course, cycle, now } = input;
  const r = cycle.refresher;
  if (!r || !onShortPath(r) || cycle.completedAt || r.policyVersion === course.policyVersion) return cycle;
  const next = withChangedClauses(course, r, await changedClausesNow(ctx.models, course, cycle));
  const refresher: RefresherRecord = {
    ...r,
    changed: next.changed,
    testedOut: next.testedOut,
    study: next.study,
    policyVersion: course.policyVersion,
  };
  const set: Partial<CycleDoc> = { refresher };
  if (next.added.length > 0 && cycle.passedAt && cycle.passedAttemptId === r.pretestAttemptId)
    Object.assign(set, { passedAt: null, passedAttemptId: null, score: null });
  await trainingRepository(ctx.models).updateCycle(cycle._id, set);
  if (next.added.length > 0)
    await ctx.audit.append(
      {
        actorId: cycle.userId,
        action: 'refresher.changed',
        targetType: 'cycle',
        targetId: cycle._id,
        subjectId: cycle.userId,
        details: {
          courseId: course.id,
          policyVersion: course.policyVersion,
          added: next.added,
          study: next.study,
        },
      },
      now,
    );
  return { ...cycle, ...set };
}

/** Where a refresher stands before the pre-assessment: allowed (with the learner's last attested version) or why not. */
/** `reason` is a message key (learn.refresher.*): the error the learner sees when the check is refused. */
export type PretestEligibility = { ok: true; attestedVersion: number } | { ok: false; reason: string };

/**
 * May this cycle start with a pre-assessment? A refresher cycle (n > 1, the full course, someone who
 * attested before), test-out on for the course, nothing chosen yet and no quiz attempt begun.
 */
export async function pretestEligibility(
  ctx: ServiceContext,
  input: { course: Course; cycle: CycleDoc; now: Date },
): Promise<PretestEligibility> {
  const { course, cycle, now } = input;
  const no = (reason: string): PretestEligibility => ({ ok: false, reason });
  if (cycle.n <= 1 || cycle.requirement !== 'full') return no('learn.refresher.notRefresher');
  if (cycle.refresher?.status === 'decided') return no('learn.refresher.alreadyChosen');
  if (cycle.completedAt || cycle.passedAt) return no('learn.refresher.alreadyFinished');
  const [settings, quizBegun, previous] = await Promise.all([
    loadSettings(ctx.models, course, now),
    ctx.models.Attempt.exists({ _id: attemptKey(cycle._id, 1) }),
    previousAttestation(ctx.models, cycle),
  ]);
  if (settings.testOut === false) return no('learn.refresher.noTestOut');
  if (quizBegun) return no('learn.refresher.quizBegun');
  if (!isRefresherCycle(cycle, previous !== null)) return no('learn.refresher.notRefresher');
  return { ok: true, attestedVersion: attestedVersions(previous!).policyVersion };
}

/** What the course page shows at the start of a refresher cycle. */
export type RefresherStanding =
  | { kind: 'offer'; questions: number; changed: number }
  | { kind: 'pending' }
  | { kind: 'short'; refresher: RefresherRecord }
  | null;

/**
 * The refresher as the course page shows it: the offer (with about how many questions), the check
 * under way, or the short path decided. Null for every other cycle, which reads nothing more.
 */
export async function refresherStanding(
  ctx: ServiceContext,
  input: { course: Course; cycle: CycleDoc | null; now: Date },
): Promise<RefresherStanding> {
  const { course, now } = input;
  let cycle = input.cycle;
  if (cycle?.refresher && onShortPath(cycle.refresher)) {
    cycle = await refreshForPolicyVersion(ctx, { course, cycle, now });
    return { kind: 'short', refresher: cycle.refresher! };
  }
  if (!cycle || cycle.n <= 1 || cycle.requirement !== 'full' || cycle.completedAt) return null;
  if (cycle.refresher?.status === 'pending') return { kind: 'pending' };
  const eligible = await pretestEligibility(ctx, { course, cycle, now });
  if (!eligible.ok) return null;
  const changed = await changedClausesFor(ctx.models, course, eligible.attestedVersion);
  // At least one question per unchanged clause (two for one missed last time, known at the start).
  const questions = pretestPlan(course, changed, null).length;
  return { kind: 'offer', questions, changed: changed.length };
}

/**
 * The learner declines the check: the full path, every clause studied, recorded on the cycle so
 * the evidence pack says so. Refused once a pre-assessment has begun (it decides the path).
 */
export async function declineTestOut(
  ctx: ServiceContext,
  input: { learner: Learner; courseId: string; now: Date },
): Promise<void> {
  const { learner, now } = input;
  const course = ctx.courses.get(input.courseId);
  if (!course) throw new Conflict('learn.notFound.noSuchCourse');
  const { cycle } = await ensureEnrolled(ctx, { learner, course, now });
  if (cycle.refresher?.status === 'decided' && cycle.refresher.pretestAttemptId === null) return;
  const begun = new Conflict('learn.refresher.begun');
  // The check's attempt insert is the guard: once it exists (even before its record), no decline.
  const checkExists = () => ctx.models.Attempt.exists({ _id: pretestAttemptKey(cycle._id) });
  if (cycle.refresher || (await checkExists())) throw begun;
  const eligible = await pretestEligibility(ctx, { course, cycle, now });
  if (!eligible.ok) throw new Conflict(eligible.reason);
  const changed = await changedClausesFor(ctx.models, course, eligible.attestedVersion);
  const path = { changed, decidedAt: now, policyVersion: course.policyVersion };
  const refresher: RefresherRecord = {
    status: 'decided',
    pretestAttemptId: null,
    ...declinedPath(course),
    ...path,
  };
  const training = trainingRepository(ctx.models);
  await training.updateCycle(cycle._id, { refresher });
  // A check started at the same moment wins (its insert is the guard): put its pending record back.
  if (await checkExists()) {
    const pending: RefresherRecord = {
      status: 'pending',
      pretestAttemptId: pretestAttemptKey(cycle._id),
      testedOut: [],
      study: [],
      ...path,
      decidedAt: null,
    };
    await training.updateCycle(cycle._id, { refresher: pending });
    throw begun;
  }
  await ctx.audit.append(
    {
      actorId: learner.id,
      action: 'refresher.declined',
      targetType: 'cycle',
      targetId: cycle._id,
      subjectId: learner.id,
      details: { courseId: course.id, changed },
    },
    now,
  );
}

/**
 * The clauses a lesson page shows sections for: the study clauses on a refresher's short path,
 * else null (the whole lesson). Reads the cycle by `_id` only for a full cycle after the first.
 */
export async function studyClausesOf(
  ctx: ServiceContext,
  input: { assignment: AssignmentDoc },
): Promise<string[] | null> {
  const { assignment } = input;
  if (assignment.cycleNo <= 1 || assignment.requirement === 'attest-only') return null;
  const id = cycleKey(assignment.userId, assignment.courseId, assignment.cycleNo);
  const cycle = await trainingRepository(ctx.models).findCycle(id);
  const study = shortPathStudy(cycle?.refresher);
  return study ? [...study] : null;
}
