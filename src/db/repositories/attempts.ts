import { isDuplicateKey } from '../connection.js';
import type { Models } from '../models/index.js';
import type { AttemptDoc, AttemptResultDoc, StoredAnswer } from '../models/quiz.js';

export const attemptKey = (cycleId: string, n: number) => `${cycleId}:${n}`;

/**
 * Attempts and results are read by `_id` only (the one lookup FerretDB indexes): a cycle's attempts
 * are `<cycleId>:1..k`, and k is small (the allowed attempts).
 */
export function attemptsRepository(models: Models) {
  const { Attempt, AttemptResult } = models;

  async function byIds<T>(
    find: (id: string) => Promise<T | null>,
    cycleId: string,
    upTo: number,
  ): Promise<T[]> {
    const ids = Array.from({ length: upTo }, (_, i) => attemptKey(cycleId, i + 1));
    const docs = await Promise.all(ids.map(find));
    return docs.filter((d): d is Awaited<T> & {} => d !== null);
  }

  return {
    findAttempt(id: string) {
      return Attempt.findById(id).lean<AttemptDoc>();
    },

    findResult(id: string) {
      return AttemptResult.findById(id).lean<AttemptResultDoc>();
    },

    /** Attempts 1..upTo of a cycle that exist. */
    listAttempts(cycleId: string, upTo: number): Promise<AttemptDoc[]> {
      return byIds((id) => Attempt.findById(id).lean<AttemptDoc>().exec(), cycleId, upTo);
    },

    listResults(cycleId: string, upTo: number): Promise<AttemptResultDoc[]> {
      return byIds((id) => AttemptResult.findById(id).lean<AttemptResultDoc>().exec(), cycleId, upTo);
    },

    /** Inserts a new attempt; returns false if that attempt number already exists. */
    async insertAttempt(doc: AttemptDoc): Promise<boolean> {
      try {
        await Attempt.create(doc);
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    /** The exactly-once guard for grading: false if the attempt was already graded. */
    async insertResult(doc: AttemptResultDoc): Promise<boolean> {
      try {
        await AttemptResult.create(doc);
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
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
