import type { AttemptResultDoc } from '../../db/models/quiz.js';
import type { CycleDoc, RefresherRecord } from '../../db/models/training.js';
import { trainingRepository } from '../../db/repositories/training.js';
import type { Course } from '../../domain/course.js';
import { decidePath, declinedPath } from '../../domain/mastery/refresher-path.js';
import { loadSettings } from '../assignments/course-settings.js';
import type { ServiceContext } from '../context.js';
import { changedClausesNow } from '../learning/refresher.js';
import { questionMap } from './course.js';

/**
 * What a graded pre-assessment means for its refresher cycle: the clauses tested out of and those to
 * study, on the cycle (one write by `_id`, the same values on every repeat). With nothing to study
 * the pre-assessment stands as the cycle's assessment: its score is the cycle's pass, and only the
 * attestation is left. The decision is audited by the request that graded it (`announce`), once.
 */
export async function recordPretestOutcome(
  ctx: ServiceContext,
  input: { course: Course; cycle: CycleDoc; result: AttemptResultDoc; now: Date; announce: boolean },
): Promise<CycleDoc> {
  const { course, cycle, result, now } = input;
  if (cycle.refresher?.status === 'decided') return cycle;
  const questions = questionMap(course);
  const graded = result.questions.map((g) => ({
    questionId: g.questionId,
    points: g.points,
    clauses: questions.get(g.questionId)?.clauses ?? [],
  }));
  // A version published since the check began may have changed more clauses: work them out again.
  const [changed, settings] = await Promise.all([
    cycle.refresher?.policyVersion === course.policyVersion
      ? cycle.refresher.changed
      : changedClausesNow(ctx.models, course, cycle),
    loadSettings(ctx.models, course, now),
  ]);
  // HR switched test-out off while the check was open: the full path, the check kept as evidence.
  const fullPath = settings.testOut === false;
  const decision = fullPath ? declinedPath(course) : decidePath(course, changed, graded);
  const refresher: RefresherRecord = {
    status: 'decided',
    pretestAttemptId: result._id,
    changed,
    ...decision,
    decidedAt: result.submittedAt,
    policyVersion: course.policyVersion,
    ...(fullPath ? { fullPath: true } : {}),
  };
  const set: Partial<CycleDoc> = { refresher };
  if (decision.study.length === 0 && !cycle.passedAt)
    Object.assign(set, { passedAt: result.submittedAt, passedAttemptId: result._id, score: result.score });
  await trainingRepository(ctx.models).updateCycle(cycle._id, set);
  if (input.announce) {
    await ctx.audit.append(
      {
        actorId: result.userId,
        action: 'refresher.decided',
        targetType: 'cycle',
        targetId: cycle._id,
        subjectId: result.userId,
        details: {
          courseId: course.id,
          pretestAttemptId: result._id,
          score: result.score,
          changed,
          ...decision,
          ...(fullPath ? { fullPath: true } : {}),
        },
      },
      now,
    );
  }
  return { ...cycle, ...set };
}
