import type { AttemptDoc } from '../../../src/db/models/quiz.js';
import type { Question } from '../../../src/domain/course.js';
import { questionKey } from '../../../src/domain/quiz/answer-form.js';
import { type GivenAnswer, rightAnswer } from '../../../src/domain/quiz/grading.js';
import { choiceTokensFor } from '../../../src/services/quiz/choice-tokens.js';
import { wrongAnswer } from '../../factories.js';

/**
 * Answers a simulated learner gives: right or wrong on purpose, so synthetic history and bench
 * submissions have a realistic mix of passes and fails. A right answer is the app's own
 * `rightAnswer`, from the answer key, which only the bench (like the server) can see; the browser
 * form carries opaque choice tokens, see `answerFields`.
 */
export function answerFor(question: Question, right: boolean): GivenAnswer {
  return right ? rightAnswer(question) : wrongAnswer(question);
}

/**
 * The quiz form fields for the answer to question `index` of an attempt, named as the attempt page
 * names them (opaque per-attempt tokens, mapped through the app's own function).
 */
export function answerFields(
  attempt: Pick<AttemptDoc, 'draw' | 'seed' | 'choiceKey'>,
  index: number,
  answer: GivenAnswer,
): Record<string, string | string[]> {
  const key = questionKey(index);
  const drawn = attempt.draw[index]!;
  const offered = choiceTokensFor(attempt)[index]!;
  const tokens = answer.choiceIds.map((id) => offered[drawn.choiceIds.indexOf(id)]!);
  const fields: Record<string, string | string[]> = { [`answers[${key}]`]: tokens };
  if (answer.verdict) fields[`verdicts[${key}]`] = answer.verdict;
  return fields;
}
