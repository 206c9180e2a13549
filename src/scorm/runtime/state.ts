import type { PostVerdict } from '../../domain/course.js';
import { MAX_CHOICES } from './model.js';

/**
 * The learner's bookmark, kept in `suspend_data`. SCORM 1.2 allows only 4,096 characters, so every
 * field has a fixed, small width: one character per lesson and example, three per quiz answer, and
 * the draw itself is not stored, only its seed (the draw is recomputed from it).
 */
export interface ScoAnswer {
  /** Indices of the chosen options / reasons / segments, in the author's order. */
  choices: number[];
  /** Classify questions only. */
  verdict?: PostVerdict;
}

export interface ScoState {
  /** The screen the learner is on: `l<n>` (lesson n), `examples`, `tree`, `quiz` or `result`. */
  view: string;
  lessonsSeen: boolean[];
  /** The verdict the learner gave for each example post, or null while unclassified. */
  examples: Array<PostVerdict | null>;
  /** Quiz attempts started in this SCO (0: not started). */
  attempt: number;
  /** Seed of the current attempt's draw. */
  seed: string;
  /** One entry per drawn question, in the order served. */
  answers: Array<ScoAnswer | null>;
  submitted: boolean;
}

const FORMAT_VERSION = '1';
const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_';
/**
 * One character per verdict. `k` (as*k* first) was added after `a` and `u`: bookmarks saved before
 * it still read the same, so the format version did not change.
 */
const VERDICT_CODES: Record<string, PostVerdict> = { a: 'acceptable', u: 'unacceptable', k: 'ask-first' };
const CODE_OF: Record<PostVerdict, string> = { acceptable: 'a', unacceptable: 'u', 'ask-first': 'k' };
const VIEW_PATTERN = /^(l\d{1,3}|examples|tree|quiz|result)$/;
const SEED_PATTERN = /^[0-9a-z]{1,13}$/;

export function initialState(lessonCount: number, exampleCount: number): ScoState {
  return {
    view: 'l0',
    lessonsSeen: Array.from({ length: lessonCount }, () => false),
    examples: Array.from({ length: exampleCount }, () => null),
    attempt: 0,
    seed: '0',
    answers: [],
    submitted: false,
  };
}

function verdictCode(verdict: PostVerdict | null | undefined): string {
  return verdict ? CODE_OF[verdict] : '-';
}

function encodeAnswer(answer: ScoAnswer | null): string {
  let mask = 0;
  for (const i of answer?.choices ?? []) {
    if (i < 0 || i >= MAX_CHOICES) throw new Error(`choice index ${i} cannot be bookmarked`);
    mask |= 1 << i;
  }
  return DIGITS[mask >> 6]! + DIGITS[mask & 63]! + verdictCode(answer?.verdict);
}

function decodeAnswer(code: string): ScoAnswer | null | undefined {
  const hi = DIGITS.indexOf(code[0]!);
  const lo = DIGITS.indexOf(code[1]!);
  const v = code[2]!;
  if (hi < 0 || lo < 0 || !(v === '-' || Object.hasOwn(VERDICT_CODES, v))) return undefined;
  const mask = hi * 64 + lo;
  const choices: number[] = [];
  for (let i = 0; i < MAX_CHOICES; i++) if (mask & (1 << i)) choices.push(i);
  const verdict = VERDICT_CODES[v];
  if (choices.length === 0 && !verdict) return null;
  return verdict ? { choices, verdict } : { choices };
}

export function encodeState(state: ScoState): string {
  return [
    FORMAT_VERSION,
    state.view,
    state.lessonsSeen.map((seen) => (seen ? '1' : '0')).join(''),
    state.examples.map(verdictCode).join(''),
    String(state.attempt),
    state.seed,
    state.answers.map(encodeAnswer).join(''),
    state.submitted ? '1' : '0',
  ].join('|');
}

/**
 * Reads a bookmark back; null when it is missing, from another format version or damaged
 * (the learner then starts fresh rather than seeing a broken screen).
 */
export function decodeState(text: string, lessonCount: number, exampleCount: number): ScoState | null {
  const parts = text.split('|');
  if (parts.length !== 8 || parts[0] !== FORMAT_VERSION) return null;
  const [, view, lessons, examples, attempt, seed, answers, submitted] = parts as [string, ...string[]];
  if (!VIEW_PATTERN.test(view!) || !SEED_PATTERN.test(seed!) || !/^\d{1,3}$/.test(attempt!)) return null;
  if (!/^[01]*$/.test(lessons!) || !/^[-auk]*$/.test(examples!) || answers!.length % 3 !== 0) return null;
  const decodedAnswers: Array<ScoAnswer | null> = [];
  for (let i = 0; i < answers!.length; i += 3) {
    const answer = decodeAnswer(answers!.slice(i, i + 3));
    if (answer === undefined) return null;
    decodedAnswers.push(answer);
  }
  const fresh = initialState(lessonCount, exampleCount);
  return {
    view: view!,
    lessonsSeen: fresh.lessonsSeen.map((_, i) => lessons![i] === '1'),
    examples: fresh.examples.map((_, i) => VERDICT_CODES[examples![i] ?? '-'] ?? null),
    attempt: Number(attempt),
    seed: seed!,
    answers: decodedAnswers,
    submitted: submitted === '1',
  };
}
