import { describe, expect, it } from 'vitest';
import type { Question } from '../../../src/domain/course.js';
import {
  type ChoiceTokens,
  type Draw,
  presentQuestion,
  readAnswerForm,
} from '../../../src/domain/quiz/index.js';
import { translator } from '../../../src/i18n/translator.js';
import { classify, multiple, single, spot } from './fixtures.js';

const questions: Question[] = [single(), multiple(true), classify(), spot()];
const byId = new Map(questions.map((q) => [q.id, q]));
// Shuffled orders as a draw would store them.
const draw: Draw = [
  { questionId: 'single', choiceIds: ['c', 'a', 'b'] },
  { questionId: 'multi', choiceIds: ['d', 'b', 'a', 'c'] },
  { questionId: 'classify', choiceIds: ['r3', 'r2', 'r1'] },
  { questionId: 'spot', choiceIds: ['s1', 's2'] },
];
// The attempt's opaque choice values, in the draw's choice order (the service derives them).
const tokens: ChoiceTokens = [
  ['tC', 'tA', 'tB'],
  ['tD', 'tB', 'tA', 'tC'],
  ['r3x', 'r2x', 'r1x'],
  ['s1x', 's2x'],
];
// Form keys are positions in the draw: q1 = single, q2 = multi, q3 = classify, q4 = spot.
const complete = {
  'answers[q1]': 'tA',
  'answers[q2]': ['tB', 'tA'],
  'verdicts[q3]': 'unacceptable',
  'answers[q3]': 'r2x',
  'answers[q4]': 's2x',
  _csrf: 'token',
};

describe('readAnswerForm', () => {
  it("maps the attempt's tokens back to option ids", () => {
    expect(readAnswerForm(byId, draw, tokens, complete)).toEqual({
      answers: {
        single: { choiceIds: ['a'] },
        multi: { choiceIds: ['b', 'a'] },
        classify: { choiceIds: ['r2'], verdict: 'unacceptable' },
        spot: { choiceIds: ['s2'] },
      },
      invalid: [],
      unanswered: [],
    });
  });

  it('lists unanswered questions in draw order, counting half a classify answer as unanswered', () => {
    const read = readAnswerForm(byId, draw, tokens, { 'answers[q2]': 'tD', 'verdicts[q3]': 'acceptable' });
    expect(read.unanswered).toEqual(['single', 'classify', 'spot']);
    expect(read.answers.classify).toEqual({ choiceIds: [], verdict: 'acceptable' });
    expect(read.invalid).toEqual([]);
  });

  it('refuses tampered input with a reason', () => {
    const cases: Array<[Record<string, string | string[]>, RegExp]> = [
      [{ 'answers[q1]': ['tA', 'tB'] }, /takes one answer/],
      [{ 'answers[q1]': 'tD' }, /not one of the choices/],
      [{ 'answers[q1]': 'a' }, /not one of the choices/],
      [{ 'answers[q1]': '1' }, /not one of the choices/],
      [{ 'answers[q1]': 'r2x' }, /not one of the choices/],
      [{ 'answers[q5]': 'tA' }, /not part of this attempt/],
      [{ 'answers[single]': 'tA' }, /not part of this attempt/],
      [{ 'answers[q1][$gt]': '' }, /not a field of this quiz/],
      [{ 'verdicts[q1]': 'acceptable' }, /does not take a verdict/],
      [{ 'verdicts[q3]': 'maybe' }, /not a verdict/],
      [{ 'verdicts[q3]': ['acceptable', 'unacceptable'] }, /one verdict/],
      [{ 'answers[q2]': ['tB', 'tB'] }, /repeated/],
    ];
    for (const [form, message] of cases) {
      const read = readAnswerForm(byId, draw, tokens, form);
      // Problems are catalogue keys with values; the English message says what was wrong.
      const said = read.invalid.map((p) => translator('en').t(p.message, p.values)).join(' ');
      expect(said, JSON.stringify(form)).toMatch(message);
    }
  });
});

describe('presentQuestion', () => {
  it('gives texts in draw order with tokens and checked state, and nothing of the key', () => {
    const view = presentQuestion(classify(), draw[2]!, tokens[2]!, 3, {
      choiceIds: ['r2'],
      verdict: 'acceptable',
    });
    expect(view.choices).toEqual([
      { token: 'r3x', text: 'Option r3', checked: false },
      { token: 'r2x', text: 'Option r2', checked: true },
      { token: 'r1x', text: 'Option r1', checked: false },
    ]);
    expect(view.verdict).toBe('acceptable');
    expect(view.key).toBe('q3');
    // The three verdicts are always offered in the same order, so they say nothing of the key.
    expect(view.verdicts).toEqual([
      { value: 'acceptable', label: 'Acceptable', checked: true },
      { value: 'ask-first', label: 'Ask first', checked: false },
      { value: 'unacceptable', label: 'Not acceptable', checked: false },
    ]);
    const { verdicts: _offered, ...rest } = view;
    expect(JSON.stringify(rest)).not.toMatch(/correct|feedback|fb r|Explanation|"unacceptable"/);
  });

  it('does not pass through extra fields of the post or the question', () => {
    const q = { ...spot(), post: { ...spot().post, secret: 'x' } } as unknown as Question;
    expect(JSON.stringify(presentQuestion(q, draw[3]!, tokens[3]!, 4, undefined))).not.toMatch(
      /secret|problem|leak/,
    );
  });
});
