import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCourse } from '../../../src/content/index.js';
import { contentErrorOf, TempCourse } from './temp-course.js';

// An attempt draws at most one recall question, so recall questions beyond the first cannot fill
// the places of an attempt: the loader counts them once when checking questionsPerAttempt.

let course: TempCourse;
beforeEach(async () => {
  course = await TempCourse.copyOf('minimal');
});
afterEach(async () => {
  await course.cleanup();
});

const markRecall = (id: string) =>
  course.edit('quiz.yaml', `  - id: ${id}\n`, `  - id: ${id}\n    recall: true\n`);

describe('questionsPerAttempt and recall questions', () => {
  it('counts every recall question after the first as unable to fill a place', async () => {
    // 5 questions, 3 per attempt; 3 of them recall leaves 2 judgement + 1 recall = 3: still fine.
    await markRecall('q-single');
    await markRecall('q-truefalse');
    await markRecall('q-multiple');
    expect((await loadCourse(course.dir)).quiz.questionsPerAttempt).toBe(3);
    // A fourth recall question leaves 1 + 1 = 2 drawable for 3 places.
    await markRecall('q-classify');
    expect((await contentErrorOf(loadCourse(course.dir))).message).toMatch(
      /quiz\.questionsPerAttempt: is 3 but quiz\.yaml has only 2 valid questions that one attempt can draw \(at most one recall question\)/,
    );
  });
});
