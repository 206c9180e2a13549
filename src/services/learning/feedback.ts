import { feedbackKey } from '../../db/keys.js';
import type { Models } from '../../db/models/index.js';
import type { FeedbackKind, PolicyFeedbackDoc } from '../../db/models/learning.js';
import { feedbackRepository } from '../../db/repositories/feedback.js';
import type { Course, Lesson } from '../../domain/course.js';
import type { AuditLog } from '../audit/log.js';

export interface FeedbackInput {
  kind: FeedbackKind;
  message: string;
  /** Random id the form carried, so a resubmitted form stores one item. */
  submissionId: string;
}

export interface FeedbackAuthor {
  id: string;
  name: string;
  department: string;
}

/**
 * Stores an employee's question or suggestion about the policy for HR (the policy asks for
 * feedback). Returns false when this exact form submission was already stored.
 */
export async function submitFeedback(
  deps: { models: Models; audit: AuditLog },
  author: FeedbackAuthor,
  course: Course,
  lesson: Lesson,
  input: FeedbackInput,
  now: Date,
): Promise<boolean> {
  const doc: PolicyFeedbackDoc = {
    _id: feedbackKey(author.id, input.submissionId),
    userId: author.id,
    userName: author.name,
    department: author.department,
    courseId: course.id,
    lessonId: lesson.id,
    contentVersion: course.version,
    kind: input.kind,
    message: input.message.trim(),
    status: 'open',
    createdAt: now,
    handledAt: null,
    handledBy: null,
  };
  const created = await feedbackRepository(deps.models).insert(doc);
  if (created) {
    await deps.audit.append(
      {
        actorId: author.id,
        subjectId: author.id,
        action: 'feedback.submitted',
        targetType: 'feedback',
        targetId: doc._id,
        details: { courseId: course.id, lessonId: lesson.id, kind: input.kind },
      },
      now,
    );
  }
  return created;
}
