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
 * What drawing needs of a question: its type, clauses, choice ids, whether its author fixed the
 * choice order (`fixedOrder`, the reason, or just `true` where only its presence travels, as in
 * the SCORM package) and whether it is a recall question. A domain `Question` is one, and so is the
 * SCORM package's question, which carries no correct flags.
 */
export type DrawableQuestion = Pick<Question, 'id' | 'clauses'> & {
  fixedOrder?: string | boolean;
  recall?: boolean;
} & (
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
 * Which choices keep the author's order: true/false always ("False, True" reads oddly and gives
 * nothing away), any other question only when its file says why order matters. Everything else is
 * shuffled, spot segments included: a problem sentence that always sits in the middle is a
 * giveaway, so segments are written to read on their own.
 */
function keepsOrder(question: DrawableQuestion): boolean {
  return question.type === 'truefalse' || Boolean(question.fixedOrder);
}

/**
 * Picks questions so every clause is tested where the bank allows it: clauses are visited in random
 * order and each uncovered one gets a random question that tests it. Remaining places are filled
 * at random. At most one recall question is picked: once one is in, the others leave the pool.
 * Returns the picks in random order.
 */
function pickQuestions<Q extends DrawableQuestion>(bank: readonly Q[], count: number, rng: Rng): Q[] {
  let remaining = shuffled(bank, rng);
  const picked: Q[] = [];
  const covered = new Set<string>();
  const take = (index: number) => {
    const [q] = remaining.splice(index, 1);
    picked.push(q!);
    for (const c of q!.clauses) covered.add(c);
    if (q!.recall) remaining = remaining.filter((other) => !other.recall);
  };

  const clauses = shuffled([...new Set(bank.flatMap((q) => q.clauses))], rng);
  for (const clause of clauses) {
    if (picked.length >= count) break;
    if (covered.has(clause)) continue;
    const candidates = remaining.flatMap((q, i) => (q.clauses.includes(clause) ? [i] : []));
    // A judgement question covers a clause as well as a recall one and keeps the recall place free.
    const judgement = candidates.filter((i) => !remaining[i]!.recall);
    const pool = judgement.length > 0 ? judgement : candidates;
    if (pool.length > 0) take(pool[randomIndex(rng, pool.length)]!);
  }
  while (picked.length < count && remaining.length > 0) take(randomIndex(rng, remaining.length));
  return shuffled(picked, rng);
}

/**
 * Draws `count` questions (or as many as the bank allows) with shuffled question and choice order.
 * The draw is stored with the attempt (the web app) or recomputed from the stored seed by this same
 * code (the SCORM package), so a resumed attempt shows the same order.
 */
export function drawQuestions(bank: readonly DrawableQuestion[], count: number, rng: Rng): Draw {
  return pickQuestions(bank, count, rng).map((q) => ({
    questionId: q.id,
    choiceIds: keepsOrder(q) ? choiceIdsOf(q) : shuffled(choiceIdsOf(q), rng),
  }));
}
