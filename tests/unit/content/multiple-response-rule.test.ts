import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCourse } from '../../../src/content/index.js';
import { contentErrorOf, expectIssue, TempCourse } from './temp-course.js';

// Multiple response scores right ticks minus wrong ticks; with no wrong option, ticking everything
// would earn full points, so the loader refuses such a question.

let course: TempCourse;
beforeEach(async () => {
  course = await TempCourse.copyOf('minimal');
});
afterEach(async () => {
  await course.cleanup();
});

describe('a multiple-response question', () => {
  it('must have at least one wrong option', async () => {
    await course.edit(
      'quiz.yaml',
      "text: Published job advert, correct: false, feedback: It's public.",
      "text: Published job advert, correct: true, feedback: It's public.",
    );
    const line = await course.lineOf('quiz.yaml', 'Which are confidential?');
    expectIssue(await contentErrorOf(loadCourse(course.dir)), {
      file: 'minimal/quiz.yaml',
      line: line + 4,
      field: 'questions[2].options',
      message:
        'must have at least one option with correct: false (ticking every option would earn full points)',
    });
  });

  it('loads with one wrong option', async () => {
    const loaded = await loadCourse(course.dir);
    expect(loaded.questions.find((q) => q.id === 'q-multiple')?.type).toBe('multiple');
  });
});
