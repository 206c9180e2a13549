import type { FeedbackStatus, PolicyFeedbackDoc } from '../../db/models/learning.js';
import { feedbackRepository } from '../../db/repositories/feedback.js';
import { NotFound } from '../../domain/errors.js';
import type { ServiceContext } from '../context.js';

/** Items per page of HR's feedback inbox. */
export const FEEDBACK_PAGE_SIZE = 25;

export type { FeedbackStatus };

export interface FeedbackItem extends PolicyFeedbackDoc {
  /** The course's title, or its id when its content is not loaded. */
  courseTitle: string;
}

/** One page of HR's inbox of learners' questions and suggestions, newest first. */
export async function listFeedback(
  ctx: Pick<ServiceContext, 'models' | 'courses'>,
  input: { status: FeedbackStatus; page: number },
): Promise<{ items: FeedbackItem[]; hasNext: boolean }> {
  const { status, page } = input;
  // One extra item tells whether a next page exists without counting the whole collection.
  const items = await feedbackRepository(ctx.models).list({
    status,
    skip: (page - 1) * FEEDBACK_PAGE_SIZE,
    limit: FEEDBACK_PAGE_SIZE + 1,
  });
  const courseTitle = (id: string) => ctx.courses.get(id)?.title ?? id;
  return {
    items: items.slice(0, FEEDBACK_PAGE_SIZE).map((f) => ({ ...f, courseTitle: courseTitle(f.courseId) })),
    hasNext: items.length > FEEDBACK_PAGE_SIZE,
  };
}

export type MarkHandledOutcome = 'handled' | 'already-handled';

/**
 * HR marks a learner's policy feedback handled; the first time is audited, a repeat changes
 * nothing. An unknown item is `NotFound`.
 */
export async function markFeedbackHandled(
  ctx: Pick<ServiceContext, 'models' | 'audit'>,
  input: { id: string; actorId: string; now: Date },
): Promise<MarkHandledOutcome> {
  const feedback = feedbackRepository(ctx.models);
  const item = await feedback.findById(input.id);
  if (!item) throw new NotFound('reports.errors.noFeedback');
  if (item.status === 'handled') return 'already-handled';
  await feedback.markHandled(input.id, input.actorId, input.now);
  await ctx.audit.append(
    {
      actorId: input.actorId,
      action: 'feedback.handled',
      targetType: 'feedback',
      targetId: input.id,
      subjectId: item.userId,
      details: { courseId: item.courseId, lessonId: item.lessonId },
    },
    input.now,
  );
  return 'handled';
}
