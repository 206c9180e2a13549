import { assignmentKey, cycleKey } from '../../db/keys.js';
import type { Models } from '../../db/models/index.js';
import type { AssignmentDoc, CycleDoc } from '../../db/models/training.js';
import { trainingRepository } from '../../db/repositories/training.js';
import type { Course } from '../../domain/course.js';
import { personCopy } from '../../domain/person-copy.js';
import type { ServiceContext } from '../context.js';

export interface Learner {
  id: string;
  department: string;
}

/**
 * Enrols a learner in a course if nobody has yet, and returns the cycle they are working on now.
 * A person who opens a course they were not assigned gets a self-enrolment (source "self", no due
 * date), so learning never depends on HR having set something up first.
 */
export async function ensureEnrolled(
  ctx: ServiceContext,
  input: { learner: Learner; course: Course; now: Date },
): Promise<{ assignment: AssignmentDoc; cycle: CycleDoc }> {
  const { learner, course, now } = input;
  const { models } = ctx;
  const repo = trainingRepository(models);
  let assignment = await repo.findAssignment(learner.id, course.id);
  if (!assignment) {
    const person = await models.User.findById(learner.id, {
      managerId: 1,
      name: 1,
      email: 1,
      region: 1,
      locale: 1,
    }).lean();
    assignment = await repo.ensureAssignment({
      _id: assignmentKey(learner.id, course.id),
      userId: learner.id,
      courseId: course.id,
      ...personCopy({
        department: learner.department,
        managerId: person?.managerId,
        name: person?.name ?? '',
        email: person?.email ?? '',
        region: person?.region ?? null,
        locale: person?.locale ?? '',
      }),
      source: 'self',
      ruleId: null,
      assignedAt: now,
      assignedBy: learner.id,
      active: true,
      cycleNo: 1,
      dueAt: null,
      state: 'not-started',
      completedAt: null,
      expiresAt: null,
      updatedAt: now,
    });
  }
  const id = cycleKey(learner.id, course.id, assignment.cycleNo);
  const cycle =
    (await repo.findCycle(id)) ??
    (await repo.ensureCycle(newCycle(learner.id, course, assignment.cycleNo, now, assignment.dueAt)));
  return { assignment, cycle };
}

/** What an assignment says once it moves into a new, unstarted cycle `cycleNo`. */
export function openedCycleFields(
  cycleNo: number,
  dueAt: Date | null,
  state: string,
  now: Date,
  requirement: CycleDoc['requirement'] = 'full',
) {
  return {
    cycleNo,
    dueAt,
    requirement,
    assignedAt: now,
    completedAt: null,
    expiresAt: null,
    state,
    updatedAt: now,
  };
}

export function newCycle(
  userId: string,
  course: Course,
  n: number,
  now: Date,
  dueAt: Date | null,
  requirement: CycleDoc['requirement'] = 'full',
): CycleDoc {
  return {
    _id: cycleKey(userId, course.id, n),
    userId,
    courseId: course.id,
    n,
    openedAt: now,
    dueAt,
    requirement,
    contentVersion: course.version,
    startedAt: null,
    passedAt: null,
    passedAttemptId: null,
    score: null,
    extraAttempts: 0,
    attestedAt: null,
    attestedVersion: null,
    completedAt: null,
    expiresAt: null,
    certificateCode: null,
  };
}

/**
 * The learner's first action in a cycle (a lesson view or a quiz attempt) starts it: the cycle gets
 * `startedAt` and a not-started assignment summary becomes in-progress. Later states (overdue,
 * completed…) belong to the cycle rules and the sweep, so only not-started is ever moved here.
 * Returns the cycle as it now stands (read after whatever the caller wrote first), or null.
 * A caller that has just read the cycle and the assignment calls `trainingRepository(models).startCycle`.
 */
export async function markCycleStarted(models: Models, cycleId: string, now: Date): Promise<CycleDoc | null> {
  const repo = trainingRepository(models);
  const cycle = await repo.findCycle(cycleId);
  if (!cycle || cycle.startedAt) return cycle;
  await repo.startCycle(cycle, await repo.findAssignment(cycle.userId, cycle.courseId), now);
  return { ...cycle, startedAt: now };
}
