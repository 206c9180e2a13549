import { TempCourse } from './temp-course.js';

/**
 * A copy of the minimal fixture with a bank, examples and tree that pass every quality check (bank
 * linter, coverage, guessing check). The minimal fixture itself is too small for them (3 questions
 * an attempt at a 60 % pass mark is guessable by design), so quality tests start from this course
 * and break one thing. Generated, so each figure is easy to reason about:
 * - 8 single-choice questions, 4 options of equal length (no length cue at all);
 * - 6 true/false questions, 3 keyed True and 3 keyed False;
 * - 4 multiple-response questions with partial credit, 2 right and 2 wrong options each;
 * - 4 classify questions (verdicts acceptable, ask-first, unacceptable, unacceptable);
 * - 2 spot questions with 3 segments of equal length;
 * alternating between clauses MP-01 and MP-02 (12 judgement questions each), 10 drawn per
 * attempt at an 80 % pass mark, 3 attempts.
 */
export async function soundCourse(): Promise<TempCourse> {
  const course = await TempCourse.copyOf('minimal');
  await course.edit(
    'course.yaml',
    'questionsPerAttempt: 3\n  passingScore: 60',
    'questionsPerAttempt: 10\n  passingScore: 80',
  );
  await course.write('quiz.yaml', soundQuiz());
  await course.write('examples.yaml', soundExamples());
  await course.edit(
    'decision-tree.yaml',
    '    question: Is it about work?\n',
    '    question: Is it about work?\n    topic: protected-rights\n',
  );
  return course;
}

const LETTERS = ['a', 'b', 'c', 'd'];
const clauseOf = (n: number) => (n % 2 === 0 ? 'MP-01' : 'MP-02');

function base(n: number, type: string, prompt: string): string {
  return [
    `  - id: q${n}`,
    `    type: ${type}`,
    `    prompt: "${prompt}"`,
    `    clauses: [${clauseOf(n)}]`,
    '    difficulty: medium',
    `    explanation: Explanation ${n}.`,
  ].join('\n');
}

function choices(field: string, n: number, count: number, isRight: (i: number) => boolean, noun = 'Choice') {
  const lines = [`    ${field}:`];
  for (let i = 0; i < count; i++) {
    const id = LETTERS[i]!;
    lines.push(
      `      - { id: ${id}, text: "${noun} ${id} for case ${n} fits", correct: ${isRight(i)}, feedback: Ok. }`,
    );
  }
  return lines.join('\n');
}

/** Question number n (0-based) of the sound bank, as YAML. */
export function soundQuestion(n: number): string {
  const words = `alpha${n} bravo${n} charlie${n} delta${n}`;
  if (n < 8) {
    return [base(n, 'single', `Case ${n}: ${words}?`), choices('options', n, 4, (i) => i === n % 4)].join(
      '\n',
    );
  }
  if (n < 14) {
    const keyedTrue = n % 2 === 0;
    return [
      base(n, 'truefalse', `Claim ${n}: ${words}.`),
      '    options:',
      `      - { id: "true", text: "True", correct: ${keyedTrue}, feedback: Ok. }`,
      `      - { id: "false", text: "False", correct: ${!keyedTrue}, feedback: Ok. }`,
    ].join('\n');
  }
  if (n < 18) {
    return [
      base(n, 'multiple', `Which apply to ${words}?`),
      '    partialCredit: true',
      choices('options', n, 4, (i) => i === n % 4 || i === (n + 1) % 4),
    ].join('\n');
  }
  if (n < 22) {
    const verdict = ['acceptable', 'ask-first', 'unacceptable', 'unacceptable'][n - 18];
    return [
      base(n, 'classify', `How should post ${n} be judged?`),
      '    post:',
      '      platform: linkedin',
      '      persona: { name: Ada Test, role: Engineer }',
      `      text: "Post ${n}: kilo${n} lima${n} mike${n} november${n}."`,
      `    verdict: ${verdict}`,
      choices('reasons', n, 3, (i) => i === n % 3, 'Reason'),
    ].join('\n');
  }
  return [
    base(n, 'spot', `Which part of post ${n} is the problem?`),
    '    post:',
    '      platform: x',
    '      persona: { name: Bob Test, role: Analyst }',
    '    segments:',
    ...[0, 1, 2].map(
      (i) =>
        `      - { id: ${LETTERS[i]}, text: "Sentence ${LETTERS[i]} of post ${n} here.", problem: ${i === n % 3}, feedback: Ok. }`,
    ),
  ].join('\n');
}

export const SOUND_QUESTION_COUNT = 24;

export function soundQuiz(): string {
  return `questions:\n${Array.from({ length: SOUND_QUESTION_COUNT }, (_, n) => soundQuestion(n)).join('\n')}\n`;
}

function example(id: string, clause: string, verdict: string, text: string): string {
  const lines = [
    `  - id: ${id}`,
    '    platform: linkedin',
    '    persona: { name: Ada Test, role: Engineer }',
    `    text: "${text}"`,
    `    verdict: ${verdict}`,
    '    reasons:',
    '      - It says why.',
    `    clauses: [${clause}]`,
  ];
  if (verdict === 'unacceptable') lines.push('    betterVersion: Proud of the team this week.');
  return lines.join('\n');
}

export function soundExamples(): string {
  return `examples:\n${[
    example('ex-1', 'MP-01', 'acceptable', 'Happy to have joined the team!'),
    example('ex-2', 'MP-01', 'unacceptable', 'Posted this at 2am, angry about a meeting.'),
    example('ex-3', 'MP-02', 'unacceptable', 'Launch is on the 14th!'),
    example('ex-4', 'MP-02', 'acceptable', 'Our launch blog post is live, have a read.'),
  ].join('\n')}\n`;
}
