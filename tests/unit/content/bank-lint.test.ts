import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lintBank } from '../../../src/content/bank-lint.js';
import { asError, loaded } from './quality-helpers.js';
import { soundCourse, soundQuestion } from './sound-course.js';
import { expectIssue, type TempCourse } from './temp-course.js';

// The bank linter (issue #19): each rule against a bank that breaks it once, and the sound bank,
// which breaks none. Lines are looked up in the edited file, as an author would.

let course: TempCourse;
beforeEach(async () => {
  course = await soundCourse();
});
afterEach(async () => {
  await course.cleanup();
});

async function lint() {
  const { course: c, sources } = await loaded(course);
  return lintBank(c.questions, sources.quiz);
}

const QUIZ = 'minimal/quiz.yaml';

describe('the sound bank', () => {
  it('breaks no rule', async () => {
    expect(await lint()).toEqual([]);
  });
});

describe('option length', () => {
  it('flags an option more than 1.5× as long as the next longest, naming the figure', async () => {
    await course.edit(
      'quiz.yaml',
      '"Choice a for case 1 fits"',
      '"Choice a for case 1 fits, and it fits really well"',
    );
    const line = await course.lineOf('quiz.yaml', 'fits really well');
    expectIssue(asError(await lint()), {
      file: QUIZ,
      line,
      field: 'questions[1].options[0]',
      message:
        'option "a" is 2.05× as long as the next longest (limit 1.5×; shorten it, lengthen the others, or add lengthReason to explain)',
    });
  });

  it('allows exactly 1.5×, and any ratio when the file gives a lengthReason', async () => {
    // 24 characters against 36: exactly 1.5×.
    await course.edit('quiz.yaml', '"Choice a for case 1 fits"', '"Choice a for case 1 fits as it does."');
    await course.edit(
      'quiz.yaml',
      '"Choice a for case 2 fits"',
      '"Choice a for case 2 fits, and it fits really well"',
    );
    await course.edit(
      'quiz.yaml',
      '    explanation: Explanation 2.\n',
      '    explanation: Explanation 2.\n    lengthReason: The law has three conditions.\n',
    );
    expect(await lint()).toEqual([]);
  });

  it('applies to classify reasons too', async () => {
    await course.edit(
      'quiz.yaml',
      '"Reason b for case 19 fits"',
      '"Reason b for case 19 fits, and that is the whole story"',
    );
    const line = await course.lineOf('quiz.yaml', 'the whole story');
    expectIssue(asError(await lint()), {
      file: QUIZ,
      line,
      field: 'questions[19].reasons[1]',
      message: /^reason "b" is 2\.\d+× as long as the next longest/,
    });
  });
});

describe('catch-all options', () => {
  it('flags "all of the above" and "none of the above"', async () => {
    await course.edit('quiz.yaml', '"Choice b for case 3 fits"', '"All of the above"');
    await course.edit('quiz.yaml', '"Choice c for case 16 fits"', '"None of the above"');
    const issues = asError(await lint());
    expectIssue(issues, {
      file: QUIZ,
      line: await course.lineOf('quiz.yaml', 'All of the above'),
      field: 'questions[3].options[1].text',
      message: 'option "b" says "All of the above" (rule: no catch-all options',
    });
    expectIssue(issues, {
      file: QUIZ,
      line: await course.lineOf('quiz.yaml', 'None of the above'),
      field: 'questions[16].options[2].text',
      message: 'option "c" says "None of the above"',
    });
  });

  it('leaves "above" in ordinary wording alone', async () => {
    await course.edit('quiz.yaml', '"Choice b for case 3 fits"', '"Above all, be kind here"');
    expect(await lint()).toEqual([]);
  });
});

describe('true/false balance', () => {
  it('flags a bank where fewer than 40 % are keyed True, listing the lines of the majority', async () => {
    // Questions 8, 10 and 12 are keyed True in the sound bank: key two of them False (1 of 6 True).
    for (const n of [10, 12]) {
      const block = soundQuestion(n);
      const flipped = block
        .replace('text: "True", correct: true', 'text: "True", correct: false')
        .replace('text: "False", correct: false', 'text: "False", correct: true');
      await course.edit('quiz.yaml', block, flipped);
    }
    const falseLines = await Promise.all(
      [9, 10, 11, 12, 13].map((n) => course.lineOf('quiz.yaml', `- id: q${n}\n`.trim())),
    );
    expectIssue(asError(await lint()), {
      file: QUIZ,
      line: await course.lineOf('quiz.yaml', 'questions:'),
      field: 'questions',
      message:
        'true/false balance: 1 of 6 true/false questions are keyed True (17 %; rule: 40 %–60 %), so ' +
        `"always False" pays; keyed False on lines ${falseLines.join(', ')}`,
    });
  });

  it('accepts a count as balanced as it can be (1 of 3 keyed True)', async () => {
    const questions = [0, 1, 2, 3, 8, 9, 11].map(soundQuestion).join('\n');
    await course.write('quiz.yaml', `questions:\n${questions}\n`);
    await course.edit('course.yaml', 'questionsPerAttempt: 10', 'questionsPerAttempt: 5');
    expect(await lint()).toEqual([]);
  });
});

describe('longest option as the key', () => {
  /** Makes the key of single-choice question n the longest option (by 4 characters, well under 1.5×). */
  async function lengthenKey(n: number) {
    const id = ['a', 'b', 'c', 'd'][n % 4];
    await course.edit(
      'quiz.yaml',
      `"Choice ${id} for case ${n} fits", correct: true`,
      `"Choice ${id} for case ${n} fits too", correct: true`,
    );
  }

  it('allows chance + 10 points: 2 of 8 four-option questions (chance 25 %, limit 35 %)', async () => {
    for (const n of [0, 1]) await lengthenKey(n);
    expect(await lint()).toEqual([]);
  });

  it('flags 3 of 8, naming the figures and the lines', async () => {
    for (const n of [0, 1, 5]) await lengthenKey(n);
    const lines = await Promise.all([0, 1, 5].map((n) => course.lineOf('quiz.yaml', `- id: q${n}`)));
    expectIssue(asError(await lint()), {
      file: QUIZ,
      line: await course.lineOf('quiz.yaml', 'questions:'),
      field: 'questions',
      message:
        'longest option is the key in 3 of 8 single-choice questions (38 %; rule: chance 25 % + 10 points ' +
        `= 35 %, at most 2); on lines ${lines.join(', ')}`,
    });
  });
});

describe('near-duplicate stems', () => {
  it('flags a prompt whose word trigrams mostly repeat an earlier one', async () => {
    await course.edit(
      'quiz.yaml',
      '"Case 1: alpha1 bravo1 charlie1 delta1?"',
      '"Case 0: alpha0 bravo0 charlie0 delta0 now?"',
    );
    expectIssue(asError(await lint()), {
      file: QUIZ,
      line: await course.lineOf('quiz.yaml', 'delta0 now?'),
      field: 'questions[1].prompt',
      message: `near-duplicate of questions[0] "q0" (line ${await course.lineOf('quiz.yaml', '- id: q0')}): word-trigram similarity 0.8 (limit 0.6)`,
    });
  });

  it('compares classify posts with their prompt: the same prompt on different posts is fine', async () => {
    await course.edit('quiz.yaml', '"How should post 18 be judged?"', '"Is this post acceptable?"');
    await course.edit('quiz.yaml', '"How should post 19 be judged?"', '"Is this post acceptable?"');
    expect(await lint()).toEqual([]);
    await course.edit(
      'quiz.yaml',
      '"Post 19: kilo19 lima19 mike19 november19."',
      '"Post 18: kilo18 lima18 mike18 november18."',
    );
    expect((await lint()).map((i) => i.field)).toEqual(['questions[19].prompt']);
  });
});
