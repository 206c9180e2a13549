import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkCoverage } from '../../../src/content/coverage-check.js';
import { lessonSentences } from '../../../src/content/lesson-sentences.js';
import { asError, loaded } from './quality-helpers.js';
import { soundCourse, soundQuestion } from './sound-course.js';
import { expectIssue, type TempCourse } from './temp-course.js';

// Course checks of issue #20 (and the per-clause question rule of #19), each against the sound
// course broken once. The sound course passes them all.

let course: TempCourse;
beforeEach(async () => {
  course = await soundCourse();
});
afterEach(async () => {
  await course.cleanup();
});

async function coverage() {
  const { course: c, sources } = await loaded(course);
  return checkCoverage({ course: c, ...sources });
}

const policyLine = (clause: string) => course.lineOf('policy.yaml', `id: ${clause}`);

it('the sound course passes every coverage check', async () => {
  expect(await coverage()).toEqual([]);
});

describe('examples per clause', () => {
  it('flags a clause practised by fewer than 2 example posts, at the clause', async () => {
    await course.edit(
      'examples.yaml',
      'clauses: [MP-01]\n    betterVersion',
      'clauses: [MP-02]\n    betterVersion',
    );
    expectIssue(asError(await coverage()), {
      file: 'minimal/policy.yaml',
      line: await policyLine('MP-01'),
      field: 'clauses[0].id',
      message: 'clause "MP-01" is practised by 1 example post (rule: at least 2 in examples.yaml)',
    });
  });
});

describe('judgement questions per clause', () => {
  /** A quiz of the sound questions `numbers`, with `recall: true` on those in `recall`. */
  async function writeQuiz(numbers: number[], recall: number[]) {
    const blocks = numbers.map((n) => {
      const block = soundQuestion(n);
      return recall.includes(n)
        ? block.replace('    difficulty:', '    recall: true\n    difficulty:')
        : block;
    });
    await course.write('quiz.yaml', `questions:\n${blocks.join('\n')}\n`);
    await course.edit('course.yaml', 'questionsPerAttempt: 10', 'questionsPerAttempt: 5');
  }

  it('counts only questions that are not recall: 3 judgement questions pass', async () => {
    // MP-01: 0, 2, 4 judgement and 6 recall; MP-02: 1, 3, 5.
    await writeQuiz([0, 1, 2, 3, 4, 5, 6, 7], [6]);
    expect(await coverage()).toEqual([]);
  });

  it('flags a clause with fewer than 3, with the recall count', async () => {
    await writeQuiz([0, 1, 2, 3, 4, 5, 6, 7], [4, 6]);
    expectIssue(asError(await coverage()), {
      file: 'minimal/policy.yaml',
      line: await policyLine('MP-01'),
      field: 'clauses[0].id',
      message:
        'clause "MP-01" is tested by 2 judgement questions (4 in all, 2 recall; rule: at least 3 that are not recall: true, in quiz.yaml)',
    });
  });
});

describe('the decision tree', () => {
  it('must start with the protected-rights question', async () => {
    await course.edit('decision-tree.yaml', '    topic: protected-rights\n', '');
    expectIssue(asError(await coverage()), {
      file: 'minimal/decision-tree.yaml',
      line: 1,
      field: 'start',
      message:
        'the first question "about-work" must be the protected-rights question (topic: protected-rights)',
    });
  });

  it('is not satisfied by a protected-rights question further down', async () => {
    await course.edit('decision-tree.yaml', '    topic: protected-rights\n', '');
    await course.edit(
      'decision-tree.yaml',
      '    question: Is everything in it already public?\n',
      '    question: Is everything in it already public?\n    topic: protected-rights\n',
    );
    expect((await coverage()).map((i) => i.field)).toEqual(['start']);
  });
});

describe('examples in their own words', () => {
  const LESSON = 'lessons/02-sharing.md';

  it('flags an example text that repeats a lesson sentence, whatever the case and punctuation', async () => {
    // The lesson says: "If it hasn't been published, keep it to yourself." (9 words)
    await course.edit(
      'examples.yaml',
      '"Our launch blog post is live, have a read."',
      '"Reminder: IF it hasn’t been published — keep it to yourself!! 🙂"',
    );
    expectIssue(asError(await coverage()), {
      file: 'minimal/examples.yaml',
      line: await course.lineOf('examples.yaml', 'Reminder: IF'),
      field: 'examples[3].text',
      message: new RegExp(
        `^repeats a sentence of .*minimal/lessons/02-sharing\\.md:${await course.lineOf(LESSON, "If it hasn't")} word for word \\("if it hasn't been published keep …", 9 words\\)`,
      ),
    });
  });

  it('checks the better version too', async () => {
    await course.edit(
      'examples.yaml',
      'betterVersion: Proud of the team this week.\n  - id: ex-3',
      "betterVersion: If it hasn't been published, keep it to yourself.\n  - id: ex-3",
    );
    expect((await coverage()).map((i) => i.field)).toEqual(['examples[1].betterVersion']);
  });

  it('accepts a paraphrase, and short sentences that recur by coincidence', async () => {
    await course.edit(
      'examples.yaml',
      '"Our launch blog post is live, have a read."',
      '"If it has not been published, keep it quiet. Pause before you post."',
    );
    expect(await coverage()).toEqual([]);
  });

  it('finds sentences across wrapped lines, emphasis, quotes and list items, with their first line', () => {
    const text = [
      '---',
      'title: T',
      '---',
      '',
      '## A heading line without a stop',
      'First sentence here. A **second** one that',
      'wraps onto the next line and ends here!',
      '',
      '- a list item of its own',
      '> "Quoted, with a [link](https://example.com) inside."',
    ].join('\n');
    expect(lessonSentences(text).map((s) => [s.line, s.words.join(' ')])).toEqual([
      [5, 'a heading line without a stop'],
      [6, 'first sentence here'],
      [6, 'a second one that wraps onto the next line and ends here'],
      [9, 'a list item of its own'],
      [10, 'quoted with a link inside'],
    ]);
  });
});
