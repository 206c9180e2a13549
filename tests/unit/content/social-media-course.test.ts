import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCoursesDir, loadCourse, loadCourses } from '../../../src/content/index.js';
import { countWords, splitFrontMatter } from '../../../src/content/markdown.js';
import type { Course, DecisionNode, Question } from '../../../src/domain/course.js';
import { clauseById, PLATFORMS } from '../../../src/domain/course.js';

// The real course must load and meet the content targets of issue 3.

let course: Course;
beforeAll(async () => {
  course = await loadCourse(path.join(defaultCoursesDir, 'social-media-policy'));
});

const questionsOfType = <T extends Question['type']>(type: T) =>
  course.questions.filter((q): q is Extract<Question, { type: T }> => q.type === type);

describe('social-media-policy course', () => {
  it('is found by loadCourses in the default courses folder', async () => {
    // Discovery only: whether the course passes the quality checks is check.test.ts's business.
    const courses = await loadCourses(defaultCoursesDir, { quality: 'report' });
    expect(courses.get('social-media-policy')?.version).toBe(course.version);
  });

  it('has course metadata and sensible quiz and recertification settings', () => {
    expect(course.id).toBe('social-media-policy');
    expect(course.policyTitle).toMatch(/Social Media Policy/);
    expect(course.version).toMatch(/^[0-9a-f]{64}$/);
    expect(course.quiz.questionsPerAttempt).toBeLessThanOrEqual(course.questions.length);
    expect(course.quiz.passingScore).toBe(80);
    expect(course.recertification.validityMonths).toBe(12);
  });

  // Issue 20 added SMP-13 (support for staff targeted online) to the original twelve.
  it('has 8 to 13 clauses, each with a one-line summary', () => {
    expect(course.clauses.length).toBeGreaterThanOrEqual(8);
    expect(course.clauses.length).toBeLessThanOrEqual(13);
    for (const clause of course.clauses) {
      expect(clause.id).toMatch(/^SMP-\d\d$/);
      expect(clause.summary).not.toMatch(/\n/);
      expect(clause.summary.length).toBeLessThanOrEqual(200);
    }
  });

  it('has at least 7 lessons of 300 to 700 words, each with objectives and clauses', async () => {
    expect(course.lessons.length).toBeGreaterThanOrEqual(7);
    const lessonDir = path.join(defaultCoursesDir, 'social-media-policy', 'lessons');
    for (const file of await readdir(lessonDir)) {
      const body = splitFrontMatter(await readFile(path.join(lessonDir, file), 'utf8'))?.body ?? '';
      const words = countWords(body);
      expect(words, file).toBeGreaterThanOrEqual(300);
      expect(words, file).toBeLessThanOrEqual(700);
    }
    for (const lesson of course.lessons) {
      expect(lesson.objectives.length, lesson.id).toBeGreaterThan(0);
      expect(lesson.clauses.length, lesson.id).toBeGreaterThan(0);
      expect(lesson.html, lesson.id).not.toMatch(/<h1/);
      expect(lesson.html, lesson.id).toMatch(/^<h2>/);
    }
  });

  it('has at least 16 example posts on at least 4 platforms, at least 6 of each verdict', () => {
    expect(course.examples.length).toBeGreaterThanOrEqual(16);
    expect(new Set(course.examples.map((e) => e.platform)).size).toBeGreaterThanOrEqual(4);
    expect(course.examples.filter((e) => e.verdict === 'acceptable').length).toBeGreaterThanOrEqual(6);
    const unacceptable = course.examples.filter((e) => e.verdict === 'unacceptable');
    expect(unacceptable.length).toBeGreaterThanOrEqual(6);
    for (const example of unacceptable) expect(example.betterVersion, example.id).toBeTruthy();
    for (const example of course.examples) expect(example.reasons.length, example.id).toBeGreaterThan(0);
  });

  it("names the organisation only through its placeholder, never a company's own name", () => {
    const texts = [...course.examples.map((e) => e.text), ...course.lessons.map((l) => l.html)].join('\n');
    expect(texts).toContain('{{org.name}}');
    expect(texts).not.toMatch(/Kestrel|Northwind|Contoso/i);
  });

  it('has a decision tree with at least 5 questions and every verdict among its outcomes', () => {
    const nodes: DecisionNode[] = Object.values(course.decisionTree.nodes);
    expect(nodes.filter((n) => n.kind === 'question').length).toBeGreaterThanOrEqual(5);
    const verdicts = new Set(nodes.flatMap((n) => (n.kind === 'outcome' ? [n.verdict] : [])));
    expect(verdicts).toEqual(new Set(['share', 'dont-share', 'ask-first']));
    expect(course.decisionTree.nodes[course.decisionTree.start]?.kind).toBe('question');
  });

  it('has at least 36 questions of all five types in the required mix', () => {
    expect(course.questions.length).toBeGreaterThanOrEqual(36);
    expect(questionsOfType('classify').length).toBeGreaterThanOrEqual(4);
    expect(questionsOfType('spot').length).toBeGreaterThanOrEqual(4);
    expect(questionsOfType('truefalse').length).toBeGreaterThan(0);
    expect(questionsOfType('single').length).toBeGreaterThan(0);
    const multiple = questionsOfType('multiple');
    expect(multiple.some((q) => q.partialCredit)).toBe(true);
    expect(multiple.some((q) => !q.partialCredit)).toBe(true);
    expect(new Set(course.questions.map((q) => q.difficulty))).toEqual(new Set(['easy', 'medium', 'hard']));
  });

  it('tests every clause with at least 2 questions', () => {
    for (const clause of course.clauses) {
      const count = course.questions.filter((q) => q.clauses.includes(clause.id)).length;
      expect(count, clause.id).toBeGreaterThanOrEqual(2);
    }
  });

  it('gives feedback on every option, reason and segment', () => {
    for (const q of course.questions) {
      const choices = q.type === 'classify' ? q.reasons : q.type === 'spot' ? q.segments : q.options;
      for (const choice of choices) expect(choice.feedback, `${q.id}/${choice.id}`).toBeTruthy();
      expect(q.explanation, q.id).toBeTruthy();
    }
  });

  it('builds spot-question post text from the segments', () => {
    for (const q of questionsOfType('spot')) {
      expect(q.post.text).toBe(q.segments.map((s) => s.text).join(' '));
    }
  });

  it('resolves every clause reference through the lookup helper', () => {
    const refs = [
      ...course.lessons.flatMap((l) => l.clauses),
      ...course.examples.flatMap((e) => e.clauses),
      ...course.questions.flatMap((q) => q.clauses),
    ];
    for (const ref of refs) expect(clauseById(course, ref), ref).toBeDefined();
  });
});

// Issue 20: practice the hard cases (grey areas, more platforms, more roles) and a rights-first tree.
describe('social-media-policy examples and tree after issue 20', () => {
  /** The example ids before issue 20; at least 10 examples must be new. */
  const ISSUE_19_EXAMPLE_IDS = [
    'new-job-announcement',
    'roadmap-teaser',
    'outage-blame-reply',
    'open-data-opinion',
    'stocktake-rant',
    'charity-run',
    'whiteboard-selfie',
    'flow-lab',
    'day-in-the-life',
    'door-code-tiktok',
    'launch-reshare',
    'undisclosed-prize-draw',
    'support-ticket-screenshot',
    'asking-comms-first',
    'earnings-hint',
    'anonymous-comparison',
    'leak-detection-explainer',
    'outage-statement',
    'congratulate-competitor',
  ];

  it('has at least 30 examples, at least 10 of them new', () => {
    expect(course.examples.length).toBeGreaterThanOrEqual(30);
    const added = course.examples.filter((e) => !ISSUE_19_EXAMPLE_IDS.includes(e.id));
    expect(added.length).toBeGreaterThanOrEqual(10);
  });

  it('has at least 6 ask-first examples, each saying what to check', () => {
    const askFirst = course.examples.filter((e) => e.verdict === 'ask-first');
    expect(askFirst.length).toBeGreaterThanOrEqual(6);
    for (const example of askFirst) {
      expect(
        example.reasons.some((r) => /^Check\b/.test(r)),
        example.id,
      ).toBe(true);
    }
  });

  it('draws examples on every supported platform', () => {
    expect(new Set(course.examples.map((e) => e.platform))).toEqual(new Set(PLATFORMS));
  });

  it('has executives, managers and contractors among the authors', () => {
    const roles = course.examples.map((e) => e.persona.role).join('\n');
    expect(roles).toMatch(/Chief|Director|Vice President/);
    expect(roles).toMatch(/Manager|Team Lead/);
    expect(roles).toMatch(/contractor/i);
  });

  it('tags every clause on at least 2 examples', () => {
    for (const clause of course.clauses) {
      const count = course.examples.filter((e) => e.clauses.includes(clause.id)).length;
      expect(count, clause.id).toBeGreaterThanOrEqual(2);
    }
  });

  it('puts the disclosure up front in every endorsement that may be posted', () => {
    const disclosure =
      /#ad\b|I work (at|for|in)|I received|I'm (a|an|the) .* at \{\{org\.name\}\}|Disclosure/i;
    for (const example of course.examples.filter((e) => e.clauses.includes('SMP-09'))) {
      const posts = example.verdict === 'acceptable' ? [example.text] : [];
      if (example.betterVersion) posts.push(example.betterVersion);
      for (const post of posts) expect(post.slice(0, 90), example.id).toMatch(disclosure);
    }
  });

  it('opens the decision tree with the protected-rights question, leading to a protected outcome', () => {
    const start = course.decisionTree.nodes[course.decisionTree.start];
    expect(start?.kind).toBe('question');
    if (start?.kind !== 'question') return;
    expect(start.topic).toBe('protected-rights');
    const outcomes = start.options
      .map((o) => course.decisionTree.nodes[o.next])
      .filter((n) => n?.kind === 'outcome');
    expect(outcomes.map((n) => n?.kind === 'outcome' && n.clauses)).toContainEqual(
      expect.arrayContaining(['SMP-01']),
    );
  });
});
