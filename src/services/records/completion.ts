import { assignmentKey, cycleKey, lessonViewKey } from '../../db/keys.js';
import type { Models } from '../../db/models/index.js';
import type { CertificateDoc } from '../../db/models/records.js';
import type { CycleDoc } from '../../db/models/training.js';
import { progressRepository } from '../../db/repositories/progress.js';
import { trainingRepository } from '../../db/repositories/training.js';
import { type CompletionStatus, completionStatus, couldComplete } from '../../domain/completion.js';
import type { Course } from '../../domain/course.js';
import { expiryFor } from '../../domain/recertification.js';
import { recertificationPolicy } from '../assignments/course-settings.js';
import type { AuditLog } from '../audit/log.js';
import type { ServiceContext } from '../context.js';
import { issueCertificate } from './certificates.js';

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

/** When the cycle completed and until when it counts: fixed once, by the first evaluation that completes it. */
interface CompletionDates {
  completedAt: Date;
  expiresAt: Date | null;
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
  ctx: ServiceContext,
  input: { cycleId: string; now: Date },
): Promise<{ completed: boolean }> {
  const { models } = ctx;
  const { now } = input;
  const cycle = await trainingRepository(models).findCycle(input.cycleId);
  if (!cycle) return { completed: false };
  if (cycle.completedAt && cycle.certificateCode) return { completed: true };
  const course = ctx.courses.get(cycle.courseId);
  if (!course) return { completed: false };
  if (!cycle.completedAt && !(await meetsCompletionRule(models, course, cycle))) return { completed: false };

  const dates = await completionDates(models, course, cycle, now);
  const holder = await models.User.findById(cycle.userId, { name: 1 }).lean();
  const { certificate, created } = await issueCertificate(ctx, {
    course,
    cycle,
    holderName: holder?.name ?? cycle.userId,
    ...dates,
    now,
  });
  await recordCompletion(models, cycle, certificate, now);
  if (created) await auditCompletion(ctx.audit, course, cycle, certificate, now);
  return { completed: true };
}

/** Whether every step is done; cheapest first: when the pass or attestation is missing, no lesson is read. */
async function meetsCompletionRule(models: Models, course: Course, cycle: CycleDoc): Promise<boolean> {
  if (!couldComplete(course, cycle)) return false;
  return (await cycleCompletionStatus(models, course, cycle)).complete;
}

/**
 * The dates a completion proposes: those already on the cycle (a repeat after a crash), else now and
 * the expiry by HR's saved settings for the course, which win over the content's defaults.
 */
async function completionDates(
  models: Models,
  course: Course,
  cycle: CycleDoc,
  now: Date,
): Promise<CompletionDates> {
  if (cycle.completedAt) return { completedAt: cycle.completedAt, expiresAt: cycle.expiresAt };
  const policy = await recertificationPolicy(models, course, now);
  return { completedAt: now, expiresAt: expiryFor(policy, now, await previousExpiry(models, cycle)) };
}

/**
 * Copies the certificate's completion onto the cycle and, when it is the assignment's current cycle,
 * onto the assignment: completing an old cycle late must not overwrite the state of a newer one.
 */
async function recordCompletion(models: Models, cycle: CycleDoc, certificate: CertificateDoc, now: Date) {
  const repo = trainingRepository(models);
  await repo.updateCycle(cycle._id, {
    completedAt: certificate.completedAt,
    expiresAt: certificate.expiresAt,
    certificateCode: certificate._id,
  });
  const assignment = await repo.findAssignment(cycle.userId, cycle.courseId);
  if (assignment && assignment.cycleNo === cycle.n) {
    await repo.updateAssignment(assignmentKey(cycle.userId, cycle.courseId), {
      state: 'completed',
      completedAt: certificate.completedAt,
      expiresAt: certificate.expiresAt,
      updatedAt: now,
    });
  }
}

/** The two audit events of a completion, written once, by the evaluation whose insert issued the certificate. */
async function auditCompletion(
  audit: AuditLog,
  course: Course,
  cycle: CycleDoc,
  certificate: CertificateDoc,
  now: Date,
) {
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
