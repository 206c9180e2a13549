import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { PostVerdict } from '../../domain/course.js';
import type { GivenAnswer } from '../../domain/quiz/grading.js';

/**
 * The quiz answer key as the package carries it: never which choices are right, only salted
 * SHA-256 digests of the answers that earn points, each with the points the web app's grading gives
 * it. The SCO hashes what the learner chose and looks it up. This is not secrecy (a SCO runs on the
 * learner's machine, and a question has few possible answers, so hashing them all offline finds the
 * key), but reading or decoding the file no longer shows it. Synchronous (a pure-JS SHA-256) because
 * the SCO grades while the page unloads, and Web Crypto is async and absent outside secure contexts.
 */
export interface ScoAnswerKey {
  /** Random per question and package, so equal answers never share a digest. */
  salt: string;
  /** Digest of an answer (see `answerDigest`) → its points, 0–1. Answers not listed earn 0. */
  points: Record<string, number>;
}

/** 128 bits of SHA-256: collisions among a question's few thousand answers are out of reach. */
const DIGEST_HEX = 32;

function digest(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text))).slice(0, DIGEST_HEX);
}

/** The digest of a whole answer: the verdict (classify) and the chosen ids as a sorted set. */
export function answerDigest(salt: string, answer: GivenAnswer): string {
  const ids = [...new Set(answer.choiceIds)].sort().join(',');
  return digest(`${salt}\nanswer\n${answer.verdict ?? ''}\n${ids}`);
}

/** The digest of a classify verdict alone: a right verdict with a wrong reason earns part points. */
export function verdictDigest(salt: string, verdict: PostVerdict): string {
  return digest(`${salt}\nverdict\n${verdict}`);
}

/** Points for one answer, as the web app's `gradeQuestion` gives them. A missing answer earns 0. */
export function pointsFor(key: ScoAnswerKey, answer: GivenAnswer | undefined): number {
  if (!answer) return 0;
  const whole = key.points[answerDigest(key.salt, answer)];
  if (whole !== undefined) return whole;
  return answer.verdict ? (key.points[verdictDigest(key.salt, answer.verdict)] ?? 0) : 0;
}
