import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultCoursesDir, loadCourse, loadCourses } from '../../../src/content/index.js';
import { FULL_CHECK } from './quality-helpers.js';
import { soundCourse } from './sound-course.js';
import { contentErrorOf, expectIssue, type TempCourse } from './temp-course.js';

// The loader is what the server's start and every CLI command use: in 'enforce' mode it refuses a
// course that fails the quality checks as it refuses a schema error, naming the file and line.

let course: TempCourse;
beforeEach(async () => {
  course = await soundCourse();
  await course.edit('quiz.yaml', '"Choice b for case 3 fits"', '"All of the above"');
});
afterEach(async () => {
  await course.cleanup();
});

describe('the loader with quality checks enforced', FULL_CHECK, () => {
  it('refuses a course that fails them, naming file, line and rule', async () => {
    const error = await contentErrorOf(loadCourse(course.dir, { quality: 'enforce' }));
    expectIssue(error, {
      file: 'minimal/quiz.yaml',
      line: await course.lineOf('quiz.yaml', 'All of the above'),
      field: 'questions[3].options[1].text',
      message: 'says "All of the above"',
    });
  });

  it('refuses it in loadCourses too (the server start and the CLI)', async () => {
    const error = await contentErrorOf(loadCourses(course.root, { quality: 'enforce' }));
    expect(error.message).toContain('says "All of the above"');
  });

  it('loads a course that passes them', async () => {
    await course.edit('quiz.yaml', '"All of the above"', '"Choice b for case 3 fits"');
    expect((await loadCourse(course.dir, { quality: 'enforce' })).id).toBe('minimal');
  });

  it("in 'report' mode loads the failing course (content:check still prints the findings)", async () => {
    expect((await loadCourse(course.dir, { quality: 'report' })).questions).toHaveLength(24);
  });
});

describe('the loader the app starts with', FULL_CHECK, () => {
  it('refuses a failing course by default: loadCourses is what the server start and the CLI call', async () => {
    const error = await contentErrorOf(loadCourses(course.root));
    expect(error.message).toMatch(
      /minimal\/quiz\.yaml:\d+ questions\[3\]\.options\[1\]\.text: option "b" says "All of the above"/,
    );
  });

  it('loads the shipped course, which passes every quality check', async () => {
    const courses = await loadCourses(defaultCoursesDir);
    expect([...courses.keys()]).toContain('social-media-policy');
  });
});
