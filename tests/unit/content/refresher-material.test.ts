import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkRefresherMaterial, pretestReserve } from '../../../src/content/refresher-check.js';
import type { Course } from '../../../src/domain/course.js';
import { asError, loaded } from './quality-helpers.js';
import { soundCourse, soundQuestion } from './sound-course.js';
import { expectIssue, type TempCourse } from './temp-course.js';

// content:check's refresher rule (issue #23): every clause has a pre-assessment the main quiz can
// do without, and a study path (a lesson section, and an example post or question to practise on).

let course: TempCourse;
beforeEach(async () => {
  course = await soundCourse();
});
afterEach(async () => course.cleanup());

async function check(change: (c: Course) => Course = (c) => c) {
  const { course: c, sources } = await loaded(course);
  return checkRefresherMaterial({ course: change(c), ...sources });
}

const policyLine = (clause: string) => course.lineOf('policy.yaml', `id: ${clause}`);

/** A quiz of the sound questions `numbers` (even: MP-01, odd: MP-02), `recall` ones marked so. */
async function writeQuiz(numbers: number[], edit: (n: number, block: string) => string = (_, b) => b) {
  const blocks = numbers.map((n) => edit(n, soundQuestion(n)));
  await course.write('quiz.yaml', `questions:\n${blocks.join('\n')}\n`);
  await course.edit('course.yaml', 'questionsPerAttempt: 10', 'questionsPerAttempt: 3');
}
const recall = (which: number[]) => (n: number, block: string) =>
  which.includes(n) ? block.replace('    difficulty:', '    recall: true\n    difficulty:') : block;

it('passes the sound course, setting aside two judgement questions per clause', async () => {
  expect(await check()).toEqual([]);
  const { course: c } = await loaded(course);
  expect(Object.fromEntries(pretestReserve(c).byClause)).toEqual({
    'MP-01': ['q0', 'q2'],
    'MP-02': ['q1', 'q3'],
  });
});

describe('pre-assessment material', () => {
  it('needs a third judgement question, so the main quiz still covers the clause without the two', async () => {
    // MP-01: q0, q2 judgement and q4 recall; MP-02: q1, q3, q5, q7.
    await writeQuiz([0, 1, 2, 3, 4, 5, 7], recall([4]));
    expectIssue(asError(await check()), {
      file: 'minimal/policy.yaml',
      line: await policyLine('MP-01'),
      field: 'clauses[0].id',
      message:
        'clause "MP-01" lacks pre-assessment material: with q0, q2 set aside for the pre-assessment the main ' +
        'quiz has no judgement question left on it (2 judgement questions in all; rule: 2 for the ' +
        'pre-assessment and 1 more, not recall: true and for every jurisdiction, in quiz.yaml)',
    });
    expect((await check()).length).toBe(1);
  });

  it('counts neither recall questions nor questions for some jurisdictions', async () => {
    // MP-02: q1 judgement, q3 recall, q5 only for the US.
    await writeQuiz([0, 1, 2, 3, 4, 5, 6], (n, block) =>
      n === 5
        ? block.replace('    difficulty:', '    jurisdictions: [us]\n    difficulty:')
        : recall([3])(n, block),
    );
    expectIssue(asError(await check()), {
      file: 'minimal/policy.yaml',
      line: await policyLine('MP-02'),
      field: 'clauses[1].id',
      message:
        'clause "MP-02" lacks pre-assessment material: 1 judgement question every learner can be drawn ' +
        '(rule: 2 for the pre-assessment and 1 more, not recall: true and for every jurisdiction, in quiz.yaml)',
    });
  });

  it('sets aside questions on one clause first', async () => {
    // q0 tests both clauses: it stays in the main quiz; MP-01 sets aside q2, q4 and MP-02 q1, q3.
    await writeQuiz([0, 1, 2, 3, 4, 5, 6, 7], (n, block) =>
      n === 0 ? block.replace('[MP-01]', '[MP-01, MP-02]') : block,
    );
    expect(await check()).toEqual([]);
    const { course: c } = await loaded(course);
    expect(Object.fromEntries(pretestReserve(c).byClause)).toEqual({
      'MP-01': ['q2', 'q4'],
      'MP-02': ['q1', 'q3'],
    });
  });

  it('needs enough questions left for a main quiz attempt', async () => {
    await writeQuiz([0, 1, 2, 3, 4, 5, 6, 7]);
    await course.edit('course.yaml', 'questionsPerAttempt: 3', 'questionsPerAttempt: 5');
    expectIssue(asError(await check()), {
      file: 'minimal/quiz.yaml',
      line: 1,
      field: 'questions',
      message:
        'with the 4 questions set aside for pre-assessments, the main quiz can draw 4 (questionsPerAttempt is 5)',
    });
  });
});

describe('a study path', () => {
  it('needs a lesson section that teaches the clause', async () => {
    const issues = await check((c) => ({
      ...c,
      lessons: c.lessons.map((l) => ({
        ...l,
        sections: l.sections.filter((s) => !s.clauses.includes('MP-02')),
      })),
    }));
    expectIssue(asError(issues), {
      file: 'minimal/policy.yaml',
      line: await policyLine('MP-02'),
      field: 'clauses[1].id',
      message:
        'clause "MP-02" has no study path: no lesson section teaches it (tag a ## heading {clauses: MP-02} or list it in a lesson\'s clauses)',
    });
  });

  it('needs an example post or a question to practise on', async () => {
    const issues = await check((c) => ({
      ...c,
      examples: c.examples.filter((e) => !e.clauses.includes('MP-01')),
      questions: c.questions.filter((q) => !q.clauses.includes('MP-01')),
    }));
    expectIssue(asError(issues), {
      file: 'minimal/policy.yaml',
      line: await policyLine('MP-01'),
      field: 'clauses[0].id',
      message: 'clause "MP-01" has no study path: no example post or question practises it',
    });
  });
});

it('passes the social media course', async () => {
  const { readCourse } = await import('../../../src/content/load-course.js');
  const { course: c, sources } = await readCourse(path.resolve('courses/social-media-policy'));
  expect(checkRefresherMaterial({ course: c, ...sources })).toEqual([]);
});
