import { POST_VERDICTS, type PostVerdict, type Question } from '../course.js';

/**
 * Item statistics: how each quiz question performs over graded attempts, from running sums only,
 * so a pass over any number of attempts keeps a few numbers per question (memory stays flat).
 *
 * - drawn: attempts that served the question;
 * - share correct: attempts where it earned full points (points === 1);
 * - mean points: average points (partial credit and half points included);
 * - discrimination: the point-biserial correlation of the item with the rest of the score, i.e.
 *   Pearson's r between the item's points x and the attempt's total minus x (so the item is not
 *   correlated with itself), over the attempts that drew it:
 *     r = (nΣxy − ΣxΣy) / √((nΣx² − (Σx)²)(nΣy² − (Σy)²)).
 *   Near 1: people who do well overall get it right; below 0: strong people get it wrong more
 *   than weak ones (a wrong key or a misleading wording). No value when x or y never varies.
 * - picks: how often each option / reason / segment, and each classify verdict, was chosen.
 */

export const TOO_EASY_ABOVE = 0.95;
export const TOO_HARD_BELOW = 0.3;
/** Below this many answers, share and discrimination are too noisy to flag. */
export const MIN_ANSWERS_FOR_FLAGS = 10;
/** A distractor nobody picks is flagged only from this many answers (by chance alone before). */
export const MIN_ANSWERS_FOR_DISTRACTOR_FLAG = 30;

export const ITEM_FLAGS = ['too-easy', 'too-hard', 'negative-discrimination', 'unpicked-distractor'] as const;
export type ItemFlag = (typeof ITEM_FLAGS)[number];

/** n and the five sums Pearson's r needs. x: the item's points; y: the rest of the attempt's score. */
export interface CorrelationSums {
  n: number;
  x: number;
  y: number;
  xy: number;
  xx: number;
  yy: number;
}

export interface ItemSums extends CorrelationSums {
  /** Attempts with full points on the item. */
  correct: number;
  /** Attempts that drew it and chose nothing. */
  blank: number;
  /** choiceId → times chosen. */
  picks: Record<string, number>;
  /** verdict → times chosen (classify questions). */
  verdicts: Record<string, number>;
}

/** What one graded attempt contributes: its questions' points and the answers given. */
export interface GradedAttemptItems {
  questions: ReadonlyArray<{ questionId: string; points: number }>;
  answers: Readonly<Record<string, { choiceIds?: readonly string[]; verdict?: string } | undefined>>;
}

export const emptyItemSums = (): ItemSums => ({
  n: 0,
  x: 0,
  y: 0,
  xy: 0,
  xx: 0,
  yy: 0,
  correct: 0,
  blank: 0,
  picks: {},
  verdicts: {},
});

/** Running sums per question over a stream of graded attempts. */
export class ItemTally {
  private readonly items = new Map<string, ItemSums>();

  add(attempt: GradedAttemptItems): void {
    let total = 0;
    for (const q of attempt.questions) total += q.points;
    for (const { questionId, points } of attempt.questions) {
      let s = this.items.get(questionId);
      if (!s) {
        s = emptyItemSums();
        this.items.set(questionId, s);
      }
      const rest = total - points;
      s.n += 1;
      s.x += points;
      s.y += rest;
      s.xy += points * rest;
      s.xx += points * points;
      s.yy += rest * rest;
      if (points === 1) s.correct += 1;
      const answer = attempt.answers[questionId];
      const chosen = answer?.choiceIds ?? [];
      if (chosen.length === 0 && !answer?.verdict) s.blank += 1;
      for (const id of chosen) s.picks[id] = (s.picks[id] ?? 0) + 1;
      if (answer?.verdict) s.verdicts[answer.verdict] = (s.verdicts[answer.verdict] ?? 0) + 1;
    }
  }

  /** The sums of one question (empty when it was never drawn). */
  sums(questionId: string): ItemSums {
    return this.items.get(questionId) ?? emptyItemSums();
  }

  questionIds(): string[] {
    return [...this.items.keys()];
  }
}

/** Pearson's r from running sums; null with fewer than two answers or when x or y never varies. */
export function pointBiserial(s: CorrelationSums): number | null {
  if (s.n < 2) return null;
  const vx = s.n * s.xx - s.x * s.x;
  const vy = s.n * s.yy - s.y * s.y;
  // Sums of halves are exact in binary, but guard against rounding leaving a tiny non-zero variance.
  if (vx <= 1e-9 || vy <= 1e-9) return null;
  return (s.n * s.xy - s.x * s.y) / Math.sqrt(vx * vy);
}

export interface ChoiceStat {
  id: string;
  correct: boolean;
  picks: number;
  /** picks / drawn (several can be ticked on a multiple-response question). */
  share: number;
}

export interface ItemStatistics {
  questionId: string;
  drawn: number;
  blank: number;
  shareCorrect: number | null;
  meanPoints: number | null;
  discrimination: number | null;
  /** Options, reasons or segments in the author's order. */
  choices: ChoiceStat[];
  /** Classify questions only: each verdict. */
  verdicts: ChoiceStat[];
  flags: ItemFlag[];
  /** Wrong choices (and verdicts) nobody picked, when that is flagged. */
  unpicked: string[];
}

export interface FlagThresholds {
  minAnswers?: number;
  minAnswersForDistractor?: number;
}

/** The choices of a question with whether each earns the point (spot: the problem segment). */
function choicesOf(question: Question): Array<{ id: string; correct: boolean }> {
  switch (question.type) {
    case 'classify':
      return question.reasons.map((r) => ({ id: r.id, correct: r.correct }));
    case 'spot':
      return question.segments.map((s) => ({ id: s.id, correct: s.problem }));
    default:
      return question.options.map((o) => ({ id: o.id, correct: o.correct }));
  }
}

function verdictsOf(question: Question): Array<{ id: PostVerdict; correct: boolean }> {
  if (question.type !== 'classify') return [];
  return POST_VERDICTS.map((v) => ({ id: v, correct: v === question.verdict }));
}

/** The statistics and flags of one question from its sums. Pure; the thresholds are documented above. */
export function itemStatistics(
  question: Question,
  sums: ItemSums,
  thresholds: FlagThresholds = {},
): ItemStatistics {
  const minAnswers = thresholds.minAnswers ?? MIN_ANSWERS_FOR_FLAGS;
  const minDistractor = thresholds.minAnswersForDistractor ?? MIN_ANSWERS_FOR_DISTRACTOR_FLAG;
  const n = sums.n;
  const stat = (c: { id: string; correct: boolean }, counts: Record<string, number>): ChoiceStat => {
    const picks = counts[c.id] ?? 0;
    return { ...c, picks, share: n > 0 ? picks / n : 0 };
  };
  const choices = choicesOf(question).map((c) => stat(c, sums.picks));
  const verdicts = verdictsOf(question).map((v) => stat(v, sums.verdicts));
  const shareCorrect = n > 0 ? sums.correct / n : null;
  const discrimination = pointBiserial(sums);

  const flags: ItemFlag[] = [];
  let unpicked: string[] = [];
  if (n >= minAnswers && shareCorrect !== null) {
    if (shareCorrect > TOO_EASY_ABOVE) flags.push('too-easy');
    if (shareCorrect < TOO_HARD_BELOW) flags.push('too-hard');
    if (discrimination !== null && discrimination < 0) flags.push('negative-discrimination');
  }
  if (n >= minDistractor) {
    unpicked = [...choices, ...verdicts].filter((c) => !c.correct && c.picks === 0).map((c) => c.id);
    if (unpicked.length > 0) flags.push('unpicked-distractor');
  }
  return {
    questionId: question.id,
    drawn: n,
    blank: sums.blank,
    shareCorrect,
    meanPoints: n > 0 ? sums.x / n : null,
    discrimination,
    choices,
    verdicts,
    flags,
    unpicked,
  };
}
