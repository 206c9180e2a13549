import { describe, expect, it } from 'vitest';
import { type Course, QUIZ_DEFAULTS } from '../../../src/domain/course.js';
import { fullReview, reviewLevelFor, weakClauses } from '../../../src/domain/quiz/index.js';
import { classify, single } from './fixtures.js';

describe('reviewLevelFor', () => {
  const settings = {
    ...QUIZ_DEFAULTS,
    review: { afterPass: 'full', afterFinalFail: 'scoreOnly', afterFail: 'scoreAndWeakClauses' },
  } as const;
  it('follows the course settings for pass, fail and final fail', () => {
    expect(reviewLevelFor(settings, true, false)).toBe('full');
    expect(reviewLevelFor(settings, true, true)).toBe('full');
    expect(reviewLevelFor(settings, false, false)).toBe('scoreAndWeakClauses');
    expect(reviewLevelFor(settings, false, true)).toBe('scoreOnly');
  });
});

describe('weakClauses', () => {
  const course = {
    clauses: [
      { id: 'C1', number: '1', title: 'One', text: '', summary: '' },
      { id: 'C2', number: '2', title: 'Two', text: '', summary: '' },
      { id: 'C3', number: '3', title: 'Three', text: '', summary: '' },
    ],
    lessons: [
      { id: 'l1', title: 'Lesson 1', objectives: [], clauses: ['C2'], html: '' },
      { id: 'l2', title: 'Lesson 2', objectives: [], clauses: ['C2', 'C3'], html: '' },
    ],
  } as unknown as Course;

  it('lists clauses with lost points in policy order, with the lessons that teach them', () => {
    const weak = weakClauses(course, {
      C3: { correct: 0.5, total: 1 },
      C1: { correct: 2, total: 2 },
      C2: { correct: 0, total: 1 },
    });
    expect(weak.map((c) => c.id)).toEqual(['C2', 'C3']);
    expect(weak[0]!.lessons.map((l) => l.id)).toEqual(['l1', 'l2']);
    expect(weak[1]!.lessons.map((l) => l.id)).toEqual(['l2']);
  });
});

describe('fullReview', () => {
  it('shows the answer given, the right answer and all feedback in the order served', () => {
    const questions = new Map([single(), classify()].map((q) => [q.id, q]));
    const review = fullReview(
      questions,
      [
        { questionId: 'classify', choiceIds: ['r3', 'r2', 'r1'] },
        { questionId: 'single', choiceIds: ['b', 'a', 'c'] },
      ],
      { classify: { verdict: 'unacceptable', choiceIds: ['r1'] } },
      [
        { questionId: 'classify', points: 0.5, correct: false },
        { questionId: 'single', points: 0, correct: false },
      ],
    );
    expect(review[0]).toMatchObject({
      number: 1,
      points: 0.5,
      answered: true,
    });
    // Verdict codes only: pages word them in their language (learn.verdict.*.label), so the review carries no English label.
    expect(review[0]!.verdict).toEqual({ given: 'unacceptable', right: 'unacceptable' });
    expect(review[0]!.choices).toEqual([
      { text: 'Option r3', chosen: false, right: false, feedback: 'fb r3' },
      { text: 'Option r2', chosen: false, right: true, feedback: 'fb r2' },
      { text: 'Option r1', chosen: true, right: false, feedback: 'fb r1' },
    ]);
    expect(review[1]).toMatchObject({ answered: false, verdict: null, explanation: 'Explanation single' });
  });
});
