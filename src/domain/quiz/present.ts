import type { PostVerdict, Question, QuestionType, SocialPost } from '../course.js';
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
  post: SocialPost | null;
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

function choiceTexts(question: Question): Map<string, string> {
  const list =
    question.type === 'classify'
      ? question.reasons
      : question.type === 'spot'
        ? question.segments
        : question.options;
  return new Map(list.map((c) => [c.id, c.text]));
}

function copyPost(post: SocialPost): SocialPost {
  const copy: SocialPost = {
    platform: post.platform,
    persona: { name: post.persona.name, role: post.persona.role },
    text: post.text,
  };
  if (post.image) copy.image = post.image;
  return copy;
}

const LEGENDS: Record<QuestionType, string> = {
  single: 'Choose one answer',
  truefalse: 'Choose one answer',
  multiple: 'Choose all that apply',
  classify: 'Main reason',
  spot: 'Which part of the post breaks the policy?',
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
  const texts = choiceTexts(question);
  const chosen = new Set(answer?.choiceIds ?? []);
  return {
    key: questionKey(number - 1),
    number,
    type: question.type,
    prompt: question.prompt,
    post: question.type === 'classify' || question.type === 'spot' ? copyPost(question.post) : null,
    multiple: question.type === 'multiple',
    choicesLegend: LEGENDS[question.type],
    choices: drawn.choiceIds.map((id, i) => ({
      token: tokenAt(tokens, i),
      text: texts.get(id) ?? '',
      checked: chosen.has(id),
    })),
    verdict: answer?.verdict ?? null,
    verdicts:
      question.type === 'classify'
        ? verdictChoices().map(({ value, label }) => ({ value, label, checked: answer?.verdict === value }))
        : [],
  };
}
