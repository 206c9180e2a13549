import { cycleKey, lessonViewKey } from '../../db/keys.js';
import type { AssignmentDoc, CycleDoc, ProgressDoc } from '../../db/models/training.js';
import { progressRepository, viewedLessons } from '../../db/repositories/progress.js';
import { trainingRepository } from '../../db/repositories/training.js';
import { couldComplete } from '../../domain/completion.js';
import type { Course, Lesson } from '../../domain/course.js';
import { ensureEnrolled, type Learner, markCycleStarted } from '../assignments/enrollment.js';
import type { ServiceContext } from '../context.js';
import { evaluateCompletion } from '../records/completion.js';
import { xapiHooks } from '../xapi/hooks.js';

export { viewedLessons };

export const lessonPath = (courseId: string, lessonId: string) => `/learn/${courseId}/lessons/${lessonId}`;

/**
 * Where "Resume" goes: the last place the learner was in this course, else the first lesson
 * not yet viewed, else the first lesson. A stored location outside the course is ignored.
 */
export function resumeLocation(
  course: Course,
  lastLocation: string | null,
  viewed: ReadonlySet<string>,
): string {
  if (lastLocation?.startsWith(`/learn/${course.id}/`)) return lastLocation;
  const next = course.lessons.find((l) => !viewed.has(l.id)) ?? course.lessons[0];
  return next ? lessonPath(course.id, next.id) : `/learn/${course.id}`;
}

/**
 * Records that the learner opened a lesson, and moves their resume point there. Returns the
 * assignment read, whose copy of the person's region decides the notices the lesson shows.
 *
 * A repeat view reads only: the assignment and the progress summary by `_id`, plus one write when
 * the resume point moves (the learner went back to an earlier lesson). Only when the summary does
 * not list the lesson yet do we insert the durable lesson_views record (insert-once per cycle and
 * lesson), then list it in the summary and, for a genuinely new view, audit it and re-check
 * completion. The summary entry is written only AFTER the insert, so "listed in the summary"
 * always implies "recorded in lesson_views".
 */
export async function recordLessonView(
  ctx: ServiceContext,
  input: { learner: Learner; course: Course; lesson: Lesson; now: Date },
): Promise<{ cycleId: string; progress: ProgressDoc; firstView: boolean; assignment: AssignmentDoc }> {
  const { learner, course, lesson, now } = input;
  const { models } = ctx;
  const progressRepo = progressRepository(models);
  const assignment =
    (await trainingRepository(models).findAssignment(learner.id, course.id)) ??
    // First visit to a course nobody assigned: self-enrol (creates the assignment and cycle 1).
    (await ensureEnrolled(ctx, { learner, course, now })).assignment;
  const cycleId = cycleKey(learner.id, course.id, assignment.cycleNo);
  const owner = { userId: learner.id, courseId: course.id };
  const location = lessonPath(course.id, lesson.id);

  const stored = await progressRepo.findProgress(cycleId);
  if (stored?.viewed?.[lesson.id]) {
    // Listed, so recorded: a repeat view. Write only to move the resume point: FerretDB serialises writes.
    if (stored.lastLocation === location) return { cycleId, progress: stored, firstView: false, assignment };
    await progressRepo.save(cycleId, owner, { lastLocation: location }, now);
    const moved = { ...stored, lastLocation: location, updatedAt: now };
    return { cycleId, progress: moved, firstView: false, assignment };
  }

  // Not listed: a first view, or an entry that a racing write dropped from the summary.
  const view = { _id: lessonViewKey(cycleId, lesson.id), cycleId, ...owner, lessonId: lesson.id, at: now };
  const firstView = await progressRepo.insertLessonView(view);
  const viewed = { [lesson.id]: now };
  await progressRepo.save(cycleId, owner, { lastLocation: location, viewed }, now);
  // Not listed in the summary: also a repeat after a crash, which names the same statement.
  await xapiHooks.lessonCompleted(ctx, view, now);
  const progress: ProgressDoc = {
    _id: cycleId,
    ...owner,
    viewed: { ...stored?.viewed, ...viewed },
    lastLocation: location,
    updatedAt: now,
  };
  if (firstView) {
    await ctx.audit.append(
      {
        actorId: learner.id,
        subjectId: learner.id,
        action: 'lesson.viewed',
        targetType: 'cycle',
        targetId: cycleId,
        details: { courseId: course.id, lessonId: lesson.id, contentVersion: course.version },
      },
      now,
    );
    // Read after the lesson was recorded: a pass or attestation written later re-checks completion
    // itself, so a cycle that lacks them here cannot be complete and needs no lesson reads.
    const cycle = await markCycleStarted(models, cycleId, now);
    if (cycle && !stored) await xapiHooks.cycleLaunched(ctx, cycle, course, now);
    if (cycle && couldComplete(course, cycle)) await evaluateCompletion(ctx, { cycleId, now });
  }
  return { cycleId, progress, firstView, assignment };
}

export interface CourseProgress {
  assignment: AssignmentDoc | null;
  cycle: CycleDoc | null;
  /** Lesson ids viewed in the current cycle. */
  viewed: Set<string>;
  resume: string;
  started: boolean;
}

/**
 * The learner's standing in one course for the overview page, read from lesson_views (the truth).
 * Reads only: a learner who has not started yet is not enrolled by looking.
 * Repairs the progress summary when a racing update dropped an entry from it.
 */
export async function courseProgress(
  ctx: ServiceContext,
  input: { userId: string; course: Course },
): Promise<CourseProgress> {
  const { userId, course } = input;
  const { models } = ctx;
  const training = trainingRepository(models);
  const assignment = await training.findAssignment(userId, course.id);
  if (!assignment) {
    return {
      assignment: null,
      cycle: null,
      viewed: new Set(),
      resume: resumeLocation(course, null, new Set()),
      started: false,
    };
  }
  const cycleId = cycleKey(userId, course.id, assignment.cycleNo);
  const progressRepo = progressRepository(models);
  const [cycle, progress, views] = await Promise.all([
    training.findCycle(cycleId),
    progressRepo.findProgress(cycleId),
    viewedLessons(models, cycleId, course),
  ]);
  const missing = [...views].filter(([lessonId]) => !progress?.viewed?.[lessonId]);
  if (progress && missing.length > 0) await progressRepo.markViewed(cycleId, Object.fromEntries(missing));
  const viewed = new Set(views.keys());
  return {
    assignment,
    cycle,
    viewed,
    resume: resumeLocation(course, progress?.lastLocation ?? null, viewed),
    started: progress !== null,
  };
}

export interface TrainingSummary {
  course: Course;
  assignment: AssignmentDoc | null;
  cycle: CycleDoc | null;
  viewedCount: number;
  resume: string;
}

/**
 * "My training": every course with the learner's assignment, cycle and progress summary.
 * Per course: the assignment by `_id`, then its cycle and progress summary in parallel.
 */
export async function myTraining(ctx: ServiceContext, input: { userId: string }): Promise<TrainingSummary[]> {
  const { userId } = input;
  const training = trainingRepository(ctx.models);
  const progressRepo = progressRepository(ctx.models);
  return Promise.all(
    // Each course through `get`, which answers in the learner's page language (values() is the source).
    [...ctx.courses.keys()].map(async (id): Promise<TrainingSummary> => {
      const course = ctx.courses.get(id)!;
      const assignment = await training.findAssignment(userId, course.id);
      if (!assignment) {
        return {
          course,
          assignment: null,
          cycle: null,
          viewedCount: 0,
          resume: resumeLocation(course, null, new Set()),
        };
      }
      const cycleId = cycleKey(userId, course.id, assignment.cycleNo);
      const [cycle, progress] = await Promise.all([
        training.findCycle(cycleId),
        progressRepo.findProgress(cycleId),
      ]);
      const viewed = new Set(course.lessons.filter((l) => progress?.viewed?.[l.id]).map((l) => l.id));
      return {
        course,
        assignment,
        cycle,
        viewedCount: viewed.size,
        resume: resumeLocation(course, progress?.lastLocation ?? null, viewed),
      };
    }),
  );
}
