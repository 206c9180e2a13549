import type {
  ChoiceOption,
  ClassifyQuestion,
  MultipleChoiceQuestion,
  Question,
  SingleChoiceQuestion,
  SpotQuestion,
  TrueFalseQuestion,
} from '../../../src/domain/course.js';

const opt = (id: string, correct: boolean): ChoiceOption => ({
  id,
  text: `Option ${id}`,
  correct,
  feedback: `fb ${id}`,
});
const base = (id: string, clauses: string[]) => ({
  id,
  prompt: `Prompt ${id}`,
  clauses,
  difficulty: 'easy' as const,
  explanation: `Explanation ${id}`,
});

export const single = (id = 'single', clauses = ['C1']): SingleChoiceQuestion => ({
  ...base(id, clauses),
  type: 'single',
  options: [opt('a', true), opt('b', false), opt('c', false)],
});

export const trueFalse = (id = 'tf', clauses = ['C1']): TrueFalseQuestion => ({
  ...base(id, clauses),
  type: 'truefalse',
  options: [opt('true', false), opt('false', true)],
});

export const multiple = (partialCredit: boolean, id = 'multi', clauses = ['C2']): MultipleChoiceQuestion => ({
  ...base(id, clauses),
  type: 'multiple',
  partialCredit,
  options: [opt('a', true), opt('b', true), opt('c', false), opt('d', false)],
});

const post = { platform: 'x' as const, persona: { name: 'Ada', role: 'Engineer' }, text: 'Hello world' };

export const classify = (id = 'classify', clauses = ['C3']): ClassifyQuestion => ({
  ...base(id, clauses),
  type: 'classify',
  post,
  verdict: 'unacceptable',
  reasons: [opt('r1', false), opt('r2', true), opt('r3', false)],
});

export const spot = (id = 'spot', clauses = ['C3']): SpotQuestion => ({
  ...base(id, clauses),
  type: 'spot',
  post,
  segments: [
    { id: 's1', text: 'Hello', problem: false, feedback: 'fine' },
    { id: 's2', text: 'world', problem: true, feedback: 'leak' },
    { id: 's3', text: 'again', problem: false, feedback: 'fine too' },
  ],
});

/** A bank of `n` single-choice questions; question i tests clause `K<i % clauses>`. */
export function bank(n: number, clauses: number): Question[] {
  return Array.from({ length: n }, (_, i) => single(`q${i}`, [`K${i % clauses}`]));
}
