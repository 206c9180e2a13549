import { cycleKey } from '../../db/keys.js';
import type { AttemptDoc, AttemptResultDoc } from '../../db/models/quiz.js';
import type { CycleDoc } from '../../db/models/training.js';
import type { UserDoc } from '../../db/models/user.js';
import { attemptsRepository } from '../../db/repositories/attempts.js';
import { trainingRepository } from '../../db/repositories/training.js';
import type { Course } from '../../domain/course.js';
import { Conflict, Invalid, NotFound } from '../../domain/errors.js';
import { attemptsAllowed } from '../../domain/quiz/index.js';
import type { ServiceContext } from '../context.js';
import { quizCourse } from './course.js';

export interface PersonAttempts {
  person: UserDoc;
  course: Course;
  cycle: CycleDoc;
  allowed: number;
  attempts: Array<{ attempt: AttemptDoc; result: AttemptResultDoc | null }>;
}

async function currentCycleOf(ctx: ServiceContext, userId: string, courseId: string) {
  const course = quizCourse(ctx.courses, courseId);
  const person = await ctx.models.User.findById(userId).lean<UserDoc>();
  if (!person) throw new NotFound('quiz.errors.noPerson');
  const training = trainingRepository(ctx.models);
  const assignment = await training.findAssignment(userId, courseId);
  const cycle = assignment ? await training.findCycle(cycleKey(userId, courseId, assignment.cycleNo)) : null;
  if (!cycle) throw new NotFound('quiz.errors.notStarted');
  return { course, person, cycle };
}

/** A person's attempts in their current cycle of a course, for HR. Reads only, so it takes no time. */
export async function listPersonAttempts(
  ctx: ServiceContext,
  input: { userId: string; courseId: string },
): Promise<PersonAttempts> {
  const { course, person, cycle } = await currentCycleOf(ctx, input.userId, input.courseId);
  const allowed = attemptsAllowed(course.quiz, cycle);
  const repo = attemptsRepository(ctx.models);
  const { attempts, results } = await repo.listAttempts(cycle._id, allowed + 1);
  const byId = new Map(results.map((r) => [r._id, r]));
  return {
    person,
    course,
    cycle,
    allowed,
    attempts: attempts.map((attempt) => ({ attempt, result: byId.get(attempt._id) ?? null })),
  };
}

/**
 * HR grants extra attempts in the person's current cycle. A single-document `$set` of the new
 * total: two grants racing could lose one, which HR sees on the page and both are in the audit log.
 * A reason that is blank once trimmed is `Invalid`, checked before anything is read (HR's page
 * then shows the form again, and answers 404 for an unknown person as it did before).
 */
export async function grantAttempts(
  ctx: ServiceContext,
  input: { actorId: string; userId: string; courseId: string; count: number; reason: string; now: Date },
): Promise<{ extraAttempts: number }> {
  const { actorId, userId, courseId, count, now } = input;
  const reason = input.reason.trim();
  if (reason.length === 0) throw new Invalid('quiz.errors.reason');
  const { cycle } = await currentCycleOf(ctx, userId, courseId);
  if (cycle.passedAt) throw new Conflict('quiz.errors.alreadyPassed');
  const extraAttempts = (cycle.extraAttempts ?? 0) + count;
  await trainingRepository(ctx.models).updateCycle(cycle._id, { extraAttempts, exhaustedAt: null });
  await ctx.audit.append(
    {
      actorId,
      action: 'attempts.granted',
      targetType: 'cycle',
      targetId: cycle._id,
      subjectId: userId,
      details: { courseId, count, extraAttempts, reason },
    },
    now,
  );
  return { extraAttempts };
}
