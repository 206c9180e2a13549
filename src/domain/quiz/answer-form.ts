import { POST_VERDICTS, type PostVerdict, type Question } from '../course.js';
import type { Problem } from '../errors.js';
import type { Draw, DrawnQuestion } from './draw.js';
import type { Answers, GivenAnswer } from './grading.js';

/**
 * The form never names questions or choices by course ids: question ids are descriptive
 * ("disclaimer-fixes-everything") and authors often write the right option first as "a", so either
 * would hint at the answer. Question i of the draw is `q<i+1>` (the draw order is random per
 * attempt). Choices are named by tokens the service derives per attempt (opaque, different in every
 * attempt, see services/quiz/choice-tokens.ts), passed in here so these rules stay pure.
 */
export function questionKey(index: number): string {
  return `q${index + 1}`;
}

/**
 * The form value of each choice of an attempt: `tokens[i][j]` names `draw[i].choiceIds[j]`. Tokens
 * of one question are distinct.
 */
export type ChoiceTokens = ReadonlyArray<readonly string[]>;

function choiceIdForToken(
  drawn: DrawnQuestion,
  offered: readonly string[],
  token: string,
): string | undefined {
  const index = offered.indexOf(token);
  return index < 0 ? undefined : drawn.choiceIds[index];
}

/** The form as parsed flat by @fastify/formbody: `answers[q<n>]` and `verdicts[q<n>]`. */
export type AnswerForm = Record<string, string | string[] | undefined>;

export interface AnswerFormResult {
  /** Keyed by course question id, as stored and graded. */
  answers: Answers;
  /** Tampered or impossible input (not something the page lets a person do): the whole form is refused. */
  invalid: Problem[];
  /** Course question ids with no (complete) answer, in draw order. */
  unanswered: string[];
}

const FIELD = /^(answers|verdicts)\[([A-Za-z0-9_-]+)\]$/;

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function isVerdict(value: string): value is PostVerdict {
  return (POST_VERDICTS as readonly string[]).includes(value);
}

/** Reads one question's fields; returns an answer, 'blank', or the problem (a quiz catalogue key and its values). */
function readQuestion(
  question: Question,
  drawn: DrawnQuestion,
  offered: readonly string[],
  index: number,
  form: AnswerForm,
): GivenAnswer | 'blank' | Problem {
  const key = questionKey(index);
  const n = index + 1;
  const tokens = asList(form[`answers[${key}]`]);
  const verdicts = asList(form[`verdicts[${key}]`]);
  const multiple = question.type === 'multiple';
  if (!multiple && tokens.length > 1) return { message: 'quiz.errors.form.oneAnswer', values: { n } };
  if (new Set(tokens).size !== tokens.length) return { message: 'quiz.errors.form.repeated', values: { n } };
  const choiceIds: string[] = [];
  for (const token of tokens) {
    const id = choiceIdForToken(drawn, offered, token);
    if (!id) return { message: 'quiz.errors.form.notChoice', values: { token, n } };
    choiceIds.push(id);
  }
  if (question.type !== 'classify') {
    if (verdicts.length > 0) return { message: 'quiz.errors.form.noVerdict', values: { n } };
    return choiceIds.length === 0 ? 'blank' : { choiceIds };
  }
  if (verdicts.length > 1) return { message: 'quiz.errors.form.oneVerdict', values: { n } };
  const verdict = verdicts[0];
  if (verdict !== undefined && !isVerdict(verdict))
    return { message: 'quiz.errors.form.notVerdict', values: { verdict } };
  // Half an answer is kept when saving, and counts as unanswered when submitting.
  if (verdict === undefined && choiceIds.length === 0) return 'blank';
  return verdict === undefined ? { choiceIds } : { choiceIds, verdict };
}

function isComplete(question: Question, answer: GivenAnswer): boolean {
  return question.type === 'classify' ? answer.verdict !== undefined && answer.choiceIds.length === 1 : true;
}

/**
 * Checks a submitted answer form against the attempt's draw: every field must name a question of
 * the draw, every choice must be one of its question's tokens in this attempt, single-answer
 * questions take one value. Bank option ids ("a") are not tokens, so they are refused.
 */
export function readAnswerForm(
  questionsById: ReadonlyMap<string, Question>,
  draw: Draw,
  tokens: ChoiceTokens,
  form: AnswerForm,
): AnswerFormResult {
  const invalid: Problem[] = [];
  const keys = new Set(draw.map((_, i) => questionKey(i)));
  for (const key of Object.keys(form)) {
    if (key === '_csrf') continue;
    const match = FIELD.exec(key);
    if (!match) invalid.push({ message: 'quiz.errors.form.notField', values: { field: key } });
    else if (!keys.has(match[2]!))
      invalid.push({ message: 'quiz.errors.form.notInAttempt', values: { key: match[2]! } });
  }
  const answers: Answers = {};
  const unanswered: string[] = [];
  draw.forEach((drawn, index) => {
    const question = questionsById.get(drawn.questionId);
    // Removed by a content update after the attempt started: nothing to answer (grading skips it too).
    if (!question) return;
    const read = readQuestion(question, drawn, tokens[index] ?? [], index, form);
    if (read === 'blank') unanswered.push(drawn.questionId);
    else if ('message' in read) invalid.push(read);
    else {
      answers[drawn.questionId] = read;
      if (!isComplete(question, read)) unanswered.push(drawn.questionId);
    }
  });
  return { answers, invalid, unanswered };
}
