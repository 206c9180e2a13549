import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkCoverage } from '../../../src/content/coverage-check.js';
import { loadCourse } from '../../../src/content/index.js';
import {
  courseForJurisdictions,
  learnerJurisdictions,
  lessonHtmlFor,
} from '../../../src/domain/jurisdictions.js';
import { asError, loaded } from './quality-helpers.js';
import { soundCourse, soundQuestion } from './sound-course.js';
import { contentErrorOf, expectIssue, TempCourse } from './temp-course.js';

// Jurisdiction notices in course files (issue #22): lesson sections, clause notices, questions.

const LESSON = 'lessons/01-basics.md';
let course: TempCourse;
afterEach(async () => course.cleanup());

describe('notice blocks in lessons, clause notices and questions', () => {
  beforeEach(async () => {
    course = await TempCourse.copyOf('minimal');
  });

  async function appendToLesson(block: string) {
    await course.write(LESSON, `${await course.read(LESSON)}\n${block}\n`);
  }

  it('renders a notice block as a marked section that a learner elsewhere does not get', async () => {
    await appendToLesson('::: notice us\nSection 7 of the **NLRA** protects you.\n:::\n\nAfter the notice.');
    const html = (await loadCourse(course.dir)).lessons[0]!.html;
    expect(html).toContain('<!--notice:us--><section class="jurisdiction-notice"');
    expect(html).toContain('For staff in the United States');
    expect(html).toContain('<strong>NLRA</strong>');
    expect(html).toContain('<p>After the notice.</p>');
    expect(lessonHtmlFor(html, ['us'])).toContain('Section 7');
    const elsewhere = lessonHtmlFor(html, ['uk']);
    expect(elsewhere).not.toContain('Section 7');
    expect(elsewhere).not.toContain('jurisdiction-notice');
    expect(elsewhere).toContain('<p>After the notice.</p>');
    expect(elsewhere).toContain('Pause before you post.');
  });

  it('refuses an unknown jurisdiction code in a lesson with file and line', async () => {
    await appendToLesson('::: notice us xx\nText.\n:::');
    const line = await course.lineOf(LESSON, '::: notice us xx');
    expectIssue(await contentErrorOf(loadCourse(course.dir)), {
      file: 'minimal/lessons/01-basics.md',
      line,
      field: '',
      message: 'unknown jurisdiction "xx" in a notice block',
    });
  });

  it('refuses a notice block that is never closed, and one without a code', async () => {
    await appendToLesson('::: notice\nText.\n:::\n\n::: notice uk\nNever closed.');
    const error = await contentErrorOf(loadCourse(course.dir));
    expectIssue(error, {
      file: 'minimal/lessons/01-basics.md',
      line: await course.lineOf(LESSON, '::: notice uk'),
      field: '',
      message: 'this notice block is never closed',
    });
    expectIssue(error, {
      file: 'minimal/lessons/01-basics.md',
      line: (await course.lineOf(LESSON, 'Text.')) - 1,
      field: '',
      message: 'a notice block needs at least one jurisdiction',
    });
  });

  it('an author cannot forge a notice section with raw HTML or comments', async () => {
    await appendToLesson(
      '<!--notice:us--><section class="jurisdiction-notice">Forged</section><!--/notice-->',
    );
    const html = (await loadCourse(course.dir)).lessons[0]!.html;
    expect(html).not.toContain('<!--notice');
    expect(html).not.toContain('<section');
  });

  it('loads clause notices and refuses an unknown code in policy.yaml at its line', async () => {
    await course.edit(
      'policy.yaml',
      '    text: Before posting, think about who will read it.\n',
      '    text: Before posting, think about who will read it.\n    notices:\n      - jurisdictions: [uk, eu]\n        text: A notice for the UK and the EU.\n',
    );
    const loadedCourse = await loadCourse(course.dir);
    expect(loadedCourse.clauses[0]!.notices).toEqual([
      { jurisdictions: ['uk', 'eu'], text: 'A notice for the UK and the EU.' },
    ]);
    expect(courseForJurisdictions(loadedCourse, ['us']).clauses[0]!.notices).toBeUndefined();
    expect(courseForJurisdictions(loadedCourse, ['eu']).clauses[0]!.notices).toHaveLength(1);

    await course.edit('policy.yaml', 'jurisdictions: [uk, eu]', 'jurisdictions: [uk, de]');
    const error = await contentErrorOf(loadCourse(course.dir));
    const issue = error.issues.find((i) => i.file.endsWith('minimal/policy.yaml'));
    expect(issue?.field, error.message).toBe('clauses[0].notices[0].jurisdictions[1]');
    expect(issue?.line).toBe(await course.lineOf('policy.yaml', 'jurisdictions: [uk, de]'));
  });

  it('loads a question for a jurisdiction and refuses an unknown code at its line', async () => {
    await course.edit(
      'quiz.yaml',
      '    prompt: What should you do before posting?\n',
      '    prompt: What should you do before posting?\n    jurisdictions: [us]\n',
    );
    const loadedCourse = await loadCourse(course.dir);
    expect(loadedCourse.questions.find((q) => q.id === 'q-single')?.jurisdictions).toEqual(['us']);
    expect(courseForJurisdictions(loadedCourse, ['uk']).questions.map((q) => q.id)).not.toContain('q-single');
    expect(courseForJurisdictions(loadedCourse, ['us']).questions.map((q) => q.id)).toContain('q-single');

    await course.edit('quiz.yaml', 'jurisdictions: [us]', 'jurisdictions: [usa]');
    const error = await contentErrorOf(loadCourse(course.dir));
    const issue = error.issues.find((i) => i.file.endsWith('minimal/quiz.yaml'));
    expect(issue?.field, error.message).toBe('questions[0].jurisdictions[0]');
    expect(issue?.line).toBe(await course.lineOf('quiz.yaml', 'jurisdictions: [usa]'));
  });
});

describe('the course checks count only questions every learner can be drawn', () => {
  beforeEach(async () => {
    course = await soundCourse();
  });

  async function coverage() {
    const { course: c, sources } = await loaded(course);
    return checkCoverage({ course: c, ...sources });
  }

  it('a clause with 3 judgement questions, one of them for the UK only, is under-tested', async () => {
    // MP-01: questions 0, 2, 4; MP-02: 1, 3, 5, 7.
    const blocks = [0, 1, 2, 3, 4, 5, 7].map((n) =>
      n === 4
        ? soundQuestion(n).replace('    difficulty:', '    jurisdictions: [uk]\n    difficulty:')
        : soundQuestion(n),
    );
    await course.write('quiz.yaml', `questions:\n${blocks.join('\n')}\n`);
    await course.edit('course.yaml', 'questionsPerAttempt: 10', 'questionsPerAttempt: 5');
    expectIssue(asError(await coverage()), {
      file: 'minimal/policy.yaml',
      line: await course.lineOf('policy.yaml', 'id: MP-01'),
      field: 'clauses[0].id',
      message: 'clause "MP-01" is tested by 2 judgement questions (2 in all, 0 recall',
    });
  });

  it('an attempt must fill up without the jurisdiction questions', async () => {
    const blocks = [0, 1, 2, 3, 4, 5].map((n) =>
      n < 2
        ? soundQuestion(n).replace('    difficulty:', '    jurisdictions: [us]\n    difficulty:')
        : soundQuestion(n),
    );
    await course.write('quiz.yaml', `questions:\n${blocks.join('\n')}\n`);
    await course.edit('course.yaml', 'questionsPerAttempt: 10', 'questionsPerAttempt: 5');
    const error = await contentErrorOf(loadCourse(course.dir));
    expect(error.message).toContain('is 5 but quiz.yaml has only 4 valid questions');
  });
});

describe('which jurisdictions a learner sees', () => {
  it('profile regions, narrowed by the person; every region while the profile names none', () => {
    expect(learnerJurisdictions(['us', 'uk'], null)).toEqual(['us', 'uk']);
    expect(learnerJurisdictions(['uk', 'us'], 'us')).toEqual(['us']);
    // A region the profile no longer enables (changed after the person's was set): the profile's
    // regions' notices, never none ("the notices below…" with nothing below).
    expect(learnerJurisdictions(['uk'], 'us')).toEqual(['uk']);
    expect(learnerJurisdictions(['eu', 'uk'], 'ca')).toEqual(['uk', 'eu']);
    expect(learnerJurisdictions([], null)).toEqual(['us', 'uk', 'eu', 'ca', 'au', 'other']);
    expect(learnerJurisdictions([], 'uk')).toEqual(['uk']);
  });
});
