import { afterEach, describe, expect, it } from 'vitest';
import { checkContent, defaultCoursesDir } from '../../../src/content/index.js';
import { fixturesDir, TempCourse } from './temp-course.js';

let temp: TempCourse | undefined;
afterEach(async () => {
  await temp?.cleanup();
  temp = undefined;
});

function collect() {
  const lines: string[] = [];
  return { lines, out: (line: string) => lines.push(line) };
}

describe('checkContent', () => {
  it('prints a summary per course and succeeds for valid content', async () => {
    const { lines, out } = collect();
    expect(await checkContent(fixturesDir, out)).toBe(true);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^✓ minimal: 2 lessons, 2 examples, 5 questions, 2 clauses, .*version [0-9a-f]{16}$/,
    );
  });

  it('accepts the real courses folder', async () => {
    const { lines, out } = collect();
    expect(await checkContent(defaultCoursesDir, out)).toBe(true);
    expect(lines.join('\n')).toMatch(/✓ social-media-policy: \d+ lessons/);
  });

  it('prints every issue and fails for invalid content', async () => {
    temp = await TempCourse.copyOf('minimal');
    await temp.edit('examples.yaml', 'verdict: acceptable', 'verdict: maybe');
    await temp.edit('quiz.yaml', 'difficulty: hard', 'difficulty: brutal');
    const { lines, out } = collect();
    expect(await checkContent(temp.root, out)).toBe(false);
    expect(
      lines.some((l) => /minimal\/examples\.yaml:\d+ examples\[0\]\.verdict: must be one of/.test(l)),
    ).toBe(true);
    expect(
      lines.some((l) => /minimal\/quiz\.yaml:\d+ questions\[4\]\.difficulty: must be one of/.test(l)),
    ).toBe(true);
    expect(lines.at(-1)).toBe('✗ 2 problems found');
  });

  it('fails clearly for a missing folder', async () => {
    const { lines, out } = collect();
    expect(await checkContent('/nonexistent/courses', out)).toBe(false);
    expect(lines[0]).toContain('courses folder not found');
  });
});
