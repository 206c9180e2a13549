import type { Question, ReviewLevel } from '../../domain/course.js';

/**
 * What the builder hands the SCO runtime (shared by both sides so they cannot drift).
 * Everything here ships inside the package; the question bank is obfuscated (see obfuscate.ts).
 */
export interface ScoConfig {
  format: 'scorm12' | 'scorm2004';
  failStatus: 'failed' | 'incomplete';
  courseId: string;
  passingScore: number;
  questionsPerAttempt: number;
  maxAttempts: number;
  review: { afterPass: ReviewLevel; afterFail: ReviewLevel; afterFinalFail: ReviewLevel };
  lessonIds: string[];
  exampleCount: number;
  /** The encoded `ScoBank`. */
  bank: string;
  /** Per-package key for the bank. */
  key: string;
}

/** A bank question as the SCO sees it: the domain question plus its post card pre-rendered. */
export type ScoQuestion = Question & { postHtml?: string };

export interface ScoBank {
  questions: ScoQuestion[];
  /** Clause id → "4.2 Title", for the "clauses to revisit" review. */
  clauses: Record<string, string>;
}

/** The most choices one answer can encode in the bookmark (two base-64 digits of bitmask). */
export const MAX_CHOICES = 12;
