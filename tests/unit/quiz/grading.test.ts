import { describe, expect, it } from 'vitest';
import type { Question } from '../../../src/domain/course.js';
import { gradeAttempt, gradeQuestion, RIGHT_VERDICT_WRONG_REASON } from '../../../src/domain/quiz/index.js';
import { classify, multiple, single, spot, trueFalse } from './fixtures.js';

describe('single choice and true/false', () => {
  it('scores the right option 1 and anything else 0', () => {
    expect(gradeQuestion(single(), { choiceIds: ['a'] })).toBe(1);
    expect(gradeQuestion(single(), { choiceIds: ['b'] })).toBe(0);
    expect(gradeQuestion(trueFalse(), { choiceIds: ['false'] })).toBe(1);
    expect(gradeQuestion(trueFalse(), { choiceIds: ['true'] })).toBe(0);
  });

  it('scores no answer, an unknown id and several ids 0', () => {
    expect(gradeQuestion(single(), undefined)).toBe(0);
    expect(gradeQuestion(single(), { choiceIds: [] })).toBe(0);
    expect(gradeQuestion(single(), { choiceIds: ['zzz'] })).toBe(0);
    expect(gradeQuestion(single(), { choiceIds: ['a', 'b'] })).toBe(0);
  });
});

describe('multiple choice', () => {
  it('is all-or-nothing without partial credit', () => {
    expect(gradeQuestion(multiple(false), { choiceIds: ['a', 'b'] })).toBe(1);
    expect(gradeQuestion(multiple(false), { choiceIds: ['a'] })).toBe(0);
    expect(gradeQuestion(multiple(false), { choiceIds: ['a', 'b', 'c'] })).toBe(0);
  });

  it('gives the share of options judged right with partial credit', () => {
    expect(gradeQuestion(multiple(true), { choiceIds: ['b', 'a'] })).toBe(1);
    // a right, b missed, c and d rightly left: 3 of 4.
    expect(gradeQuestion(multiple(true), { choiceIds: ['a'] })).toBe(0.75);
    // a and b right, c wrongly ticked, d rightly left.
    expect(gradeQuestion(multiple(true), { choiceIds: ['a', 'b', 'c'] })).toBe(0.75);
  });

  it('scores ticking everything by the same rule: the wrong options count against it', () => {
    expect(gradeQuestion(multiple(true), { choiceIds: ['a', 'b', 'c', 'd'] })).toBe(0.5);
    expect(gradeQuestion(multiple(false), { choiceIds: ['a', 'b', 'c', 'd'] })).toBe(0);
  });

  it('scores a blank answer 0, even with partial credit', () => {
    expect(gradeQuestion(multiple(true), { choiceIds: [] })).toBe(0);
    expect(gradeQuestion(multiple(true), undefined)).toBe(0);
  });
});

describe('classify', () => {
  it('gives full points for the right verdict and reason', () => {
    expect(gradeQuestion(classify(), { verdict: 'unacceptable', choiceIds: ['r2'] })).toBe(1);
  });

  it('gives half for the right verdict with the wrong reason', () => {
    expect(RIGHT_VERDICT_WRONG_REASON).toBe(0.5);
    expect(gradeQuestion(classify(), { verdict: 'unacceptable', choiceIds: ['r1'] })).toBe(0.5);
    expect(gradeQuestion(classify(), { verdict: 'unacceptable', choiceIds: [] })).toBe(0.5);
  });

  it('gives nothing for the wrong verdict or no verdict, whatever the reason', () => {
    expect(gradeQuestion(classify(), { verdict: 'acceptable', choiceIds: ['r2'] })).toBe(0);
    expect(gradeQuestion(classify(), { choiceIds: ['r2'] })).toBe(0);
  });
});

describe('spot the problem', () => {
  it('scores the problem segment 1 and the others 0', () => {
    expect(gradeQuestion(spot(), { choiceIds: ['s2'] })).toBe(1);
    expect(gradeQuestion(spot(), { choiceIds: ['s1'] })).toBe(0);
    expect(gradeQuestion(spot(), { choiceIds: ['s1', 's2'] })).toBe(0);
  });
});

describe('a whole attempt', () => {
  const questions: Question[] = [
    single('q1', ['C1']),
    single('q2', ['C1', 'C2']),
    multiple(true, 'q3', ['C2']),
    spot('q4'),
  ];
  const byId = new Map(questions.map((q) => [q.id, q]));
  const draw = questions.map((q) => ({ questionId: q.id, choiceIds: [] }));

  it('sums points into a percentage and per-clause scores', () => {
    const grade = gradeAttempt(
      byId,
      draw,
      { q1: { choiceIds: ['a'] }, q2: { choiceIds: ['b'] }, q3: { choiceIds: ['a'] } },
      50,
    );
    expect(grade.questions.map((q) => q.points)).toEqual([1, 0, 0.75, 0]);
    expect(grade.questions.map((q) => q.correct)).toEqual([true, false, false, false]);
    expect(grade.score).toBe(43.8);
    expect(grade.passed).toBe(false);
    expect(grade.clauses).toEqual({
      C1: { correct: 1, total: 2 },
      C2: { correct: 0.75, total: 2 },
      C3: { correct: 0, total: 1 },
    });
  });

  it('passes exactly at the pass mark and not just below it', () => {
    const answers = { q1: { choiceIds: ['a'] }, q2: { choiceIds: ['a'] }, q3: { choiceIds: ['a', 'b'] } };
    expect(gradeAttempt(byId, draw, answers, 75)).toMatchObject({ score: 75, passed: true });
    expect(gradeAttempt(byId, draw, answers, 75.1).passed).toBe(false);
  });

  it('never rounds a near miss up to a pass', () => {
    const three = [single('a1'), single('a2'), single('a3')];
    const m = new Map(three.map((q) => [q.id, q]));
    const d = three.map((q) => ({ questionId: q.id, choiceIds: [] }));
    const grade = gradeAttempt(m, d, { a1: { choiceIds: ['a'] }, a2: { choiceIds: ['a'] } }, 66.7);
    expect(grade.score).toBe(66.7);
    expect(grade.passed).toBe(false);
  });

  it('grades the remaining questions when a content update removed one from the bank', () => {
    const withGone = [...draw, { questionId: 'removed', choiceIds: [] }];
    const answers = { q1: { choiceIds: ['a'] }, q2: { choiceIds: ['a'] }, q3: { choiceIds: ['a', 'b'] } };
    const grade = gradeAttempt(byId, withGone, answers, 75);
    expect(grade.questions.map((q) => q.questionId)).toEqual(['q1', 'q2', 'q3', 'q4']);
    expect(grade).toMatchObject({ score: 75, passed: true });
  });
});
