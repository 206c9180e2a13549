import type { MultipleChoiceQuestion, PostVerdict, Question } from '../course.js';
import type { Draw } from './draw.js';

/** What a learner answered to one question, in option/reason/segment ids (never display tokens). */
export interface GivenAnswer {
  choiceIds: string[];
  /** Classify questions only. */
  verdict?: PostVerdict;
}

export type Answers = Record<string, GivenAnswer>;

export interface QuestionGrade {
  questionId: string;
  /** 0–1; part points for multiple response and for a right verdict with the wrong reason. */
  points: number;
  correct: boolean;
}

export interface ClauseScore {
  /** Sum of points earned on questions testing this clause (may be fractional). */
  correct: number;
  total: number;
}

export interface AttemptGrade {
  /** Percent, rounded to one decimal. */
  score: number;
  passed: boolean;
  questions: QuestionGrade[];
  clauses: Record<string, ClauseScore>;
}

/** A classify answer with the right verdict but the wrong main reason earns half. */
export const RIGHT_VERDICT_WRONG_REASON = 0.5;

/**
 * Multiple response. All-or-nothing: 1 only for exactly the right set. With partial credit: the
 * share of right options ticked minus the share of wrong options ticked, floored at 0, so ticking
 * everything (1 − 1) and ticking nothing (0 − 0) both earn 0, and a guess costs as much as it can
 * gain. Every multiple question has at least one right and one wrong option (a loader rule).
 */
function gradeMultiple(question: MultipleChoiceQuestion, chosen: ReadonlySet<string>): number {
  const right = question.options.filter((o) => o.correct);
  const wrong = question.options.filter((o) => !o.correct);
  const hits = right.filter((o) => chosen.has(o.id)).length;
  const wrongTicks = wrong.filter((o) => chosen.has(o.id)).length;
  if (!question.partialCredit) return hits === right.length && wrongTicks === 0 ? 1 : 0;
  const hitShare = right.length === 0 ? 0 : hits / right.length;
  const wrongShare = wrong.length === 0 ? 0 : wrongTicks / wrong.length;
  return Math.max(0, hitShare - wrongShare);
}

/** Points for one answer: 0–1. A missing answer scores 0. */
export function gradeQuestion(question: Question, answer: GivenAnswer | undefined): number {
  const chosen = new Set(answer?.choiceIds ?? []);
  const onlyChoice = chosen.size === 1 ? [...chosen][0] : undefined;
  switch (question.type) {
    case 'single':
    case 'truefalse':
      return question.options.some((o) => o.correct && o.id === onlyChoice) ? 1 : 0;
    case 'multiple':
      return gradeMultiple(question, chosen);
    case 'spot':
      return question.segments.some((s) => s.problem && s.id === onlyChoice) ? 1 : 0;
    case 'classify': {
      if (answer?.verdict !== question.verdict) return 0;
      return question.reasons.some((r) => r.correct && r.id === onlyChoice) ? 1 : RIGHT_VERDICT_WRONG_REASON;
    }
  }
}

/** One served question's points, with the clauses it tests: what an attempt's grade is made of. */
export interface GradedQuestion {
  questionId: string;
  points: number;
  clauses: readonly string[];
}

/**
 * Totals an attempt from its questions' points. Passing compares exact points, not the rounded
 * percentage, so 79.96 % never rounds up to a pass of 80 %. The SCORM package grades with it too,
 * from points it looks up rather than computes, so both give the same score.
 */
export function tallyAttempt(graded: readonly GradedQuestion[], passingScore: number): AttemptGrade {
  const questions: QuestionGrade[] = [];
  const clauses: Record<string, ClauseScore> = {};
  let earned = 0;
  for (const { questionId, points, clauses: tested } of graded) {
    earned += points;
    questions.push({ questionId, points, correct: points === 1 });
    for (const clause of tested) {
      const entry = clauses[clause] ?? { correct: 0, total: 0 };
      clauses[clause] = { correct: entry.correct + points, total: entry.total + 1 };
    }
  }
  const ratio = questions.length === 0 ? 0 : earned / questions.length;
  return {
    score: Math.round(ratio * 1000) / 10,
    passed: questions.length > 0 && ratio * 100 >= passingScore - 1e-9,
    questions,
    clauses,
  };
}

/** Grades a whole attempt against the questions it served. */
export function gradeAttempt(
  questionsById: ReadonlyMap<string, Question>,
  draw: Draw,
  answers: Answers,
  passingScore: number,
): AttemptGrade {
  // A content update removed a question after the attempt started: grade the questions that
  // remain rather than failing the learner's submission.
  const graded = draw.flatMap(({ questionId }): GradedQuestion[] => {
    const question = questionsById.get(questionId);
    if (!question) return [];
    return [{ questionId, points: gradeQuestion(question, answers[questionId]), clauses: question.clauses }];
  });
  return tallyAttempt(graded, passingScore);
}

/**
 * The answer that earns full points. Server-side only: the demo organisation's history is written
 * with it (and a unit test holds it to `gradeQuestion`); no page or package is ever given it.
 */
export function rightAnswer(question: Question): GivenAnswer {
  switch (question.type) {
    case 'single':
    case 'truefalse':
    case 'multiple':
      return { choiceIds: question.options.filter((o) => o.correct).map((o) => o.id) };
    case 'spot':
      return { choiceIds: question.segments.filter((s) => s.problem).map((s) => s.id) };
    case 'classify':
      return {
        verdict: question.verdict,
        choiceIds: question.reasons.filter((r) => r.correct).map((r) => r.id),
      };
  }
}
