/**
 * Answering a browser quiz by ids, in any language: nothing is matched by text. The page names each
 * question by its form key (`q<n>`, draw order) and each choice by an opaque per-attempt token; the
 * test process reads the attempt's draw from the database, derives the same tokens the server does
 * (services/quiz/choice-tokens.ts) and takes the right answers from the course files' answer key,
 * which is the same in every translation. The page itself never supplies an answer.
 */
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { AttemptDoc } from '../../../src/db/models/quiz.js';
import { questionKey } from '../../../src/domain/quiz/answer-form.js';
import { rightAnswer } from '../../../src/domain/quiz/grading.js';
import { choiceTokensFor } from '../../../src/services/quiz/choice-tokens.js';
import { courseFromFiles } from './journey.js';

interface ShownQuestion {
  key: string;
  /** Choice inputs (options, reasons or segments): element id and form value (a token). */
  choices: Array<{ id: string; value: string }>;
  /** Classify only: verdict inputs, whose values are the verdict ids themselves. */
  verdicts: Array<{ id: string; value: string }>;
}

/** The quiz form's questions and inputs, read from the DOM by ids and values only. */
function readShownQuestions(page: Page): Promise<ShownQuestion[]> {
  return page.$$eval('fieldset.quiz-question', (sets) =>
    sets.map((set) => {
      const inputs = (prefix: string) =>
        Array.from(set.querySelectorAll<HTMLInputElement>(`input[name^="${prefix}["]`)).map((i) => ({
          id: i.id,
          value: i.value,
        }));
      return { key: set.id, choices: inputs('answers'), verdicts: inputs('verdicts') };
    }),
  );
}

/**
 * The input ids to tick on the attempt page of `attemptId`: every right answer when `pass`, else a
 * wrong choice (and a wrong verdict) in every question, which scores zero.
 */
export async function plannedAnswersById(
  page: Page,
  app: FastifyInstance,
  attemptId: string,
  pass: boolean,
): Promise<string[][]> {
  const attempt = await app.db.models.Attempt.findById(attemptId).lean<AttemptDoc>();
  if (!attempt) throw new Error(`attempt ${attemptId} not stored`);
  const course = await courseFromFiles();
  const tokens = choiceTokensFor(attempt);
  const shown = await readShownQuestions(page);
  expect(shown.map((s) => s.key)).toEqual(attempt.draw.map((_, i) => questionKey(i)));
  return shown.map((s, i) => {
    const drawn = attempt.draw[i]!;
    const question = course.questions.find((q) => q.id === drawn.questionId);
    if (!question) throw new Error(`drawn question ${drawn.questionId} is not in the course files`);
    // The page offers exactly the drawn choices, each under its token.
    expect(s.choices.map((c) => c.value).sort()).toEqual([...tokens[i]!].sort());
    const idOf = (token: string) => drawn.choiceIds[tokens[i]!.indexOf(token)]!;
    const key = rightAnswer(question);
    const isRight = (c: { value: string }) => key.choiceIds.includes(idOf(c.value));
    const ids: string[] = [];
    if (key.verdict) {
      const verdict = s.verdicts.find((v) => (v.value === key.verdict) === pass);
      if (!verdict) throw new Error(`no ${pass ? 'right' : 'wrong'} verdict input in ${s.key}`);
      ids.push(verdict.id);
    }
    if (pass) ids.push(...s.choices.filter(isRight).map((c) => c.id));
    else ids.push(s.choices.find((c) => !isRight(c))!.id);
    return ids;
  });
}
