import { feedbackKey } from '../../db/keys.js';
import type { FeedbackKind, PolicyFeedbackDoc } from '../../db/models/learning.js';
import { feedbackRepository } from '../../db/repositories/feedback.js';
import type { Course, Lesson } from '../../domain/course.js';
import { Invalid } from '../../domain/errors.js';
import type { ServiceContext } from '../context.js';

export { FEEDBACK_KINDS, type FeedbackKind } from '../../db/models/learning.js';

export interface FeedbackAuthor {
  id: string;
  name: string;
  department: string;
}

export interface FeedbackInput {
  author: FeedbackAuthor;
  course: Course;
  lesson: Lesson;
  kind: FeedbackKind;
  message: string;
  /** Random id the form carried, so a resubmitted form stores one item. */
  submissionId: string;
  now: Date;
}

/**
 * Stores an employee's question or suggestion about the policy for HR (the policy asks for
 * feedback). Returns false when this exact form submission was already stored. A message that is
 * blank once trimmed is `Invalid`, before anything is written (the lesson page shows it on the form).
 */
export async function submitFeedback(ctx: ServiceContext, input: FeedbackInput): Promise<boolean> {
  const { author, course, lesson, kind, now } = input;
  const message = input.message.trim();
  if (message === '') throw new Invalid('learn.lessonFeedback.empty');
  const doc: PolicyFeedbackDoc = {
    _id: feedbackKey(author.id, input.submissionId),
    userId: author.id,
    userName: author.name,
    department: author.department,
    courseId: course.id,
    lessonId: lesson.id,
    contentVersion: course.version,
    kind,
    message,
    status: 'open',
    createdAt: now,
    handledAt: null,
    handledBy: null,
  };
  const created = await feedbackRepository(ctx.models).insert(doc);
  if (created) {
    await ctx.audit.append(
      {
        actorId: author.id,
        subjectId: author.id,
        action: 'feedback.submitted',
        targetType: 'feedback',
        targetId: doc._id,
        details: { courseId: course.id, lessonId: lesson.id, kind },
      },
      now,
    );
  }
  return created;
}
