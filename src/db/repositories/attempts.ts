import { insertIfNew } from '../insert-once.js';
import { attemptKey } from '../keys.js';
import type { Models } from '../models/index.js';
import type { AttemptDoc, AttemptResultDoc, StoredAnswer } from '../models/quiz.js';

/**
 * Attempts and results are read by `_id` only (the one lookup FerretDB indexes): a cycle's attempts
 * are `<cycleId>:1..k`, and k is small (the allowed attempts).
 */
export function attemptsRepository(models: Models) {
  const { Attempt, AttemptResult } = models;

  return {
    findAttempt(id: string) {
      return Attempt.findById(id).lean<AttemptDoc>();
    },

    findResult(id: string) {
      return AttemptResult.findById(id).lean<AttemptResultDoc>();
    },

    /**
     * A cycle's attempts and their results, in order, reading attempt n and result n together.
     * Attempt n+1 is only ever inserted after attempt n has a result (a new attempt starts only
     * when none is open, numbered after those found), so the walk stops at the first attempt that
     * is missing or has no result: nothing can follow it. A learner with one open attempt costs
     * two finds. `upTo` bounds the walk.
     */
    async listAttempts(
      cycleId: string,
      upTo: number,
    ): Promise<{ attempts: AttemptDoc[]; results: AttemptResultDoc[] }> {
      const attempts: AttemptDoc[] = [];
      const results: AttemptResultDoc[] = [];
      for (let n = 1; n <= upTo; n += 1) {
        const id = attemptKey(cycleId, n);
        const [attempt, result] = await Promise.all([
          Attempt.findById(id).lean<AttemptDoc>().exec(),
          AttemptResult.findById(id).lean<AttemptResultDoc>().exec(),
        ]);
        if (!attempt) break;
        attempts.push(attempt);
        if (!result) break;
        results.push(result);
      }
      return { attempts, results };
    },

    /** Inserts a new attempt; returns false if that attempt number already exists. */
    insertAttempt(doc: AttemptDoc): Promise<boolean> {
      return insertIfNew(Attempt, doc);
    },

    /** The exactly-once guard for grading: false if the attempt was already graded. */
    insertResult(doc: AttemptResultDoc): Promise<boolean> {
      return insertIfNew(AttemptResult, doc);
    },

    /** Replaces the saved answers (single-document write by `_id`; the caller checked the attempt is open). */
    async saveAnswers(id: string, answers: Record<string, StoredAnswer>, at: Date): Promise<void> {
      await Attempt.updateOne({ _id: id }, { $set: { answers, savedAt: at } });
    },

    async markGraded(id: string): Promise<void> {
      await Attempt.updateOne({ _id: id }, { $set: { status: 'graded' } });
    },
  };
}

export type AttemptsRepository = ReturnType<typeof attemptsRepository>;
