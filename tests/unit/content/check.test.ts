import { afterEach, describe, expect, it } from 'vitest';
import { checkContent, defaultCoursesDir } from '../../../src/content/index.js';
import { FULL_CHECK } from './quality-helpers.js';
import { soundCourse } from './sound-course.js';
import { TempCourse } from './temp-course.js';

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
  it(
    'prints a summary, the guessing table and the verdict, and succeeds for a sound course',
    FULL_CHECK,
    async () => {
      temp = await soundCourse();
      const { lines, out } = collect();
      expect(await checkContent(temp.root, out)).toBe(true);
      expect(lines[0]).toMatch(
        /^✓ minimal: 2 lessons, 4 examples, 24 questions, 2 clauses, .*version [0-9a-f]{16}$/,
      );
      expect(lines[1]).toMatch(/^ {2}Blind guessers: 20,000 simulated attempts each/);
      expect(lines.filter((l) => /^ {2}(random|always \w+|tick \w+|test-wise) +\d/.test(l))).toHaveLength(10);
      expect(lines.at(-1)).toBe(
        '✓ minimal: bank linter, coverage checks, refresher material and guessing check pass',
      );
    },
  );

  it('prints quality findings with file and line and fails on them', FULL_CHECK, async () => {
    temp = await soundCourse();
    await temp.edit('quiz.yaml', '"Choice b for case 3 fits"', '"All of the above"');
    const finding =
      /minimal\/quiz\.yaml:\d+ questions\[3\]\.options\[1\]\.text: option "b" says "All of the above"/;

    const { lines, out } = collect();
    expect(await checkContent(temp.root, out)).toBe(false);
    expect(lines.some((l) => finding.test(l))).toBe(true);
    expect(lines.at(-1)).toBe(
      '✗ minimal: 1 quality problem (bank linter, coverage, refresher material, guessing check)',
    );
  });

  it('accepts the real courses folder', FULL_CHECK, async () => {
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
