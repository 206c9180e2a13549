import { insertIfNew } from '../insert-once.js';
import type { Models } from '../models/index.js';
import type { FeedbackStatus, PolicyFeedbackDoc } from '../models/learning.js';

export interface FeedbackListQuery {
  status?: FeedbackStatus;
  courseId?: string;
  /** Page size, capped at 100. */
  limit?: number;
  skip?: number;
}

/**
 * Employees' questions and suggestions about a policy. The learner pages insert; HR's inbox
 * lists and marks them handled. The list is a filtered scan on FerretDB (only `_id` is indexed),
 * which is fine for an inbox HR opens a few times a day; always paginate it.
 */
export function feedbackRepository(models: Models) {
  const { PolicyFeedback } = models;
  return {
    /** Stores new feedback once per `_id`; returns false when it was already stored (a double submit). */
    insert(doc: PolicyFeedbackDoc): Promise<boolean> {
      return insertIfNew(PolicyFeedback, doc);
    },

    findById(id: string) {
      return PolicyFeedback.findById(id).lean<PolicyFeedbackDoc>();
    },

    /** Newest first. */
    list(query: FeedbackListQuery = {}) {
      const filter: Record<string, string> = {};
      if (query.status) filter.status = query.status;
      if (query.courseId) filter.courseId = query.courseId;
      return PolicyFeedback.find(filter)
        .sort({ createdAt: -1, _id: 1 })
        .skip(Math.max(0, query.skip ?? 0))
        .limit(Math.min(100, Math.max(1, query.limit ?? 50)))
        .lean<PolicyFeedbackDoc[]>();
    },

    count(query: Pick<FeedbackListQuery, 'status' | 'courseId'> = {}) {
      const filter: Record<string, string> = {};
      if (query.status) filter.status = query.status;
      if (query.courseId) filter.courseId = query.courseId;
      return PolicyFeedback.countDocuments(filter);
    },

    /** Marks one item handled (a single-document write by `_id`). False when no such item exists. */
    async markHandled(id: string, handledBy: string, now: Date): Promise<boolean> {
      const res = await PolicyFeedback.updateOne(
        { _id: id },
        { $set: { status: 'handled', handledAt: now, handledBy } },
      );
      return res.matchedCount === 1;
    },
  };
}

export type FeedbackRepository = ReturnType<typeof feedbackRepository>;
