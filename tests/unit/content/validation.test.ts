import { cp } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContentError, loadCourse, loadCourses } from '../../../src/content/index.js';
import { contentErrorOf, expectIssue, TempCourse } from './temp-course.js';

// Each test breaks one thing in a copy of the minimal fixture and checks that the loader names
// the file, the line and the field, as an author would need to fix it.

let course: TempCourse;
beforeEach(async () => {
  course = await TempCourse.copyOf('minimal');
});
afterEach(async () => {
  await course.cleanup();
});

const load = () => contentErrorOf(loadCourse(course.dir));

describe('the minimal fixture', () => {
  it('loads cleanly, so every failure below comes from the one edit', async () => {
    const loaded = await loadCourse(course.dir);
    expect(loaded.id).toBe('minimal');
    expect(loaded.recertification.cycle).toEqual({ kind: 'calendar', month: 1, day: 15 });
    expect(loaded.quiz).toMatchObject({ questionsPerAttempt: 3, passingScore: 60, maxAttempts: 3 });
    expect(loaded.quiz.review).toEqual({
      afterPass: 'full',
      afterFinalFail: 'full',
      afterFail: 'scoreAndWeakClauses',
    });
  });
});

describe('schema errors', () => {
  it('reports an unknown field at its own line', async () => {
    await course.edit(
      'examples.yaml',
      '    verdict: acceptable\n',
      '    verdict: acceptable\n    verdcit: acceptable\n',
    );
    const line = await course.lineOf('examples.yaml', 'verdcit');
    expectIssue(await load(), {
      file: 'minimal/examples.yaml',
      line,
      field: 'examples[0].verdcit',
      message: 'unknown field',
    });
  });

  it('reports a missing field at the object that lacks it', async () => {
    await course.edit('quiz.yaml', '    explanation: They may not.\n', '');
    const line = await course.lineOf('quiz.yaml', 'id: q-truefalse');
    expectIssue(await load(), {
      file: 'minimal/quiz.yaml',
      line,
      field: 'questions[1].explanation',
      message: 'missing required field',
    });
  });

  it('reports a wrong type', async () => {
    await course.edit('course.yaml', 'estimatedMinutes: 5', 'estimatedMinutes: five');
    const line = await course.lineOf('course.yaml', 'estimatedMinutes');
    expectIssue(await load(), {
      file: 'minimal/course.yaml',
      line,
      field: 'estimatedMinutes',
      message: 'must be an integer',
    });
  });

  it('lists the allowed values for an enum', async () => {
    await course.edit('examples.yaml', 'verdict: unacceptable', 'verdict: dubious');
    const line = await course.lineOf('examples.yaml', 'verdict: dubious');
    expectIssue(await load(), {
      file: 'minimal/examples.yaml',
      line,
      field: 'examples[1].verdict',
      message: 'must be one of acceptable, ask-first, unacceptable',
    });
  });

  it('rejects ids that could not be used as Mongo keys', async () => {
    await course.edit('policy.yaml', 'id: MP-02', 'id: MP.02');
    const line = await course.lineOf('policy.yaml', 'MP.02');
    expectIssue(await load(), {
      file: 'minimal/policy.yaml',
      line,
      field: 'clauses[1].id',
      message: 'no spaces, dots or $',
    });
  });

  it('validates lesson front matter with lines counted from the top of the .md file', async () => {
    await course.edit('lessons/02-sharing.md', 'minutes: 3', 'minutes: soon');
    const line = await course.lineOf('lessons/02-sharing.md', 'minutes: soon');
    expectIssue(await load(), {
      file: 'minimal/lessons/02-sharing.md',
      line,
      field: 'minutes',
      message: 'must be an integer',
    });
  });
});

describe('duplicate ids', () => {
  it('reports the repeat and where the first one is', async () => {
    await course.edit('examples.yaml', 'id: bad-post', 'id: good-post');
    const first = await course.lineOf('examples.yaml', 'id: good-post');
    const text = await course.read('examples.yaml');
    const repeat = text.split('\n').lastIndexOf('  - id: good-post') + 1;
    expectIssue(await load(), {
      file: 'minimal/examples.yaml',
      line: repeat,
      field: 'examples[1].id',
      message: `duplicate example id "good-post" (first used on line ${first})`,
    });
  });

  it('catches duplicate option ids inside one question', async () => {
    await course.edit('quiz.yaml', '{ id: b, text: Hurry', '{ id: a, text: Hurry');
    const line = await course.lineOf('quiz.yaml', 'id: a, text: Hurry');
    expectIssue(await load(), {
      file: 'minimal/quiz.yaml',
      line,
      field: 'questions[0].options[1].id',
      message: 'duplicate option id',
    });
  });

  it('catches duplicate tree nodes, lessons and clauses', async () => {
    await course.edit('decision-tree.yaml', '  - id: ask\n', '  - id: stop\n');
    await course.edit('course.yaml', '  - sharing\n', '  - sharing\n  - basics\n');
    await course.edit('policy.yaml', 'id: MP-02', 'id: MP-01');
    const error = await load();
    expect(error.message).toMatch(/decision-tree\.yaml:\d+ nodes\[4\]\.id: duplicate node id "stop"/);
    expect(error.message).toMatch(/course\.yaml:\d+ lessons\[2\]: duplicate lesson id "basics"/);
    expect(error.message).toMatch(/policy\.yaml:\d+ clauses\[1\]\.id: duplicate clause id "MP-01"/);
  });
});

describe('references', () => {
  it('reports a dangling clause reference in a lesson', async () => {
    await course.edit('lessons/01-basics.md', 'clauses: [MP-01]', 'clauses: [MP-99]');
    const line = await course.lineOf('lessons/01-basics.md', 'MP-99');
    expectIssue(await load(), {
      file: 'minimal/lessons/01-basics.md',
      line,
      field: 'clauses[0]',
      message: 'unknown clause "MP-99"',
    });
  });

  it('reports dangling clause references in examples, questions and tree outcomes', async () => {
    await course.edit('examples.yaml', 'clauses: [MP-02]', 'clauses: [MP-02, NOPE]');
    await course.edit('quiz.yaml', 'clauses: [MP-01, MP-02]', 'clauses: [MP-01, GONE]');
    await course.edit(
      'decision-tree.yaml',
      'text: Looks fine.\n    clauses: [MP-01]',
      'text: Looks fine.\n    clauses: [LOST]',
    );
    const error = await load();
    expectIssue(error, {
      file: 'minimal/examples.yaml',
      line: await course.lineOf('examples.yaml', 'NOPE'),
      field: 'examples[1].clauses[1]',
      message: 'unknown clause "NOPE"',
    });
    expectIssue(error, {
      file: 'minimal/quiz.yaml',
      line: await course.lineOf('quiz.yaml', 'GONE'),
      field: 'questions[4].clauses[1]',
      message: 'unknown clause "GONE"',
    });
    expectIssue(error, {
      file: 'minimal/decision-tree.yaml',
      line: await course.lineOf('decision-tree.yaml', 'LOST'),
      field: 'nodes[2].clauses[0]',
      message: 'unknown clause "LOST"',
    });
  });

  it('reports a tree option whose next node does not exist', async () => {
    await course.edit('decision-tree.yaml', 'next: ask }', 'next: nowhere }');
    const line = await course.lineOf('decision-tree.yaml', 'nowhere');
    expectIssue(await load(), {
      file: 'minimal/decision-tree.yaml',
      line,
      field: 'nodes[1].options[2].next',
      message: 'unknown node "nowhere"',
    });
  });

  it('reports loops and unreachable nodes in the tree', async () => {
    await course.edit(
      'decision-tree.yaml',
      '{ label: "No", next: stop }',
      '{ label: "No", next: about-work }',
    );
    const error = await load();
    expect(error.message).toMatch(/nodes\[1\]\.options\[1\]\.next: leads back to "about-work"/);
    expect(error.message).toMatch(/nodes\[3\]\.id: node "stop" can't be reached from start/);
  });
});

describe('lesson files', () => {
  it('reports a listed lesson whose file is missing, at its entry in course.yaml', async () => {
    await course.remove('lessons/02-sharing.md');
    const line = await course.lineOf('course.yaml', '- sharing');
    expectIssue(await load(), {
      file: 'minimal/course.yaml',
      line,
      field: 'lessons[1]',
      message: 'no lesson file lessons/NN-sharing.md',
    });
  });

  it('reports a lesson file that course.yaml does not list', async () => {
    await course.write(
      'lessons/03-extra.md',
      '---\ntitle: Extra\nobjectives: [x]\nclauses: [MP-01]\n---\nText.\n',
    );
    expectIssue(await load(), {
      file: 'minimal/lessons/03-extra.md',
      line: 1,
      field: '',
      message: 'lesson "extra" is not listed in course.yaml lessons',
    });
  });

  it('reports a lesson without front matter', async () => {
    await course.write('lessons/02-sharing.md', '# Just markdown\n');
    expectIssue(await load(), {
      file: 'minimal/lessons/02-sharing.md',
      line: 1,
      field: '',
      message: 'missing front matter',
    });
  });
});

describe('malformed and hostile YAML', () => {
  it('reports a syntax error with its line', async () => {
    await course.edit('quiz.yaml', '    prompt: Which are confidential?\n', '    prompt: [unclosed\n');
    const error = await load();
    const issue = error.issues.find((i) => i.file.endsWith('minimal/quiz.yaml'));
    expect(issue?.message).toMatch(/^YAML syntax:/);
    // The parser reports where it noticed the problem: at or shortly after the broken line.
    const broken = await course.lineOf('quiz.yaml', '[unclosed');
    expect(issue?.line).toBeGreaterThanOrEqual(broken);
    expect(issue?.line).toBeLessThanOrEqual(broken + 2);
    expect(error.message).toContain(`minimal/quiz.yaml:${issue?.line}: YAML syntax:`);
  });

  it('reports duplicate keys as a syntax error', async () => {
    await course.edit('course.yaml', 'estimatedMinutes: 5\n', 'estimatedMinutes: 5\nestimatedMinutes: 6\n');
    const error = await load();
    expect(error.message).toMatch(/course\.yaml:\d+: YAML syntax: Map keys must be unique/);
  });

  it('refuses a YAML bomb (exponential aliases) quickly', async () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
      'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
      'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
      '',
    ].join('\n');
    await course.write('examples.yaml', bomb);
    const started = Date.now();
    const error = await load();
    expect(Date.now() - started).toBeLessThan(2000);
    expectIssue(error, {
      file: 'minimal/examples.yaml',
      line: 2,
      field: '',
      message: 'YAML aliases rejected',
    });
  });

  it('refuses deeply nested YAML', async () => {
    await course.write('examples.yaml', `examples: ${'['.repeat(40)}${']'.repeat(40)}\n`);
    expectIssue(await load(), {
      file: 'minimal/examples.yaml',
      line: 1,
      field: '',
      message: 'nesting deeper than',
    });
  });
});

describe('per-type and cross-file rules', () => {
  it('requires exactly one correct option in a single-choice question', async () => {
    await course.edit('quiz.yaml', 'text: Hurry, correct: false', 'text: Hurry, correct: true');
    const line = await course.lineOf('quiz.yaml', '    options:');
    expectIssue(await load(), {
      file: 'minimal/quiz.yaml',
      line,
      field: 'questions[0].options',
      message: 'must have exactly one option with correct: true (found 2)',
    });
  });

  it('requires exactly two options for true/false', async () => {
    await course.edit(
      'quiz.yaml',
      '      - { id: "false", text: "False", correct: true, feedback: Right. }\n',
      '      - { id: "false", text: "False", correct: true, feedback: Right. }\n      - { id: maybe, text: Maybe, correct: false, feedback: No. }\n',
    );
    expect((await load()).message).toMatch(
      /quiz\.yaml:\d+ questions\[1\]\.options: must have at most 2 items/,
    );
  });

  it('requires exactly one problem segment in a spot question', async () => {
    await course.edit('quiz.yaml', 'problem: true', 'problem: false');
    expect((await load()).message).toMatch(
      /questions\[4\]\.segments: must have exactly one segment with problem: true \(found 0\)/,
    );
  });

  it('requires exactly one correct reason in a classify question', async () => {
    await course.edit(
      'quiz.yaml',
      'text: It is too short, correct: false',
      'text: It is too short, correct: true',
    );
    expect((await load()).message).toMatch(/questions\[3\]\.reasons: must have exactly one reason/);
  });

  it('rejects an unknown question type with the allowed list', async () => {
    await course.edit('quiz.yaml', 'type: multiple', 'type: essay');
    const line = await course.lineOf('quiz.yaml', 'type: essay');
    expectIssue(await load(), {
      file: 'minimal/quiz.yaml',
      line,
      field: 'questions[2].type',
      message: 'must be one of single, truefalse, multiple, classify, spot',
    });
  });

  it('requires a better version for an unacceptable example', async () => {
    await course.edit('examples.yaml', '    betterVersion: Proud of the team this week.\n', '');
    const line = await course.lineOf('examples.yaml', 'id: bad-post');
    expectIssue(await load(), {
      file: 'minimal/examples.yaml',
      line,
      field: 'examples[1].betterVersion',
      message: 'required when verdict is unacceptable',
    });
  });

  it('refuses a better version on an acceptable example', async () => {
    await course.edit(
      'examples.yaml',
      '    verdict: acceptable\n',
      '    verdict: acceptable\n    betterVersion: Even happier now.\n',
    );
    const line = await course.lineOf('examples.yaml', 'betterVersion: Even happier now.');
    expectIssue(await load(), {
      file: 'minimal/examples.yaml',
      line,
      field: 'examples[0].betterVersion',
      message: 'only allowed when verdict is unacceptable or ask-first',
    });
  });

  it('lets an ask-first example offer a version that needs no check, or none', async () => {
    await course.edit('examples.yaml', 'verdict: unacceptable', 'verdict: ask-first');
    expect((await loadCourse(course.dir)).examples[1]).toMatchObject({
      verdict: 'ask-first',
      betterVersion: 'Proud of the team this week.',
    });
    await course.edit('examples.yaml', '    betterVersion: Proud of the team this week.\n', '');
    expect((await loadCourse(course.dir)).examples[1]?.betterVersion).toBeUndefined();
  });

  it('requires the course id to match its folder', async () => {
    await course.edit('course.yaml', 'id: minimal', 'id: other');
    expectIssue(await load(), {
      file: 'minimal/course.yaml',
      line: 3,
      field: 'id',
      message: 'must equal the folder name',
    });
  });

  it('rejects more questions per attempt than the bank holds', async () => {
    await course.edit('course.yaml', 'questionsPerAttempt: 3', 'questionsPerAttempt: 9');
    expect((await load()).message).toMatch(
      /quiz\.questionsPerAttempt: is 9 but quiz\.yaml has only 5 valid questions/,
    );
  });

  it('checks calendar cycle dates', async () => {
    await course.edit('course.yaml', 'month: 1\n    day: 15', 'month: 2\n    day: 30');
    expect((await load()).message).toMatch(/recertification\.cycle\.day: must be at most 28 for month 2/);
  });

  it('reports a clause that no lesson teaches', async () => {
    await course.edit('lessons/02-sharing.md', '  - MP-02', '  - MP-01');
    expect((await load()).message).toMatch(
      /policy\.yaml:\d+ clauses\[1\]\.id: clause "MP-02" is not taught by any lesson/,
    );
  });

  it('reports a missing file and a stray file', async () => {
    await course.remove('quiz.yaml');
    await course.write('examples.yml', 'examples: []\n');
    const error = await load();
    expectIssue(error, { file: 'minimal/quiz.yaml', line: 0, field: '', message: 'file is missing' });
    expect(error.message).toContain('minimal/examples.yml: unexpected file in a course folder');
  });
});

describe('error collection', () => {
  it('collects problems from every file into one ContentError', async () => {
    await course.edit('course.yaml', 'estimatedMinutes: 5', 'estimatedMinutes: -1');
    await course.edit('examples.yaml', 'platform: x', 'platform: myspace');
    await course.edit('quiz.yaml', 'difficulty: hard', 'difficulty: brutal');
    const error = await load();
    expect(error).toBeInstanceOf(ContentError);
    expect(error.issues.length).toBeGreaterThanOrEqual(3);
    const files = new Set(error.issues.map((i) => i.file.split('/').pop()));
    expect(files).toEqual(new Set(['course.yaml', 'examples.yaml', 'quiz.yaml']));
    expect(error.message).toMatch(/^Invalid course content \(\d+ problems\):\n/);
  });

  it('loadCourses reports problems from every course at once', async () => {
    // A second, broken course next to the first: its folder name no longer matches its id.
    await cp(course.dir, path.join(course.root, 'second'), { recursive: true });
    await course.edit('course.yaml', 'estimatedMinutes: 5', 'estimatedMinutes: x');
    const error = await contentErrorOf(loadCourses(course.root));
    expect(error.message).toContain('minimal/course.yaml');
    expect(error.message).toContain('second/course.yaml');
    expect(error.message).toContain('must equal the folder name "second"');
  });
});
