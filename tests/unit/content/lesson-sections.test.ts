import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCourse } from '../../../src/content/index.js';
import { renderLessonMarkdown, renderLessonSections } from '../../../src/content/markdown.js';
import type { Lesson } from '../../../src/domain/course.js';
import { courseForJurisdictions } from '../../../src/domain/jurisdictions.js';
import { buildScoFiles } from '../../../src/scorm/build-package.js';
import { SCENARIO } from './scenario-fixture.js';
import { contentErrorOf, expectIssue, TempCourse } from './temp-course.js';

// Lesson sections (issue #23): cut at top-level ## headings, each naming its clauses.

const LESSON = 'lessons/01-basics.md';
const FRONT = [
  '---',
  'title: The basics',
  'objectives:',
  '  - Think before posting',
  'clauses: [MP-01, MP-02]',
  '---',
  '',
];

const BODY = [
  'Opening words before any heading.',
  '',
  '## Think first {clauses: MP-01}',
  '',
  'Pause before you post.',
  '',
  '### A detail',
  '',
  'Still the first section.',
  '',
  '::: notice us',
  '## Not a cut: inside a notice',
  '',
  'For the US only.',
  ':::',
  '',
  SCENARIO,
  '## Secrets and **more** {clauses: MP-02, MP-01}',
  '',
  '> ## Not a cut: inside a quote',
  '',
  '## Untagged',
  '',
  'Everything else.',
].join('\n');

/** Every `<section` opened in `html` is closed in it, and every notice marker too. */
function balanced(html: string): boolean {
  const count = (re: RegExp) => (html.match(re) ?? []).length;
  return (
    count(/<section\b/g) === count(/<\/section>/g) &&
    count(/<!--notice:[a-z,]+-->/g) === count(/<!--\/notice-->/g)
  );
}

let course: TempCourse;
beforeEach(async () => {
  course = await TempCourse.copyOf('minimal');
});
afterEach(async () => course.cleanup());

async function lessonWith(body: string): Promise<Lesson> {
  await course.write(LESSON, `${FRONT.join('\n')}${body}\n`);
  return (await loadCourse(course.dir)).lessons[0]!;
}

describe('cutting a lesson into sections', () => {
  it('cuts only at top-level ## headings; joined, the sections are the lesson', async () => {
    const lesson = await lessonWith(BODY);
    expect(lesson.sections.map((s) => [s.id, s.heading])).toEqual([
      ['', ''],
      ['think-first', 'Think first'],
      ['try-it', 'Try it'],
      ['secrets-and-more', 'Secrets and more'],
      ['untagged', 'Untagged'],
    ]);
    expect(lesson.sections.map((s) => s.html).join('')).toBe(lesson.html);
    expect(lesson.html).toBe(
      renderLessonMarkdown(`${BODY}\n`, { file: 'x', firstLine: 1, lessonId: 'basics', issues: [] }),
    );
  });

  it('keeps notice blocks and scenarios whole inside one section', async () => {
    const lesson = await lessonWith(BODY);
    const first = lesson.sections[1]!.html;
    expect(first).toContain('<h3>A detail</h3>');
    expect(first).toContain('<!--notice:us--><section class="jurisdiction-notice"');
    expect(first).toContain('Not a cut: inside a notice');
    expect(lesson.sections[2]!.html).toContain('<section class="scenario"');
    expect(lesson.sections[3]!.html).toContain('Not a cut: inside a quote');
    for (const section of lesson.sections) expect(balanced(section.html), section.id).toBe(true);
  });

  it('takes the clauses from the tag, else the lesson’s, and never shows the tag', async () => {
    const lesson = await lessonWith(BODY);
    expect(lesson.sections.map((s) => s.clauses)).toEqual([
      ['MP-01', 'MP-02'],
      ['MP-01'],
      ['MP-01', 'MP-02'],
      ['MP-02', 'MP-01'],
      ['MP-01', 'MP-02'],
    ]);
    expect(lesson.html).not.toMatch(/clauses|MP-0/);
    expect(lesson.sections[1]!.html).toContain('<h2>Think first</h2>');
    expect(lesson.sections[3]!.html).toContain('<h2>Secrets and <strong>more</strong></h2>');
  });

  it('gives repeated headings distinct ids and a lesson without headings one section', () => {
    const sections = renderLessonSections('## Story\n\nA.\n\n## Story\n\nB.\n\n## Café & co\n');
    expect(sections.map((s) => s.id)).toEqual(['story', 'story-2', 'cafe-co']);
    expect(renderLessonSections('Just text.').map((s) => [s.id, s.html])).toEqual([
      ['', '<p>Just text.</p>\n'],
    ]);
  });

  it('keeps a placeholder in a heading and cuts where the highest heading is #', () => {
    const sections = renderLessonSections('# What {{org.name}} does {clauses: X-1}\n\nA.\n\n## Sub\n');
    expect(sections.map((s) => [s.id, s.heading, s.tag])).toEqual([
      ['what-org-name-does', 'What {{org.name}} does', ['X-1']],
    ]);
    expect(sections[0]!.html).toBe('<h2>What {{org.name}} does</h2>\n<p>A.</p>\n<h3>Sub</h3>\n');
  });
});

describe('the loader checks section tags', () => {
  it('names an unknown clause in a tag at its file and line', async () => {
    const error = await contentErrorOf(
      lessonWith(BODY.replace('{clauses: MP-02, MP-01}', '{clauses: MP-02, MP-99}')),
    );
    expectIssue(error, {
      file: 'minimal/lessons/01-basics.md',
      line: await course.lineOf(LESSON, 'MP-99'),
      field: '',
      message: 'unknown clause "MP-99" in a {clauses: …} tag (not in policy.yaml)',
    });
  });

  it('refuses a tag below ##, an empty one, and a clause the front matter does not list', async () => {
    await course.edit('lessons/02-sharing.md', '## Public or not?', '## Public or not? {clauses: MP-01}');
    const error = await contentErrorOf(
      lessonWith(
        BODY.replace('### A detail', '### A detail {clauses: MP-01}').replace(
          '## Untagged',
          '## Untagged {clauses: }',
        ),
      ),
    );
    expectIssue(error, {
      file: 'minimal/lessons/01-basics.md',
      line: await course.lineOf(LESSON, '### A detail'),
      field: '',
      message: 'a {clauses: …} tag belongs on a top-level ## heading',
    });
    expectIssue(error, {
      file: 'minimal/lessons/01-basics.md',
      line: await course.lineOf(LESSON, '## Untagged'),
      field: '',
      message: 'empty {clauses: } tag',
    });
    expectIssue(error, {
      file: 'minimal/lessons/02-sharing.md',
      line: await course.lineOf('lessons/02-sharing.md', '## Public or not?'),
      field: '',
      message: `clause "MP-01" in a {clauses: …} tag is not in this lesson's front matter clauses`,
    });
  });

  it('refuses a front-matter clause that no section teaches', async () => {
    const error = await contentErrorOf(lessonWith('## Only one {clauses: MP-01}\n\nText.'));
    expectIssue(error, {
      file: 'minimal/lessons/01-basics.md',
      line: await course.lineOf(LESSON, '## Only one'),
      field: '',
      message: 'the front matter lists "MP-02" but no section teaches it',
    });
  });
});

describe('the social media course', () => {
  const dir = path.resolve('courses/social-media-policy');

  it('tags every ## heading of every lesson with its clauses', async () => {
    const { lessons } = await loadCourse(dir);
    for (const lesson of lessons) {
      const file = (await readdir(path.join(dir, 'lessons'))).find((f) => f.endsWith(`-${lesson.id}.md`))!;
      const headings = (await readFile(path.join(dir, 'lessons', file), 'utf8')).match(/^## .*$/gm) ?? [];
      expect(headings.length, file).toBe(lesson.sections.filter((s) => s.heading !== '').length);
      for (const heading of headings) expect(heading, file).toMatch(/ \{clauses: [A-Z0-9, -]+\}$/);
    }
  });

  it('is cut at every ## heading, joined back to the lesson', async () => {
    const { lessons } = await loadCourse(dir);
    for (const lesson of lessons) {
      expect(lesson.sections.length, lesson.id).toBeGreaterThanOrEqual(3);
      expect(lesson.sections.map((s) => s.html).join(''), lesson.id).toBe(lesson.html);
      expect(lesson.html, lesson.id).not.toMatch(/\{\s*clauses/);
      for (const section of lesson.sections) {
        expect(balanced(section.html), `${lesson.id}#${section.id}`).toBe(true);
        expect(section.clauses.length).toBeGreaterThan(0);
      }
    }
  });

  it('ships each lesson once in the SCORM package, not again as sections', async () => {
    const files = await buildScoFiles(await loadCourse(dir), { format: 'scorm2004', failStatus: 'failed' });
    const shipped = [...files.values()].map((b) => b.toString('utf8')).join('');
    const sentence = 'Within an hour the post has been liked by her friends';
    expect(shipped.split(sentence).length - 1).toBe(1);
  });

  it('drops other jurisdictions’ notices from the sections as from the lesson', async () => {
    const course = courseForJurisdictions(await loadCourse(dir), ['uk']);
    for (const lesson of course.lessons) {
      expect(lesson.sections.map((s) => s.html).join(''), lesson.id).toBe(lesson.html);
      expect(lesson.html).not.toContain('<!--notice:us-->');
    }
  });
});
