import { assignmentKey, cycleKey, lessonViewKey } from '../../db/keys.js';
import type { Models } from '../../db/models/index.js';
import type { CycleDoc } from '../../db/models/training.js';
import { progressRepository } from '../../db/repositories/progress.js';
import { trainingRepository } from '../../db/repositories/training.js';
import { type CompletionStatus, completionStatus, couldComplete } from '../../domain/completion.js';
import type { Course } from '../../domain/course.js';
import { expiryFor } from '../../domain/recertification.js';
import { recertificationPolicy } from '../assignments/course-settings.js';
import type { AuditLog } from '../audit/log.js';
import { issueCertificate } from './certificates.js';

export interface CompletionDeps {
  models: Models;
  audit: AuditLog;
  courses: Map<string, Course>;
}

/**
 * Lesson ids viewed in a cycle. The progress summary comes first: a lesson it lists is recorded in
 * lesson_views (the summary is written only after that insert). Only lessons it does not list are
 * checked in lesson_views, one `findById` each (FerretDB indexes only `_id`; never a scan), since a
 * racing summary write may have dropped them.
 */
export async function viewedLessonIds(models: Models, course: Course, cycleId: string): Promise<string[]> {
  const listed = (await progressRepository(models).findProgress(cycleId))?.viewed ?? {};
  const unlisted = course.lessons.filter((lesson) => !listed[lesson.id]);
  const found = await Promise.all(
    unlisted.map((lesson) => models.LessonView.exists({ _id: lessonViewKey(cycleId, lesson.id) })),
  );
  const recorded = new Set(unlisted.filter((_, i) => found[i] !== null).map((l) => l.id));
  return course.lessons.filter((l) => listed[l.id] || recorded.has(l.id)).map((l) => l.id);
}

/** The learner-facing checklist for a cycle (what is done, what is left). */
export async function cycleCompletionStatus(
  models: Models,
  course: Course,
  cycle: CycleDoc,
): Promise<CompletionStatus> {
  return completionStatus(course, cycle, await viewedLessonIds(models, course, cycle._id));
}

/** The previous cycle's expiry, for rules that count the new expiry from it (no lost days). */
async function previousExpiry(models: Models, cycle: CycleDoc): Promise<Date | null> {
  if (cycle.n <= 1) return null;
  const previous = await trainingRepository(models).findCycle(
    cycleKey(cycle.userId, cycle.courseId, cycle.n - 1),
  );
  return previous?.expiresAt ?? null;
}

/**
 * Checks a cycle against the completion rule and, when it is met, completes it.
 * Called after every step (lesson viewed, quiz passed, attested), in whatever order they happen.
 *
 * Idempotent and safe under concurrency: the completion facts and certificate code are fixed by
 * one insert-once record (see issueCertificate); every later write copies those same values,
 * so repeating or racing calls converge on one completion, one certificate and one audit event.
 */
export async function evaluateCompletion(
  deps: CompletionDeps,
  cycleId: string,
  now: Date,
): Promise<{ completed: boolean }> {
  const { models, audit } = deps;
  const repo = trainingRepository(models);
  const cycle = await repo.findCycle(cycleId);
  if (!cycle) return { completed: false };
  if (cycle.completedAt && cycle.certificateCode) return { completed: true };
  const course = deps.courses.get(cycle.courseId);
  if (!course) return { completed: false };

  if (!cycle.completedAt) {
    // Cheapest first: when the pass or attestation is missing, no lesson needs reading.
    if (!couldComplete(course, cycle)) return { completed: false };
    const status = await cycleCompletionStatus(models, course, cycle);
    if (!status.complete) return { completed: false };
  }

  const completedAt = cycle.completedAt ?? now;
  const expiresAt = cycle.completedAt
    ? cycle.expiresAt
    : expiryFor(
        // HR's saved settings for the course win over the content's defaults.
        await recertificationPolicy(models, course, now),
        completedAt,
        await previousExpiry(models, cycle),
      );
  const holder = await models.User.findById(cycle.userId, { name: 1 }).lean();
  const { certificate, created } = await issueCertificate(
    models,
    course,
    cycle,
    holder?.name ?? cycle.userId,
    { completedAt, expiresAt },
    now,
  );

  await repo.updateCycle(cycle._id, {
    completedAt: certificate.completedAt,
    expiresAt: certificate.expiresAt,
    certificateCode: certificate._id,
  });
  // Only the assignment's current cycle drives its summary; completing an old cycle late must not
  // overwrite the state of a newer one.
  const assignment = await repo.findAssignment(cycle.userId, cycle.courseId);
  if (assignment && assignment.cycleNo === cycle.n) {
    await repo.updateAssignment(assignmentKey(cycle.userId, cycle.courseId), {
      state: 'completed',
      completedAt: certificate.completedAt,
      expiresAt: certificate.expiresAt,
      updatedAt: now,
    });
  }

  if (created) {
    const base = { actorId: cycle.userId, subjectId: cycle.userId };
    await audit.append(
      {
        ...base,
        action: 'cycle.completed',
        targetType: 'cycle',
        targetId: cycle._id,
        details: {
          courseId: course.id,
          cycleNo: cycle.n,
          contentVersion: certificate.contentVersion,
          score: cycle.score,
          completedAt: certificate.completedAt,
          expiresAt: certificate.expiresAt,
        },
      },
      now,
    );
    await audit.append(
      {
        ...base,
        action: 'certificate.issued',
        targetType: 'certificate',
        targetId: certificate._id,
        details: { cycleId: cycle._id, courseId: course.id },
      },
      now,
    );
  }
  return { completed: true };
}
