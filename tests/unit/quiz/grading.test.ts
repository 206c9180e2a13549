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

  it('gives the share of right options found minus the share of wrong options ticked, with partial credit', () => {
    // a and b are right, c and d wrong.
    expect(gradeQuestion(multiple(true), { choiceIds: ['b', 'a'] })).toBe(1);
    // Half the right options, no wrong one.
    expect(gradeQuestion(multiple(true), { choiceIds: ['a'] })).toBe(0.5);
    // Every right option and half the wrong ones.
    expect(gradeQuestion(multiple(true), { choiceIds: ['a', 'b', 'c'] })).toBe(0.5);
    // One right, one wrong: they cancel out.
    expect(gradeQuestion(multiple(true), { choiceIds: ['a', 'c'] })).toBe(0);
  });

  it('never goes below 0', () => {
    expect(gradeQuestion(multiple(true), { choiceIds: ['c', 'd'] })).toBe(0);
    expect(gradeQuestion(multiple(true), { choiceIds: ['a', 'c', 'd'] })).toBe(0);
  });

  it('weighs right and wrong options by how many of each there are', () => {
    const threeRight = {
      ...multiple(true),
      options: ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({ id, text: id, correct: i < 3, feedback: '' })),
    };
    // 2 of 3 right, 1 of 2 wrong: 2/3 − 1/2.
    expect(gradeQuestion(threeRight, { choiceIds: ['a', 'b', 'd'] })).toBeCloseTo(1 / 6, 12);
    expect(gradeQuestion(threeRight, { choiceIds: ['a', 'b', 'c', 'd'] })).toBe(0.5);
  });

  it('scores ticking every option 0, with or without partial credit', () => {
    expect(gradeQuestion(multiple(true), { choiceIds: ['a', 'b', 'c', 'd'] })).toBe(0);
    expect(gradeQuestion(multiple(false), { choiceIds: ['a', 'b', 'c', 'd'] })).toBe(0);
  });

  it('scores ticking nothing 0, with or without partial credit', () => {
    expect(gradeQuestion(multiple(true), { choiceIds: [] })).toBe(0);
    expect(gradeQuestion(multiple(true), undefined)).toBe(0);
    expect(gradeQuestion(multiple(false), { choiceIds: [] })).toBe(0);
  });

  it('ignores ids that are not options of the question', () => {
    expect(gradeQuestion(multiple(true), { choiceIds: ['a', 'b', 'zzz'] })).toBe(1);
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
    expect(gradeQuestion(classify(), { verdict: 'ask-first', choiceIds: ['r2'] })).toBe(0);
    expect(gradeQuestion(classify(), { choiceIds: ['r2'] })).toBe(0);
  });

  it('grades ask-first like any other verdict', () => {
    const askFirst = { ...classify(), verdict: 'ask-first' as const };
    expect(gradeQuestion(askFirst, { verdict: 'ask-first', choiceIds: ['r2'] })).toBe(1);
    expect(gradeQuestion(askFirst, { verdict: 'ask-first', choiceIds: ['r3'] })).toBe(0.5);
    expect(gradeQuestion(askFirst, { verdict: 'acceptable', choiceIds: ['r2'] })).toBe(0);
    expect(gradeQuestion(askFirst, { verdict: 'unacceptable', choiceIds: ['r2'] })).toBe(0);
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
    expect(grade.questions.map((q) => q.points)).toEqual([1, 0, 0.5, 0]);
    expect(grade.questions.map((q) => q.correct)).toEqual([true, false, false, false]);
    expect(grade.score).toBe(37.5);
    expect(grade.passed).toBe(false);
    expect(grade.clauses).toEqual({
      C1: { correct: 1, total: 2 },
      C2: { correct: 0.5, total: 2 },
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
