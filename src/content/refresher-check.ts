import type { Course, Question } from '../domain/course.js';
import { everyoneQuestions } from '../domain/jurisdictions.js';
import type { ContentIssue } from './issues.js';
import type { YamlSource } from './yaml-source.js';

/**
 * content:check's rule for refreshers (issue #23, courses/refreshers.md). Every clause needs:
 *
 * 1. **Pre-assessment material**: two judgement questions (not `recall: true`, no `jurisdictions`)
 *    that test it, which the main quiz can do without. The check sets them aside for every clause
 *    at once (`pretestReserve`) and asks of what is left that the main quiz draw still gives the
 *    clause a judgement question (its first pass gives each clause one, judgement preferred, and
 *    at most one recall question fits an attempt, so only a judgement question is sure to be drawn)
 *    and still fills `questionsPerAttempt`. So a learner whose last attempt held one question on
 *    the clause still has two they have not seen, and the quiz after the pre-assessment still has
 *    one beyond them.
 * 2. **A study path**: a lesson section that teaches it, and an example post or a question to
 *    practise on.
 */

export const PRETEST_QUESTIONS_PER_CLAUSE = 2;

export interface PretestReserve {
  /** Clause id → the ids of the questions set aside for its pre-assessment (at most two). */
  byClause: Map<string, string[]>;
  ids: Set<string>;
}

const isJudgement = (q: Question) => !q.recall;

/**
 * Two judgement questions per clause, set aside in policy order: one already set aside for an
 * earlier clause first (it serves both), then those testing the fewest clauses (a question on one
 * clause says most about it and takes nothing from another clause's main quiz), then file order.
 */
export function pretestReserve(course: Pick<Course, 'clauses' | 'questions'>): PretestReserve {
  const judgement = everyoneQuestions(course.questions).filter(isJudgement);
  const ids = new Set<string>();
  const byClause = new Map<string, string[]>();
  for (const clause of course.clauses) {
    const pool = judgement.filter((q) => q.clauses.includes(clause.id));
    const rank = (q: Question) => (ids.has(q.id) ? 0 : q.clauses.length);
    const picks = [...pool]
      .sort((a, b) => rank(a) - rank(b))
      .slice(0, PRETEST_QUESTIONS_PER_CLAUSE)
      .map((q) => q.id);
    for (const id of picks) ids.add(id);
    byClause.set(clause.id, picks);
  }
  return { byClause, ids };
}

export interface RefresherMaterialInput {
  course: Course;
  policy: YamlSource;
  quiz: YamlSource;
}

export function checkRefresherMaterial({ course, policy, quiz }: RefresherMaterialInput): ContentIssue[] {
  const reserve = pretestReserve(course);
  const everyone = everyoneQuestions(course.questions);
  const main = everyone.filter((q) => !reserve.ids.has(q.id));
  const issues: ContentIssue[] = [];
  course.clauses.forEach((clause, index) => {
    const issue = (message: string) =>
      issues.push(policy.issue(['clauses', index, 'id'], `clause "${clause.id}" ${message}`));
    const pretest = pretestProblem(clause.id, reserve, everyone, main);
    if (pretest) issue(`lacks pre-assessment material: ${pretest}`);
    for (const problem of studyPathProblems(clause.id, course)) issue(`has no study path: ${problem}`);
  });
  const recalls = main.filter((q) => q.recall).length;
  const drawable = main.length - Math.max(0, recalls - 1);
  if (drawable < course.quiz.questionsPerAttempt) {
    issues.push(
      quiz.issue(
        ['questions'],
        `with the ${reserve.ids.size} questions set aside for pre-assessments, the main quiz can draw ` +
          `${drawable} (questionsPerAttempt is ${course.quiz.questionsPerAttempt}); add questions`,
      ),
    );
  }
  return issues;
}

const RULE =
  `rule: ${PRETEST_QUESTIONS_PER_CLAUSE} for the pre-assessment and 1 more, not recall: true and ` +
  'for every jurisdiction, in quiz.yaml';

function pretestProblem(
  clauseId: string,
  reserve: PretestReserve,
  everyone: readonly Question[],
  main: readonly Question[],
): string | undefined {
  const on = (q: Question) => q.clauses.includes(clauseId) && isJudgement(q);
  const count = everyone.filter(on).length;
  if (count < PRETEST_QUESTIONS_PER_CLAUSE) {
    const noun = count === 1 ? 'question' : 'questions';
    return `${count} judgement ${noun} every learner can be drawn (${RULE})`;
  }
  if (main.some(on)) return undefined;
  const aside = everyone.filter((q) => on(q) && reserve.ids.has(q.id)).map((q) => q.id);
  return (
    `with ${aside.join(', ')} set aside for the pre-assessment the main quiz has no judgement ` +
    `question left on it (${count} judgement questions in all; ${RULE})`
  );
}

function studyPathProblems(clauseId: string, course: Course): string[] {
  const problems: string[] = [];
  const sections = course.lessons.flatMap((l) => l.sections).filter((s) => s.clauses.includes(clauseId));
  if (sections.length === 0) {
    problems.push(
      `no lesson section teaches it (tag a ## heading {clauses: ${clauseId}} or list it in a lesson's clauses)`,
    );
  }
  const practice =
    course.examples.some((e) => e.clauses.includes(clauseId)) ||
    everyoneQuestions(course.questions).some((q) => q.clauses.includes(clauseId));
  if (!practice) problems.push('no example post or question practises it');
  return problems;
}
