import { createHmac, randomBytes } from 'node:crypto';
import type { AttemptDoc } from '../../db/models/quiz.js';
import type { ChoiceTokens } from '../../domain/quiz/index.js';

/** 72 bits: a collision between two choices of one question is never expected (and is checked). */
const TOKEN_CHARS = 12;

/** A new attempt's random key for its choice tokens; stored on the attempt, never sent anywhere. */
export function newChoiceKey(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The form values of an attempt's choices (see ChoiceTokens in domain/quiz/answer-form.ts): an
 * HMAC of the question and option ids under the attempt's own key, so the same bank option has a
 * different value in every attempt, and no value reveals the option's id, letter or position. The
 * server maps them back to option ids before anything is stored or graded.
 *
 * Attempts stored before the key existed have none: they are keyed by their seed, which is just as
 * random per attempt and never leaves the server either, so they stay answerable with opaque values.
 */
export function choiceTokensFor(attempt: Pick<AttemptDoc, 'draw' | 'seed' | 'choiceKey'>): ChoiceTokens {
  const key = attempt.choiceKey ?? `seed:${attempt.seed}`;
  return attempt.draw.map(({ questionId, choiceIds }) => {
    const tokens = choiceIds.map((id) =>
      createHmac('sha256', key).update(`${questionId}\0${id}`).digest('base64url').slice(0, TOKEN_CHARS),
    );
    if (new Set(tokens).size !== tokens.length) throw new Error(`choice token collision in ${questionId}`);
    return tokens;
  });
}
