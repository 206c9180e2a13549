import type { AttemptDoc } from '../../../src/db/models/quiz.js';
import type { Question } from '../../../src/domain/course.js';
import { questionKey } from '../../../src/domain/quiz/answer-form.js';
import { type GivenAnswer, rightAnswer } from '../../../src/domain/quiz/grading.js';
import { choiceTokensFor } from '../../../src/services/quiz/choice-tokens.js';

/**
 * Answers a simulated learner gives: right or wrong on purpose, so synthetic history and bench
 * submissions have a realistic mix of passes and fails. A right answer is the app's own
 * `rightAnswer`, from the answer key, which only the bench (like the server) can see; the browser
 * form carries opaque choice tokens, see `answerFields`.
 */
export function answerFor(question: Question, right: boolean): GivenAnswer {
  if (right) return rightAnswer(question);
  switch (question.type) {
    case 'single':
    case 'truefalse': {
      const option = question.options.find((o) => !o.correct) ?? question.options[0]!;
      return { choiceIds: [option.id] };
    }
    case 'multiple':
      return { choiceIds: [(question.options.find((o) => !o.correct) ?? question.options[0]!).id] };
    case 'spot': {
      const segment = question.segments.find((s) => !s.problem) ?? question.segments[0]!;
      return { choiceIds: [segment.id] };
    }
    case 'classify': {
      const reason = question.reasons.find((r) => r.correct) ?? question.reasons[0]!;
      return {
        choiceIds: [reason.id],
        verdict: question.verdict === 'acceptable' ? 'unacceptable' : 'acceptable',
      };
    }
  }
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
