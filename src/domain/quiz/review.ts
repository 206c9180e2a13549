import type { Course, PostVerdict, Question, QuizSettings, ReviewLevel } from '../course.js';
import { type PostCardView, postCard } from '../post-card.js';
import type { Draw } from './draw.js';
import type { Answers, ClauseScore, QuestionGrade } from './grading.js';

/** Which review the learner gets for an attempt (course settings). */
export function reviewLevelFor(
  settings: QuizSettings,
  passed: boolean,
  isFinalAttempt: boolean,
): ReviewLevel {
  if (passed) return settings.review.afterPass;
  return isFinalAttempt ? settings.review.afterFinalFail : settings.review.afterFail;
}

export interface WeakClause {
  id: string;
  number: string;
  title: string;
  correct: number;
  total: number;
  lessons: Array<{ id: string; title: string }>;
}

/** Clauses where points were lost, in policy order, with the lessons that teach them. */
export function weakClauses(course: Course, clauses: Record<string, ClauseScore>): WeakClause[] {
  return course.clauses
    .filter((c) => Object.hasOwn(clauses, c.id) && clauses[c.id]!.correct < clauses[c.id]!.total)
    .map((c) => ({
      id: c.id,
      number: c.number,
      title: c.title,
      correct: clauses[c.id]!.correct,
      total: clauses[c.id]!.total,
      lessons: course.lessons
        .filter((l) => l.clauses.includes(c.id))
        .map((l) => ({ id: l.id, title: l.title })),
    }));
}

export interface ReviewChoice {
  text: string;
  chosen: boolean;
  /** Right option, right reason, or the problem segment. */
  right: boolean;
  feedback: string;
}

export interface ReviewQuestion {
  number: number;
  prompt: string;
  /** Classify and spot: the post, as its card shows it. */
  card: PostCardView | null;
  points: number;
  correct: boolean;
  answered: boolean;
  /** Classify only: the verdicts given and right (pages word them: learn.verdict.<verdict>.label). */
  verdict: {
    given: PostVerdict | null;
    right: PostVerdict;
  } | null;
  choices: ReviewChoice[];
  explanation: string;
}

function choicesOf(question: Question) {
  if (question.type === 'classify') return question.reasons.map((r) => ({ ...r, right: r.correct }));
  if (question.type === 'spot') return question.segments.map((s) => ({ ...s, right: s.problem }));
  return question.options.map((o) => ({ ...o, right: o.correct }));
}

/** The full review: every question with the learner's answer, the right answer and all feedback. */
export function fullReview(
  questionsById: ReadonlyMap<string, Question>,
  draw: Draw,
  answers: Answers,
  grades: QuestionGrade[],
): ReviewQuestion[] {
  return draw.flatMap((drawn, i) => {
    const question = questionsById.get(drawn.questionId);
    if (!question) return [];
    const byId = new Map(choicesOf(question).map((c) => [c.id, c]));
    const answer = answers[drawn.questionId];
    const chosen = new Set(answer?.choiceIds ?? []);
    const grade = grades.find((g) => g.questionId === drawn.questionId);
    return [
      {
        number: i + 1,
        prompt: question.prompt,
        card: question.type === 'classify' || question.type === 'spot' ? postCard(question.post) : null,
        points: grade?.points ?? 0,
        correct: grade?.correct ?? false,
        answered: answer !== undefined,
        verdict:
          question.type === 'classify'
            ? {
                given: answer?.verdict ?? null,
                right: question.verdict,
              }
            : null,
        choices: drawn.choiceIds.flatMap((id) => {
          const c = byId.get(id);
          return c ? [{ text: c.text, chosen: chosen.has(id), right: c.right, feedback: c.feedback }] : [];
        }),
        explanation: question.explanation,
      },
    ];
  });
}
