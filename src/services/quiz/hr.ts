import { cycleKey } from '../../db/keys.js';
import type { AttemptDoc, AttemptResultDoc } from '../../db/models/quiz.js';
import type { CycleDoc } from '../../db/models/training.js';
import type { UserDoc } from '../../db/models/user.js';
import { attemptsRepository } from '../../db/repositories/attempts.js';
import { trainingRepository } from '../../db/repositories/training.js';
import type { Course } from '../../domain/course.js';
import { attemptsAllowed } from '../../domain/quiz/index.js';
import { courseOr404, type QuizDeps, QuizError } from './deps.js';

export interface PersonAttempts {
  person: UserDoc;
  course: Course;
  cycle: CycleDoc;
  allowed: number;
  attempts: Array<{ attempt: AttemptDoc; result: AttemptResultDoc | null }>;
}

async function currentCycleOf(deps: QuizDeps, userId: string, courseId: string) {
  const course = courseOr404(deps, courseId);
  const person = await deps.models.User.findById(userId).lean<UserDoc>();
  if (!person) throw new QuizError(404, 'There is no such person.');
  const training = trainingRepository(deps.models);
  const assignment = await training.findAssignment(userId, courseId);
  const cycle = assignment ? await training.findCycle(cycleKey(userId, courseId, assignment.cycleNo)) : null;
  if (!cycle) throw new QuizError(404, 'This person has not started this course.');
  return { course, person, cycle };
}

/** A person's attempts in their current cycle of a course, for HR. */
export async function listPersonAttempts(
  deps: QuizDeps,
  userId: string,
  courseId: string,
): Promise<PersonAttempts> {
  const { course, person, cycle } = await currentCycleOf(deps, userId, courseId);
  const allowed = attemptsAllowed(course.quiz, cycle);
  const repo = attemptsRepository(deps.models);
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
 */
export async function grantAttempts(
  deps: QuizDeps,
  actorId: string,
  input: { userId: string; courseId: string; count: number; reason: string },
  now: Date,
): Promise<{ extraAttempts: number }> {
  const { cycle } = await currentCycleOf(deps, input.userId, input.courseId);
  if (cycle.passedAt) throw new QuizError(409, 'This person has already passed the quiz in this cycle.');
  const extraAttempts = (cycle.extraAttempts ?? 0) + input.count;
  await trainingRepository(deps.models).updateCycle(cycle._id, { extraAttempts, exhaustedAt: null });
  await deps.audit.append(
    {
      actorId,
      action: 'attempts.granted',
      targetType: 'cycle',
      targetId: cycle._id,
      subjectId: input.userId,
      details: { courseId: input.courseId, count: input.count, extraAttempts, reason: input.reason },
    },
    now,
  );
  return { extraAttempts };
}
