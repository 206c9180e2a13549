import { POST_VERDICTS, type PostVerdict, type Question, type QuestionType } from '../domain/course.js';
import type { DrawnQuestion, GivenAnswer, Rng } from '../domain/quiz/index.js';
import { randomIndex, shownChoiceTexts } from '../domain/quiz/index.js';

/**
 * How a learner who knows nothing about the policy answers, from what the page shows: the order of
 * the choices and their length. Each strategy is a rule per question type, so "always longest"
 * means the same thing on every type, and the test-wise guesser can mix the best rule per type.
 */

/** Picks one of the choices as shown (after the attempt's shuffle); ties go to the first shown. */
export const PICK_RULES = ['first', 'last', 'longest', 'shortest', 'random'] as const;
export type PickRule = (typeof PICK_RULES)[number];

export type AnswerRule =
  /** single, true/false, spot; on a multiple question: tick that one option only. */
  | { kind: 'pick'; pick: PickRule }
  /** true/false only: the option reading "True" (or "False"). */
  | { kind: 'truefalse'; value: boolean }
  /** multiple only: tick every option, none, or each with even odds. */
  | { kind: 'tick'; which: 'all' | 'none' | 'random' }
  /**
   * classify: the verdict by the same rule applied to the three verdict buttons as shown
   * (Acceptable, Ask first, Unacceptable: first = acceptable, last and longest = unacceptable,
   * shortest = ask first), then the reason by a rule.
   */
  | { kind: 'classify'; verdict: PickRule; reason: PickRule };

export type Strategy = Record<QuestionType, AnswerRule>;

const pick = (rule: PickRule): AnswerRule => ({ kind: 'pick', pick: rule });

/** The same pick rule on every type; the verdict of a classify question follows the rule too. */
function everywhere(rule: PickRule): Strategy {
  return {
    single: pick(rule),
    truefalse: pick(rule),
    multiple: rule === 'random' ? { kind: 'tick', which: 'random' } : pick(rule),
    classify: { kind: 'classify', verdict: rule, reason: rule },
    spot: pick(rule),
  };
}

/**
 * A rule that only makes sense on one type ("always True" on a true/false question, "tick all" on
 * a multiple one) answers every other type at random: the strategy is the one habit, nothing more.
 */
function onlyOn(type: QuestionType, rule: AnswerRule): Strategy {
  return { ...everywhere('random'), [type]: rule };
}

/** The fixed strategies of the guessing check; the test-wise mix is built from the bank. */
export const BASE_STRATEGIES: ReadonlyArray<{ name: string; strategy: Strategy }> = [
  { name: 'random', strategy: everywhere('random') },
  { name: 'always first', strategy: everywhere('first') },
  { name: 'always last', strategy: everywhere('last') },
  { name: 'always longest', strategy: everywhere('longest') },
  { name: 'always shortest', strategy: everywhere('shortest') },
  { name: 'always True', strategy: onlyOn('truefalse', { kind: 'truefalse', value: true }) },
  { name: 'always False', strategy: onlyOn('truefalse', { kind: 'truefalse', value: false }) },
  { name: 'tick all', strategy: onlyOn('multiple', { kind: 'tick', which: 'all' }) },
  { name: 'tick none', strategy: onlyOn('multiple', { kind: 'tick', which: 'none' }) },
];

/** Every rule a test-wise guesser may use on a type; it keeps whichever scores best on the bank. */
export function candidateRules(type: QuestionType): AnswerRule[] {
  const picks = PICK_RULES.map(pick);
  switch (type) {
    case 'truefalse':
      return [...picks, { kind: 'truefalse', value: true }, { kind: 'truefalse', value: false }];
    case 'multiple':
      return [
        ...picks,
        { kind: 'tick', which: 'all' },
        { kind: 'tick', which: 'none' },
        { kind: 'tick', which: 'random' },
      ];
    case 'classify':
      return PICK_RULES.flatMap((verdict) =>
        PICK_RULES.map((reason): AnswerRule => ({ kind: 'classify', verdict, reason })),
      );
    default:
      return picks;
  }
}

export function describeRule(rule: AnswerRule): string {
  switch (rule.kind) {
    case 'pick':
      return rule.pick;
    case 'truefalse':
      return rule.value ? 'True' : 'False';
    case 'tick':
      return `tick ${rule.which}`;
    case 'classify':
      return `verdict ${rule.verdict === 'random' ? 'random' : verdictFor(rule.verdict, () => 0)}, reason ${rule.reason}`;
  }
}

function pickIndex(rule: PickRule, texts: readonly string[], rng: Rng): number {
  switch (rule) {
    case 'first':
      return 0;
    case 'last':
      return texts.length - 1;
    case 'random':
      return randomIndex(rng, texts.length);
    case 'longest':
    case 'shortest': {
      let best = 0;
      for (let i = 1; i < texts.length; i++) {
        const [a, b] = [texts[i]!.length, texts[best]!.length];
        if (rule === 'longest' ? a > b : a < b) best = i;
      }
      return best;
    }
  }
}

/** Verdict buttons as the page shows them, in this order, labelled by their words. */
const VERDICT_LABELS = POST_VERDICTS.map((v) => v.replace('-', ' '));

function verdictFor(rule: PickRule, random: () => number): PostVerdict {
  const index =
    rule === 'random' ? Math.floor(random() * POST_VERDICTS.length) : pickIndex(rule, VERDICT_LABELS, random);
  return POST_VERDICTS[index]!;
}

/** The true/false option reading "True" (or "False"); by id when the text is something else. */
function truefalseOption(question: Question, value: boolean): string {
  const options = question.type === 'truefalse' ? question.options : [];
  const word = String(value);
  const found =
    options.find((o) => o.text.trim().toLowerCase() === word) ?? options.find((o) => o.id === word);
  return (found ?? options[value ? 0 : 1] ?? options[0])?.id ?? '';
}

/**
 * The answer `rule` gives to `question` as drawn (choice order from the attempt's draw). `texts`
 * are its shown choice texts when the caller has them already (see shownChoiceTexts).
 */
export function answerBy(
  rule: AnswerRule,
  question: Question,
  drawn: DrawnQuestion,
  rng: Rng,
  texts?: readonly string[],
): GivenAnswer {
  const ids = drawn.choiceIds;
  const shown = () => texts ?? shownChoiceTexts(question, drawn);
  switch (rule.kind) {
    case 'pick':
      return { choiceIds: [ids[pickIndex(rule.pick, shown(), rng)]!] };
    case 'truefalse':
      return { choiceIds: [truefalseOption(question, rule.value)] };
    case 'tick':
      if (rule.which === 'all') return { choiceIds: [...ids] };
      if (rule.which === 'none') return { choiceIds: [] };
      return { choiceIds: ids.filter(() => rng() < 0.5) };
    case 'classify': {
      const verdict = verdictFor(rule.verdict, rng);
      const reason = ids[pickIndex(rule.reason, shown(), rng)]!;
      return { verdict, choiceIds: [reason] };
    }
  }
}
