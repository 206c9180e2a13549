import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCourse } from '../../../src/content/index.js';
import { TempCourse } from './temp-course.js';

// Issue 20: a course folder carries a "what changed in the policy" note for a customer's counsel.
// The loader accepts it beside README.md and still rejects other stray files.

let course: TempCourse;
beforeEach(async () => {
  course = await TempCourse.copyOf('minimal');
});
afterEach(async () => course.cleanup());

describe('notes in a course folder', () => {
  it('accepts CHANGES.md, and the note counts towards the content version', async () => {
    const before = await loadCourse(course.dir);
    await course.write('CHANGES.md', '# What changed in the policy\n\nClause 1 now says more.\n');
    const after = await loadCourse(course.dir);
    expect(after.clauses).toEqual(before.clauses);
    expect(after.version).not.toBe(before.version);
  });

  it('still rejects other stray Markdown files', async () => {
    await course.write('NOTES.md', 'scratch\n');
    await expect(loadCourse(course.dir)).rejects.toThrow(/NOTES\.md: unexpected file in a course folder/);
  });
});
