import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCourse } from '../../../src/content/index.js';
import type { Course } from '../../../src/domain/course.js';
import { buildScoFiles } from '../../../src/scorm/index.js';
import { SCENARIO } from '../content/scenario-fixture.js';
import { TempCourse } from '../content/temp-course.js';

let temp: TempCourse;
let course: Course;

beforeAll(async () => {
  temp = await TempCourse.copyOf('minimal');
  const lesson = 'lessons/01-basics.md';
  await temp.write(lesson, `${await temp.read(lesson)}\n${SCENARIO}`);
  course = await loadCourse(temp.dir);
});
afterAll(async () => temp.cleanup());

describe('a lesson scenario in the SCORM package', () => {
  it('is in the SCO page as the same HTML as the web lesson, and its stylesheet is packaged', async () => {
    const files = await buildScoFiles(course, { format: 'scorm12', failStatus: 'failed' });
    const page = files.get('index.html')!.toString();
    expect(page).toContain(course.lessons[0]!.html);
    expect(page).toContain('<details class="scenario-choice">');
    expect(page).toContain('href="#sc-basics-meetup-slide-photo"');
    const css = files.get('sco.css')!.toString();
    for (const selector of [
      '.scenario ',
      '.scenario-choice ',
      '.scenario-step:target',
      '.scenario-outcome-poor',
    ])
      expect(css).toContain(selector);
  });
});
