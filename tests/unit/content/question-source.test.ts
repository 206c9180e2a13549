import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCourse } from '../../../src/content/index.js';
import { fixturesDir } from './temp-course.js';

// HR's item statistics link each question to where it is written: the loader records the file
// (its name in the course folder) and the line where the question's entry starts.
describe('question source locations', () => {
  it('records quiz.yaml and the line of each question entry', async () => {
    const dir = path.join(fixturesDir, 'minimal');
    const course = await loadCourse(dir);
    const lines = (await readFile(path.join(dir, 'quiz.yaml'), 'utf8')).split('\n');
    expect(course.questions.length).toBeGreaterThan(0);
    for (const q of course.questions) {
      expect(q.source?.file, q.id).toBe('quiz.yaml');
      const line = lines[q.source!.line - 1] ?? '';
      // The entry starts with "- " on that line and names its id there or on a following line.
      expect(line.trimStart().startsWith('- '), `${q.id}: ${line}`).toBe(true);
      const entry = lines.slice(q.source!.line - 1, q.source!.line + 12).join('\n');
      expect(entry, q.id).toMatch(new RegExp(`\\bid: ['"]?${q.id}['"]?\\s`));
    }
  });
});
