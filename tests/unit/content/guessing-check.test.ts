import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerBy, BASE_STRATEGIES } from '../../../src/content/guess-strategies.js';
import {
  formatGuessingTable,
  GUESSING_LIMITS,
  simulateGuessers,
} from '../../../src/content/guessing-check.js';
import { checkQuality } from '../../../src/content/quality.js';
import type { ClassifyQuestion, Question } from '../../../src/domain/course.js';
import { seededRng } from '../../../src/domain/quiz/index.js';
import { asError, FULL_CHECK, loaded } from './quality-helpers.js';
import { soundCourse } from './sound-course.js';
import { expectIssue, type TempCourse } from './temp-course.js';

// The blind-guesser simulation (issue #19) runs the real draw, choice order and grading. A bank a
// habit can beat fails, naming the habit and its figures; the sound bank passes every strategy.

let course: TempCourse;
beforeEach(async () => {
  course = await soundCourse();
});
afterEach(async () => {
  await course.cleanup();
});

/** Banks that fail do so at 100 %, far from any limit: a short run tells the same story faster. */
const QUICK = { attempts: 2_000, pilotAttempts: 500 };

function block(n: number, type: string, body: string[], extra: string[] = []): string {
  return [
    `  - id: g${n}`,
    `    type: ${type}`,
    `    prompt: "Case ${n}: echo${n} foxtrot${n} golf${n}?"`,
    `    clauses: [${n % 2 === 0 ? 'MP-01' : 'MP-02'}]`,
    '    difficulty: medium',
    '    explanation: E.',
    ...extra,
    ...body,
  ].join('\n');
}

const tf = (n: number) =>
  block(n, 'truefalse', [
    '    options:',
    '      - { id: "true", text: "True", correct: false, feedback: Ok. }',
    '      - { id: "false", text: "False", correct: true, feedback: Ok. }',
  ]);

/** Four options; the key is "a". `keyText` lets a test make it stand out. */
const single = (n: number, keyText: string, extra: string[] = []) =>
  block(
    n,
    'single',
    [
      '    options:',
      `      - { id: a, text: "${keyText}", correct: true, feedback: Ok. }`,
      ...['b', 'c', 'd'].map(
        (id) => `      - { id: ${id}, text: "Choice ${id} for case ${n}", correct: false, feedback: Ok. }`,
      ),
    ],
    extra,
  );

async function writeBank(blocks: string[]) {
  await course.write('quiz.yaml', `questions:\n${blocks.join('\n')}\n`);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const QUIZ = 'minimal/quiz.yaml';

async function failuresOf() {
  const report = checkQuality(await loaded(course), QUICK);
  return { report, error: asError(report.issues) };
}

describe('a bank a habit beats', () => {
  it('true/false questions all keyed False: "always False" fails, with its figures', async () => {
    await writeBank(range(24).map(tf));
    const { report, error } = await failuresOf();
    expectIssue(error, {
      file: QUIZ,
      line: 1,
      field: 'questions',
      message:
        'guessing check: blind guesser "always False" scores 100.0 % on average (limit 40 %) and passes ' +
        'within 3 attempts with probability 100.0 % (limit 1.0 %)',
    });
    const failing = report.issues.map((i) => /blind guesser "([^"]+)"/.exec(i.message)?.[1]).filter(Boolean);
    // "always True" scores nothing here; random scores half: a true/false-only bank is guessable.
    expect(failing).not.toContain('always True');
    expect(failing).toContain('random');
  });

  it('the key always the longest option: "always longest" fails, shortest and random do not', async () => {
    await writeBank(range(24).map((n) => single(n, `Choice a for case ${n}, surely`)));
    const { report, error } = await failuresOf();
    expectIssue(error, {
      file: QUIZ,
      line: 1,
      field: 'questions',
      message: 'blind guesser "always longest" scores 100.0 %',
    });
    const failing = report.issues.filter((i) => i.message.startsWith('guessing check')).map((i) => i.message);
    expect(failing.some((m) => m.includes('"always shortest"') || m.includes('"random"'))).toBe(false);
    expect(failing.some((m) => m.includes('"test-wise"'))).toBe(true);
  });

  it('the key always first in a fixed order: "always first" fails', async () => {
    const fixed = ['    fixedOrder: The options are steps in order.'];
    await writeBank(range(24).map((n) => single(n, `Choice a for case ${n}`, fixed)));
    const { error } = await failuresOf();
    expectIssue(error, {
      file: QUIZ,
      line: 1,
      field: 'questions',
      message: 'blind guesser "always first" scores 100.0 %',
    });
  });

  it('the same bank with its options shuffled per attempt: "always first" is back to chance', async () => {
    await writeBank(range(24).map((n) => single(n, `Choice a for case ${n}`)));
    const first = simulateGuessers((await loaded(course)).course, QUICK).results.find(
      (r) => r.name === 'always first',
    )!;
    expect(first.meanScore).toBeGreaterThan(20);
    expect(first.meanScore).toBeLessThan(30);
  });
});

describe('the sound bank', () => {
  it('passes: every strategy under both limits at the full 20,000 attempts', FULL_CHECK, async () => {
    const report = checkQuality(await loaded(course));
    expect(report.issues).toEqual([]);
    expect(report.guessing.attempts).toBe(20_000);
    expect(report.guessing.results.map((r) => r.name)).toEqual([
      'random',
      'always first',
      'always last',
      'always longest',
      'always shortest',
      'always True',
      'always False',
      'tick all',
      'tick none',
      'test-wise',
    ]);
    for (const r of report.guessing.results) {
      expect(r.meanScore, r.name).toBeLessThanOrEqual(GUESSING_LIMITS.maxMeanScore);
      expect(r.passWithinAttempts, r.name).toBeLessThanOrEqual(GUESSING_LIMITS.maxPassWithinAttempts);
      expect(r.passWithinAttempts).toBeCloseTo(1 - (1 - r.passPerAttempt) ** 3, 12);
    }
    const table = formatGuessingTable(report.guessing);
    expect(table[0]).toBe(
      'Blind guessers: 20,000 simulated attempts each (seed "guessing-check"), 10 questions, pass mark 80 %, 3 attempts allowed',
    );
    expect(table[1]).toMatch(/^strategy +mean score +P\(pass per attempt\) +P\(pass within 3 attempts\)$/);
    expect(table[2]).toMatch(/^random +\d+\.\d % +\d+\.\d+ % +\d+\.\d+ %$/);
    expect(table.at(-1)).toMatch(/^test-wise mix: .*truefalse: .*classify: verdict /);
  });

  it('gives the same figures for the same seed', FULL_CHECK, async () => {
    const { course: c } = await loaded(course);
    expect(simulateGuessers(c, QUICK)).toEqual(simulateGuessers(c, QUICK));
  });
});

describe('how each strategy answers', () => {
  const rng = seededRng('strategy-test');
  const strategy = (name: string) => BASE_STRATEGIES.find((s) => s.name === name)!.strategy;
  const tfQuestion: Question = {
    id: 't',
    type: 'truefalse',
    prompt: 'p',
    clauses: [],
    difficulty: 'easy',
    explanation: 'e',
    options: [
      { id: 'x', text: 'True', correct: true, feedback: '' },
      { id: 'y', text: 'False', correct: false, feedback: '' },
    ],
  };
  const classify: ClassifyQuestion = {
    id: 'c',
    type: 'classify',
    prompt: 'p',
    clauses: [],
    difficulty: 'easy',
    explanation: 'e',
    post: { platform: 'x', persona: { name: 'n', role: 'r' }, text: 't' },
    verdict: 'ask-first',
    reasons: [
      { id: 'r1', text: 'short', correct: false, feedback: '' },
      { id: 'r2', text: 'the longest reason', correct: true, feedback: '' },
      { id: 'r3', text: 'a medium one', correct: false, feedback: '' },
    ],
  };
  const shown = (question: Question, choiceIds: string[]) => ({ questionId: question.id, choiceIds });

  it('"always True" picks the True option wherever it is shown; first and last go by position', () => {
    expect(
      answerBy(strategy('always True').truefalse, tfQuestion, shown(tfQuestion, ['y', 'x']), rng),
    ).toEqual({ choiceIds: ['x'] });
    expect(
      answerBy(strategy('always False').truefalse, tfQuestion, shown(tfQuestion, ['x', 'y']), rng),
    ).toEqual({ choiceIds: ['y'] });
    expect(
      answerBy(strategy('always first').truefalse, tfQuestion, shown(tfQuestion, ['y', 'x']), rng),
    ).toEqual({ choiceIds: ['y'] });
  });

  it('applies the rule to the verdict buttons too (acceptable, ask first, unacceptable), then to the reasons', () => {
    const order = shown(classify, ['r3', 'r1', 'r2']);
    expect(answerBy(strategy('always first').classify, classify, order, rng)).toEqual({
      verdict: 'acceptable',
      choiceIds: ['r3'],
    });
    expect(answerBy(strategy('always last').classify, classify, order, rng)).toEqual({
      verdict: 'unacceptable',
      choiceIds: ['r2'],
    });
    expect(answerBy(strategy('always longest').classify, classify, order, rng)).toEqual({
      verdict: 'unacceptable',
      choiceIds: ['r2'],
    });
    expect(answerBy(strategy('always shortest').classify, classify, order, rng)).toEqual({
      verdict: 'ask-first',
      choiceIds: ['r1'],
    });
  });

  it('"always longest" and "always shortest" go by the shown texts; a tie goes to the first shown', () => {
    const tied: Question = {
      ...tfQuestion,
      id: 's',
      type: 'single',
      options: [
        { id: 'o1', text: 'same', correct: false, feedback: '' },
        { id: 'o2', text: 'longer one', correct: true, feedback: '' },
        { id: 'o3', text: 'tied', correct: false, feedback: '' },
      ],
    };
    expect(answerBy(strategy('always longest').single, tied, shown(tied, ['o1', 'o2', 'o3']), rng)).toEqual({
      choiceIds: ['o2'],
    });
    expect(answerBy(strategy('always shortest').single, tied, shown(tied, ['o3', 'o2', 'o1']), rng)).toEqual({
      choiceIds: ['o3'],
    });
  });

  it('"tick all" and "tick none" on multiple response; habits for one type guess at random elsewhere', () => {
    expect(strategy('tick all').multiple).toEqual({ kind: 'tick', which: 'all' });
    expect(strategy('tick none').multiple).toEqual({ kind: 'tick', which: 'none' });
    expect(strategy('always True').single).toEqual({ kind: 'pick', pick: 'random' });
    expect(strategy('tick all').truefalse).toEqual({ kind: 'pick', pick: 'random' });
  });
});
