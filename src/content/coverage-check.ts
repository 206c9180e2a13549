import type { Course } from '../domain/course.js';
import { everyoneQuestions } from '../domain/jurisdictions.js';
import type { ContentIssue } from './issues.js';
import { containsRun, lessonSentences, wordsOf } from './lesson-sentences.js';
import type { YamlSource } from './yaml-source.js';

/**
 * Course checks of issue #20 and the per-clause rule of #19: every clause is practised and tested,
 * the decision tree asks about protected rights first, and examples are written in their own words.
 * (Every clause taught by a lesson is checked by the loader itself; every example's platform by the
 * schema.)
 */

export const MIN_EXAMPLES_PER_CLAUSE = 2;
/** Judgement questions (a situation to judge, not `recall: true`) per clause. */
export const MIN_JUDGEMENT_QUESTIONS_PER_CLAUSE = 3;
/** Shorter sentences ("Ask first.", "That's fine.") may well recur in a post by coincidence. */
export const MIN_COPIED_SENTENCE_WORDS = 8;

export interface LessonText {
  /** Display path of the lesson file. */
  file: string;
  text: string;
}

export interface CoverageInput {
  course: Course;
  policy: YamlSource;
  examples: YamlSource;
  tree: YamlSource;
  lessons: readonly LessonText[];
}

export function checkCoverage(input: CoverageInput): ContentIssue[] {
  return [...clauseCoverage(input), ...treeStartsWithRights(input), ...copiedLessonSentences(input)];
}

function clauseCoverage({ course, policy }: CoverageInput): ContentIssue[] {
  const issues: ContentIssue[] = [];
  course.clauses.forEach((clause, index) => {
    const path = ['clauses', index, 'id'];
    const examples = course.examples.filter((e) => e.clauses.includes(clause.id)).length;
    if (examples < MIN_EXAMPLES_PER_CLAUSE) {
      issues.push(
        policy.issue(
          path,
          `clause "${clause.id}" is practised by ${examples} example post${examples === 1 ? '' : 's'} ` +
            `(rule: at least ${MIN_EXAMPLES_PER_CLAUSE} in examples.yaml)`,
        ),
      );
    }
    // Questions marked for some jurisdictions are extra: only those every learner can draw count.
    const questions = everyoneQuestions(course.questions).filter((q) => q.clauses.includes(clause.id));
    const judgement = questions.filter((q) => !q.recall).length;
    if (judgement < MIN_JUDGEMENT_QUESTIONS_PER_CLAUSE) {
      issues.push(
        policy.issue(
          path,
          `clause "${clause.id}" is tested by ${judgement} judgement question${judgement === 1 ? '' : 's'} ` +
            `(${questions.length} in all, ${questions.length - judgement} recall; rule: at least ` +
            `${MIN_JUDGEMENT_QUESTIONS_PER_CLAUSE} that are not recall: true, in quiz.yaml)`,
        ),
      );
    }
  });
  return issues;
}

function treeStartsWithRights({ course, tree }: CoverageInput): ContentIssue[] {
  const { start, nodes } = course.decisionTree;
  const node = nodes[start];
  if (node?.kind === 'question' && node.topic === 'protected-rights') return [];
  return [
    tree.issue(
      ['start'],
      `the first question "${start}" must be the protected-rights question (topic: protected-rights): ` +
        'is the post about pay, working conditions, safety or wrongdoing? Those posts are protected ' +
        'whatever else applies',
    ),
  ];
}

function copiedLessonSentences({ course, examples, lessons }: CoverageInput): ContentIssue[] {
  const sentences = lessons.flatMap(({ file, text }) =>
    lessonSentences(text)
      .filter((s) => s.words.length >= MIN_COPIED_SENTENCE_WORDS)
      .map((s) => ({ ...s, file })),
  );
  const issues: ContentIssue[] = [];
  course.examples.forEach((example, index) => {
    for (const field of ['text', 'betterVersion'] as const) {
      const value = example[field];
      if (value === undefined) continue;
      const words = wordsOf(value);
      const copied = sentences.find((s) => containsRun(words, s.words));
      if (!copied) continue;
      const opening = copied.words.slice(0, 6).join(' ');
      issues.push(
        examples.issue(
          ['examples', index, field],
          `repeats a sentence of ${copied.file}:${copied.line} word for word ("${opening} …", ` +
            `${copied.words.length} words); write the post in its own words`,
        ),
      );
    }
  });
  return issues;
}
