import type { PostVerdict, Question, QuestionType } from '../course.js';
import { type PostCardView, postCard } from '../post-card.js';
import { verdictChoices } from '../verdict-labels.js';
import { questionKey } from './answer-form.js';
import type { DrawnQuestion } from './draw.js';
import type { GivenAnswer } from './grading.js';

/**
 * A question as the attempt page may show it: texts and display tokens only. Built field by field
 * (never by spreading a course object), so correctness, feedback and explanations cannot slip
 * into the HTML before grading.
 */
export interface QuestionView {
  /** The question's form key (`q<n>`), not its course id, which could hint at the answer. */
  key: string;
  number: number;
  type: QuestionType;
  prompt: string;
  /** Classify and spot: the post, as its card shows it. */
  card: PostCardView | null;
  /** Checkbox for "all that apply", radio otherwise. */
  multiple: boolean;
  /** Label above the choices: the options, the reasons, or the post's parts. */
  choicesLegend: string;
  /** `token` is the choice's opaque per-attempt form value, never its course id or position. */
  choices: Array<{ token: string; text: string; checked: boolean }>;
  /** Classify only: the verdict picked so far. */
  verdict: string | null;
  /** Classify only: the verdicts to choose from (acceptable, ask first, not acceptable); else empty. */
  verdicts: Array<{ value: PostVerdict; label: string; checked: boolean }>;
}

// Loaded questions are never changed, so each one's map is built once (the guessing check asks
// for the same questions thousands of times).
const textsById = new WeakMap<Question, ReadonlyMap<string, string>>();

/** A question's choice texts by choice id: its options, its reasons (classify) or its segments (spot). */
export function choiceTexts(question: Question): ReadonlyMap<string, string> {
  let byId = textsById.get(question);
  if (!byId) {
    const list =
      question.type === 'classify'
        ? question.reasons
        : question.type === 'spot'
          ? question.segments
          : question.options;
    byId = new Map(list.map((c) => [c.id, c.text]));
    textsById.set(question, byId);
  }
  return byId;
}

/** A question's choice texts in the order the attempt shows them. */
export function shownChoiceTexts(question: Question, drawn: DrawnQuestion): string[] {
  const texts = choiceTexts(question);
  return drawn.choiceIds.map((id) => texts.get(id) ?? '');
}

/** The message key (quiz catalogue) of the hint above each type's choices. */
const LEGENDS: Record<QuestionType, string> = {
  single: 'quiz.legend.single',
  truefalse: 'quiz.legend.single',
  multiple: 'quiz.legend.multiple',
  classify: 'quiz.legend.classify',
  spot: 'quiz.legend.spot',
};

function tokenAt(tokens: readonly string[], index: number): string {
  const token = tokens[index];
  // A missing token would render a choice that cannot be answered: a bug, not a learner's error.
  if (token === undefined) throw new Error(`no form token for choice ${index + 1}`);
  return token;
}

/** `tokens` are the form values of `drawn.choiceIds`, in the same order (see ChoiceTokens). */
export function presentQuestion(
  question: Question,
  drawn: DrawnQuestion,
  tokens: readonly string[],
  number: number,
  answer: GivenAnswer | undefined,
): QuestionView {
  const texts = shownChoiceTexts(question, drawn);
  const chosen = new Set(answer?.choiceIds ?? []);
  return {
    key: questionKey(number - 1),
    number,
    type: question.type,
    prompt: question.prompt,
    card: question.type === 'classify' || question.type === 'spot' ? postCard(question.post) : null,
    multiple: question.type === 'multiple',
    choicesLegend: LEGENDS[question.type],
    choices: drawn.choiceIds.map((id, i) => ({
      token: tokenAt(tokens, i),
      text: texts[i] ?? '',
      checked: chosen.has(id),
    })),
    verdict: answer?.verdict ?? null,
    verdicts:
      question.type === 'classify'
        ? verdictChoices().map(({ value, label }) => ({ value, label, checked: answer?.verdict === value }))
        : [],
  };
}
