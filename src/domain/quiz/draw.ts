import type { Question } from '../course.js';
import { type Rng, randomIndex, shuffled } from './random.js';

/**
 * One question as served in an attempt: which question, and the order its choices are shown in.
 * Holds ids only, never correctness. The ids still hint at the key (the right option is often "a"),
 * so they never reach the browser before grading: the form names choices by opaque tokens.
 */
export interface DrawnQuestion {
  questionId: string;
  /** single / truefalse / multiple: option ids; classify: reason ids; spot: segment ids. */
  choiceIds: string[];
}

export type Draw = DrawnQuestion[];

/**
 * What drawing needs of a question: its type, clauses and choice ids. A domain `Question` is one,
 * and so is the SCORM package's question, which carries no correct flags.
 */
export type DrawableQuestion = Pick<Question, 'id' | 'clauses'> &
  (
    | { type: 'single' | 'truefalse' | 'multiple'; options: ReadonlyArray<{ id: string }> }
    | { type: 'classify'; reasons: ReadonlyArray<{ id: string }> }
    | { type: 'spot'; segments: ReadonlyArray<{ id: string }> }
  );

/** The ids a learner chooses between, in the author's order. */
export function choiceIdsOf(question: DrawableQuestion): string[] {
  switch (question.type) {
    case 'classify':
      return question.reasons.map((r) => r.id);
    case 'spot':
      return question.segments.map((s) => s.id);
    default:
      return question.options.map((o) => o.id);
  }
}

/**
 * Which choices keep the author's order: true/false reads oddly as "False, True", and spot segments
 * are sentences of one post, which would stop making sense shuffled.
 */
function keepsOrder(question: DrawableQuestion): boolean {
  return question.type === 'truefalse' || question.type === 'spot';
}

/**
 * Picks questions so every clause is tested where the bank allows it: clauses are visited in random
 * order and each uncovered one gets a random question that tests it. Remaining places are filled
 * at random. Returns the picks in random order.
 */
function pickQuestions<Q extends DrawableQuestion>(bank: readonly Q[], count: number, rng: Rng): Q[] {
  const remaining = shuffled(bank, rng);
  const picked: Q[] = [];
  const covered = new Set<string>();
  const take = (index: number) => {
    const [q] = remaining.splice(index, 1);
    picked.push(q!);
    for (const c of q!.clauses) covered.add(c);
  };

  const clauses = shuffled([...new Set(bank.flatMap((q) => q.clauses))], rng);
  for (const clause of clauses) {
    if (picked.length >= count) break;
    if (covered.has(clause)) continue;
    const candidates = remaining.flatMap((q, i) => (q.clauses.includes(clause) ? [i] : []));
    if (candidates.length > 0) take(candidates[randomIndex(rng, candidates.length)]!);
  }
  while (picked.length < count && remaining.length > 0) take(randomIndex(rng, remaining.length));
  return shuffled(picked, rng);
}

/** Draws `count` questions (or the whole bank if smaller) with shuffled question and choice order. */
export function drawQuestions(bank: readonly DrawableQuestion[], count: number, rng: Rng): Draw {
  return pickQuestions(bank, count, rng).map((q) => ({
    questionId: q.id,
    choiceIds: keepsOrder(q) ? choiceIdsOf(q) : shuffled(choiceIdsOf(q), rng),
  }));
}
