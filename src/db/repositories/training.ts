import { insertOnce } from '../insert-once.js';
import { assignmentKey } from '../keys.js';
import type { Models } from '../models/index.js';
import type { AssignmentDoc, CycleDoc } from '../models/training.js';

export function trainingRepository(models: Models) {
  const { Assignment, Cycle } = models;
  return {
    findAssignment(userId: string, courseId: string) {
      return Assignment.findById(assignmentKey(userId, courseId)).lean<AssignmentDoc>();
    },

    findCycle(id: string) {
      return Cycle.findById(id).lean<CycleDoc>();
    },

    /** Creates the assignment if the person has none for this course; returns the stored one. */
    ensureAssignment(doc: AssignmentDoc): Promise<AssignmentDoc> {
      return insertOnce<AssignmentDoc>(Assignment, doc);
    },

    /** Creates cycle n if it does not exist yet; returns the stored one. */
    ensureCycle(doc: CycleDoc): Promise<CycleDoc> {
      return insertOnce<CycleDoc>(Cycle, doc);
    },

    /** Single-document write of fields that belong to the assignment summary. */
    async updateAssignment(id: string, set: Partial<AssignmentDoc>): Promise<void> {
      await Assignment.updateOne({ _id: id }, { $set: set });
    },

    async updateCycle(id: string, set: Partial<CycleDoc>): Promise<void> {
      await Cycle.updateOne({ _id: id }, { $set: set });
    },

    /**
     * Marks a cycle started, and its assignment in progress if it is still not started on that
     * cycle, from the documents as the caller just read them. Both writes are by `_id` alone: a
     * filter with any other field makes FerretDB v1 scan the collection (checked with `explain`).
     */
    async startCycle(cycle: CycleDoc, assignment: AssignmentDoc | null, now: Date): Promise<void> {
      const moves = assignment?.cycleNo === cycle.n && assignment.state === 'not-started';
      await Promise.all([
        Cycle.updateOne({ _id: cycle._id }, { $set: { startedAt: now } }).exec(),
        moves
          ? Assignment.updateOne(
              { _id: assignment._id },
              { $set: { state: 'in-progress', updatedAt: now } },
            ).exec()
          : null,
      ]);
    },
  };
}

export type TrainingRepository = ReturnType<typeof trainingRepository>;
