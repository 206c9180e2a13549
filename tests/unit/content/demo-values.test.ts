import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkContent } from '../../../src/content/index.js';
import { demoValueIssues } from '../../../src/content/placeholder-check.js';
import { DEMO_PROFILE } from '../../../src/domain/demo-organisation.js';
import { PLACEHOLDER_NAMES, placeholderValues } from '../../../src/domain/org-profile.js';
import { TempCourse } from './temp-course.js';

// content:check also proves the demo organisation (seed:demo) can fill every placeholder the course
// uses: a name without a value is reported with the file and line of a use.

let course: TempCourse;
beforeEach(async () => {
  course = await TempCourse.copyOf('minimal');
});
afterEach(async () => {
  await course.cleanup();
});

async function check(values: ReadonlyMap<string, string>): Promise<string[]> {
  const lines: string[] = [];
  await checkContent(course.root, (line) => lines.push(line), { demoValues: values });
  return lines;
}

describe('the demo organisation profile', () => {
  it('has a non-empty value for every placeholder name', () => {
    const values = placeholderValues(DEMO_PROFILE);
    for (const name of PLACEHOLDER_NAMES) expect(values.get(name)?.trim(), name).toBeTruthy();
  });

  it('content:check reports a used placeholder the demo profile leaves empty, at a use', async () => {
    await course.edit(
      'lessons/01-basics.md',
      'Pause before you post.',
      'Pause before you post at {{org.name}}.',
    );
    await course.edit(
      'examples.yaml',
      '      - Nothing confidential.',
      '      - Nothing confidential; ask {{contact.hr.name}}.',
    );
    const values = new Map(placeholderValues(DEMO_PROFILE));
    values.set('contact.hr.name', '  ');
    const out = await check(values);
    const line = await course.lineOf('examples.yaml', 'contact.hr.name');
    const report = out.filter((l) => l.includes('demo organisation'));
    expect(report).toHaveLength(1);
    expect(report[0]).toMatch(
      new RegExp(`minimal/examples\\.yaml:${line} examples\\[0\\]\\.reasons\\[0\\]: `),
    );
    expect(report[0]).toContain('{{contact.hr.name}} has no value in the demo organisation profile');
  });

  it('says nothing when every used placeholder has a demo value', async () => {
    await course.edit(
      'lessons/01-basics.md',
      'Pause before you post.',
      'Pause before you post at {{org.name}}.',
    );
    const out = await check(placeholderValues(DEMO_PROFILE));
    expect(out.filter((l) => l.includes('demo organisation'))).toEqual([]);
  });

  it('reports each missing name once, at its first use', () => {
    const sites = [
      { name: 'org.name', file: 'a.md', line: 3, field: '' },
      { name: 'org.name', file: 'a.md', line: 9, field: '' },
      { name: 'org.tag', file: 'b.yaml', line: 2, field: 'x' },
    ];
    const issues = demoValueIssues(sites, new Map([['org.tag', 'Tag']]));
    expect(issues.map((i) => `${i.file}:${i.line}`)).toEqual(['a.md:3']);
  });
});
