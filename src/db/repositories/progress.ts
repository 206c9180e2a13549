import type { Course } from '../../domain/course.js';
import { upsertRacing } from '../connection.js';
import { insertIfNew } from '../insert-once.js';
import { lessonViewKey } from '../keys.js';
import type { Models } from '../models/index.js';
import type { LessonViewDoc, ProgressDoc } from '../models/training.js';

/**
 * Lesson progress. `lesson_views` (insert-once per cycle and lesson) is the durable truth; the
 * `progress` document is a summary for one-read pages and may miss an entry when two updates race
 * (FerretDB rewrites the whole document), which the next view or overview repairs.
 */
export function progressRepository(models: Models) {
  const { LessonView, Progress } = models;
  return {
    findProgress(cycleId: string) {
      return Progress.findById(cycleId).lean<ProgressDoc>();
    },

    /**
     * Writes what changed in the summary, creating it on first use: the resume point and, once they
     * are recorded in lesson_views, newly viewed lessons. One round-trip and no read back: callers
     * read the summary first and write only when something changed. Entries of `viewed` are set
     * one by one, so this never drops entries written meanwhile by this operator (FerretDB may
     * still rewrite the whole document under a race; see above).
     */
    async save(
      cycleId: string,
      owner: { userId: string; courseId: string },
      change: { lastLocation: string; viewed?: Record<string, Date> },
      now: Date,
    ): Promise<void> {
      const set: Record<string, unknown> = { lastLocation: change.lastLocation, updatedAt: now };
      for (const [lessonId, at] of Object.entries(change.viewed ?? {})) set[`viewed.${lessonId}`] = at;
      // Two first views racing both try to insert: upsertRacing retries the loser as an update.
      await upsertRacing(() =>
        Progress.updateOne(
          { _id: cycleId },
          // The owner goes in `$set` (it never changes for a cycle): FerretDB v1 ignores `$setOnInsert`.
          { $set: { ...set, userId: owner.userId, courseId: owner.courseId } },
          { upsert: true },
        ),
      );
    },

    /** Adds lessons to the summary's viewed map (a cache of lesson_views). Ids match ID_PATTERN: no `.` or `$`. */
    async markViewed(cycleId: string, viewed: Record<string, Date>): Promise<void> {
      const set: Record<string, Date> = {};
      for (const [lessonId, at] of Object.entries(viewed)) set[`viewed.${lessonId}`] = at;
      if (Object.keys(set).length > 0) await Progress.updateOne({ _id: cycleId }, { $set: set });
    },

    /** Records that a lesson was viewed in a cycle. True only for the request that created the record. */
    insertLessonView(doc: LessonViewDoc): Promise<boolean> {
      return insertIfNew(LessonView, doc);
    },
  };
}

export type ProgressRepository = ReturnType<typeof progressRepository>;

/**
 * The lessons of `course` viewed in a cycle, read from lesson_views (the durable record), each by
 * `_id` in parallel: FerretDB uses its index only for a plain `_id` filter, not for `$in`.
 * Returns lessonId → when it was first viewed.
 */
export async function viewedLessons(
  models: Models,
  cycleId: string,
  course: Course,
): Promise<Map<string, Date>> {
  const docs = await Promise.all(
    course.lessons.map((lesson) =>
      models.LessonView.findById(lessonViewKey(cycleId, lesson.id), {
        lessonId: 1,
        at: 1,
      }).lean<LessonViewDoc>(),
    ),
  );
  const viewed = new Map<string, Date>();
  for (const doc of docs) if (doc) viewed.set(doc.lessonId, doc.at);
  return viewed;
}
