import type { ReviewLevel } from '../../domain/course.js';
import type { ScoAnswerKey } from './answer-key.js';
import type { ScoMessages } from './messages.js';

/**
 * What the builder hands the SCO runtime (shared by both sides so they cannot drift).
 * Everything here ships inside the package; the question bank is obfuscated (see obfuscate.ts) and
 * carries no correct flags: answers are checked against salted digests (see answer-key.ts).
 */
export interface ScoConfig {
  /** The package it ships in: a SCORM edition, or a cmi5 AU (issue #27). */
  format: 'scorm12' | 'scorm2004' | 'cmi5';
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
  /** The runtime's words in the package's language (runtime/messages.ts). */
  messages: ScoMessages;
}

/** A choice as the SCO sees it: what the learner reads, never whether it is right. */
export interface ScoChoice {
  id: string;
  text: string;
}

interface ScoQuestionBase {
  id: string;
  prompt: string;
  clauses: string[];
  /**
   * The author fixed the choice order (the draw keeps it). The package ships `true`, never the
   * author's reason; a domain question (reason text) is accepted where tests pass one directly.
   */
  fixedOrder?: boolean | string;
  /** A recall question: the draw takes at most one per attempt. */
  recall?: boolean;
  /** Only when the course can show a full review; it may well name the right answer. */
  explanation?: string;
  /** Classify and spot: the post card, pre-rendered by the builder with the web app's partial. */
  postHtml?: string;
}

/** A bank question as the SCO sees it: the domain question without correct flags or feedback. */
export type ScoQuestion = ScoQuestionBase &
  (
    | { type: 'single' | 'truefalse' | 'multiple'; options: ScoChoice[] }
    | { type: 'classify'; reasons: ScoChoice[] }
    | { type: 'spot'; segments: ScoChoice[] }
  );

export interface ScoBank {
  questions: ScoQuestion[];
  /** Question id → how its answers are graded. */
  answerKeys: Record<string, ScoAnswerKey>;
  /** Clause id → "4.2 Title", for the "clauses to revisit" review. */
  clauses: Record<string, string>;
}

/** The most choices one answer can encode in the bookmark (two base-64 digits of bitmask). */
export const MAX_CHOICES = 12;
