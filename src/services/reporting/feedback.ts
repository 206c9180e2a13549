import type { FeedbackRepository } from '../../db/repositories/feedback.js';
import type { AuditLog } from '../audit/log.js';

export type MarkHandledOutcome = 'handled' | 'already-handled' | 'not-found';

/** HR marks a learner's policy feedback handled; the first time is audited, a repeat changes nothing. */
export async function markFeedbackHandled(
  deps: { feedback: FeedbackRepository; audit: AuditLog },
  input: { id: string; actorId: string },
  now: Date,
): Promise<MarkHandledOutcome> {
  const item = await deps.feedback.findById(input.id);
  if (!item) return 'not-found';
  if (item.status === 'handled') return 'already-handled';
  await deps.feedback.markHandled(input.id, input.actorId, now);
  await deps.audit.append(
    {
      actorId: input.actorId,
      action: 'feedback.handled',
      targetType: 'feedback',
      targetId: input.id,
      subjectId: item.userId,
      details: { courseId: item.courseId, lessonId: item.lessonId },
    },
    now,
  );
  return 'handled';
}
