import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCourse, renderLessonMarkdown } from '../../../src/content/index.js';
import type { ContentIssue } from '../../../src/content/issues.js';
import { countWords } from '../../../src/content/markdown.js';
import { SCENARIO } from './scenario-fixture.js';
import { contentErrorOf, expectIssue, TempCourse } from './temp-course.js';

const LESSON = 'lessons/01-basics.md';
let course: TempCourse;

beforeEach(async () => {
  course = await TempCourse.copyOf('minimal');
});
afterEach(async () => course.cleanup());

async function withScenario(block = SCENARIO): Promise<void> {
  const text = await course.read(LESSON);
  await course.write(LESSON, `${text}\n${block}`);
}

describe('scenario blocks in lesson Markdown', () => {
  it('renders a valid scenario as steps with a <details> per choice and links to the next step', async () => {
    await withScenario();
    const html = (await loadCourse(course.dir)).lessons[0]!.html;
    expect(html).toContain('<section class="scenario" aria-labelledby="sc-basics-meetup-slide-title">');
    // The lesson's "# Think first" is its h2 and "## Try it" an h3, so the title is an h4 and its steps h5.
    expect(html).toMatch(
      /<h4 id="sc-basics-meetup-slide-title" class="scenario-title">The meetup slide<\/h4>/,
    );
    expect(html).toContain('<em>roadmap</em>');
    expect(html).toMatch(
      /<section class="scenario-step" id="sc-basics-meetup-slide-deck"[^>]*>\s*<h5[^>]*>Step 1/,
    );
    expect(html).toMatch(/<h5[^>]*>Step 2: The photo is out<\/h5>/);
    expect(html.match(/<details class="scenario-choice">/g)).toHaveLength(4);
    expect(html).toMatch(/<summary>Leave it in, the room is small<\/summary>/);
    expect(html).toContain('Someone photographs the slide and posts it within the hour.');
    expect(html).toContain('href="#sc-basics-meetup-slide-photo"');
    expect(html).toContain('href="#sc-basics-meetup-slide-deck"');
    expect(html).toContain('Poor choice');
    expect(html).toContain('Good choice');
    expect(html).toContain('End of the scenario');
    // Every link points at a step on the page.
    for (const [, target] of html.matchAll(/href="#([^"]+)"/g)) expect(html).toContain(`id="${target}"`);
    // The rest of the lesson is rendered as before.
    expect(html).toContain('<h3>Try it</h3>');
    expect(html).toContain('<p>A short case before the summary.</p>');
    expect(html).not.toContain('```');
    expect(html).not.toContain('<pre>');
  });

  it('reports broken YAML inside the block at its line in the lesson file', async () => {
    await withScenario(
      SCENARIO.replace('    prompt: What do you do with the roadmap slide?', '    prompt: [unclosed'),
    );
    const line = await course.lineOf(LESSON, 'prompt: [unclosed');
    const error = await contentErrorOf(loadCourse(course.dir));
    const issue = error.issues.find((i) => i.file.endsWith('minimal/lessons/01-basics.md'));
    expect(issue?.message, error.message).toMatch(/YAML syntax/);
    expect(issue?.line).toBeGreaterThanOrEqual(line);
    expect(issue?.line).toBeLessThanOrEqual(line + 1);
    expect(error.message).toMatch(/minimal\/lessons\/01-basics\.md:\d+/);
  });

  it('reports a next step that does not exist, at the line of that next', async () => {
    await withScenario(SCENARIO.replace('next: photo', 'next: fotos'));
    const line = await course.lineOf(LESSON, 'next: fotos');
    expectIssue(await contentErrorOf(loadCourse(course.dir)), {
      file: 'minimal/lessons/01-basics.md',
      line,
      field: 'steps[0].choices[0].next',
      message: 'unknown step "fotos"',
    });
  });

  it('reports unknown fields and missing consequences with their lines (TypeBox schema)', async () => {
    await withScenario(
      SCENARIO.replace(
        '        consequence: They take the slide out and approve the rest.\n',
        '        result: oops\n',
      ),
    );
    const line = await course.lineOf(LESSON, 'result: oops');
    const error = await contentErrorOf(loadCourse(course.dir));
    expectIssue(error, {
      file: 'minimal/lessons/01-basics.md',
      line,
      field: 'steps[0].choices[1].result',
      message: 'unknown field',
    });
  });

  it('reports a step nobody can reach, at its id', async () => {
    await withScenario(SCENARIO.replace('        next: photo\n', ''));
    expectIssue(await contentErrorOf(loadCourse(course.dir)), {
      file: 'minimal/lessons/01-basics.md',
      line: await course.lineOf(LESSON, '  - id: photo'),
      field: 'steps[1].id',
      message: 'step "photo" is never reached from the first step',
    });
  });

  it('reports a scenario in which every choice leads on (it never ends)', async () => {
    await withScenario(
      SCENARIO.replaceAll('        outcome: good\n', '        outcome: good\n        next: deck\n'),
    );
    expectIssue(await contentErrorOf(loadCourse(course.dir)), {
      file: 'minimal/lessons/01-basics.md',
      line: await course.lineOf(LESSON, 'steps:'),
      field: 'steps',
      message: 'no choice ends the scenario',
    });
  });

  it('reports a scenario block inside a list (it must stand on its own)', async () => {
    const nested = SCENARIO.replace('```scenario', '- item\n\n  ```scenario').replace(
      /\n```\n$/,
      '\n  ```\n',
    );
    await withScenario(
      nested.replace(/\n(?! {2}```|- item|$)/g, '\n  ').replace('\n  ## Try it', '\n## Try it'),
    );
    const error = await contentErrorOf(loadCourse(course.dir));
    expect(error.message).toMatch(/01-basics\.md:\d+: a scenario block must stand on its own/);
  });
});

describe('renderLessonMarkdown with a scenario', () => {
  it('escapes what authors write: no markup gets through the scenario fields', () => {
    const issues: ContentIssue[] = [];
    const html = renderLessonMarkdown(
      SCENARIO.replace('The meetup slide', '<script>alert(1)</script> slide').replace(
        'Leave it in, the room is small',
        '<img src=x onerror=alert(1)> Leave it',
      ),
      { file: 'x.md', firstLine: 1, lessonId: 'l1', issues },
    );
    expect(issues).toEqual([]);
    expect(html).not.toMatch(/<script|<img|onerror=/);
    expect(html).toContain('&lt;script&gt;');
  });

  it('makes the title an h2 when no heading comes before the block', () => {
    const issues: ContentIssue[] = [];
    const html = renderLessonMarkdown(SCENARIO.replace('## Try it\n', ''), {
      file: 'x.md',
      firstLine: 1,
      lessonId: 'l1',
      issues,
    });
    expect(issues).toEqual([]);
    expect(html).toMatch(/<h2 id="sc-l1-meetup-slide-title"/);
    expect(html).toMatch(/<h3[^>]*>Step 1/);
  });

  it('reports two scenarios with the same id in one lesson', () => {
    const issues: ContentIssue[] = [];
    renderLessonMarkdown(`${SCENARIO}\n${SCENARIO}`, { file: 'x.md', firstLine: 1, lessonId: 'l1', issues });
    expect(issues.map((i) => i.message)).toContain('duplicate scenario id "meetup-slide" in this lesson');
  });
});

describe('reading time', () => {
  it('counts the prose around a scenario, not the block (practice, like the example posts)', () => {
    expect(countWords(SCENARIO)).toBe(countWords('## Try it\n\nA short case before the summary.\n'));
    expect(countWords(`${SCENARIO}\nOne more line.`)).toBe(11);
  });
});
