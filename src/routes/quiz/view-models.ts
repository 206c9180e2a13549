import type { Course, Question } from '../../domain/course.js';
import { quizDrawPlan } from '../../domain/mastery/refresher-path.js';
import {
  type Answers,
  attemptsAllowed,
  fullReview,
  minutesUntil,
  presentQuestion,
  type QuizStatus,
  reviewLevelFor,
  weakClauses,
} from '../../domain/quiz/index.js';
import type { Translator } from '../../i18n/translator.js';
import {
  type AttemptDoc,
  type AttemptResultDoc,
  choiceTokensFor,
  type QuizContext,
} from '../../services/quiz/index.js';
import { formatDateTime, formatScore } from './format.js';

export function quizBase(courseId: string): string {
  return `/learn/${courseId}/quiz`;
}

/** The intro page: the rules, where the learner stands, and past attempts. */
export function introView(ctx: QuizContext, now: Date, i18n: Translator) {
  const { course, status } = ctx;
  const s = status.state;
  const byId = new Map(ctx.results.map((r) => [r._id, r]));
  return {
    course: { id: course.id, title: course.title, language: course.language },
    base: quizBase(course.id),
    rules: {
      // A refresher's short path asks fewer questions, on the clauses left to study.
      questions: quizDrawPlan(course, course.questions, ctx.cycle.refresher).count,
      passingScore: course.quiz.passingScore,
      allowed: status.allowed,
      cooldownMinutes: course.quiz.cooldownMinutes,
      timeLimitMinutes: course.quiz.timeLimitMinutes ?? null,
    },
    status: { kind: s.kind, used: status.used, left: status.left },
    /** Not required because a refresher's check covered every clause (issue #23), not an attest-only cycle. */
    testedOut: s.kind === 'not-required' && ctx.cycle.requirement === 'full',
    attemptNo: s.kind === 'open' ? s.attemptNo : s.kind === 'passed' ? s.attemptNo : null,
    deadline: s.kind === 'open' ? formatDateTime(s.deadline, i18n) : null,
    cooldown:
      s.kind === 'cooldown'
        ? { minutes: minutesUntil(s.availableAt, now), at: formatDateTime(s.availableAt, i18n) }
        : null,
    attempts: [...ctx.attempts]
      .sort((a, b) => a.n - b.n)
      .map((a) => {
        const r = byId.get(a._id);
        return {
          n: a.n,
          startedAt: formatDateTime(a.startedAt, i18n),
          score: r ? formatScore(r.score) : null,
          passed: r?.passed ?? null,
          href: r
            ? `${quizBase(course.id)}/attempts/${a.n}/result`
            : `${quizBase(course.id)}/attempts/${a.n}`,
        };
      }),
  };
}

/** The attempt page: questions rendered from the draw (texts and opaque tokens only, never the key). */
export function attemptView(
  course: Course,
  questionsById: ReadonlyMap<string, Question>,
  attempt: AttemptDoc,
  status: QuizStatus,
  answers: Answers,
  i18n: Translator,
  unanswered: string[] = [],
) {
  const missing = new Set(unanswered);
  const tokens = choiceTokensFor(attempt);
  const questions = attempt.draw.flatMap((drawn, i) => {
    const question = questionsById.get(drawn.questionId);
    if (!question) return [];
    const presented = presentQuestion(question, drawn, tokens[i] ?? [], i + 1, answers[drawn.questionId]);
    return [{ ...presented, card: presented.card, missing: missing.has(question.id) }];
  });
  const firstField = (q: (typeof questions)[number]) =>
    q.type === 'classify' ? `${q.key}-verdict-acceptable` : `${q.key}-${q.choices[0]?.token ?? ''}`;
  return {
    course: { id: course.id, title: course.title, language: course.language },
    base: `${quizBase(course.id)}/attempts/${attempt.n}`,
    n: attempt.n,
    allowed: status.allowed,
    deadline: formatDateTime(attempt.deadline, i18n),
    deadlineIso: attempt.deadline ? new Date(attempt.deadline).toISOString() : null,
    questions,
    errors: questions
      .filter((q) => q.missing)
      .map((q) => ({
        field: firstField(q),
        message: i18n.t('learn.refresher.answerQuestion', { n: q.number }),
      })),
  };
}

/** The result page, as much of the review as the course settings allow for this outcome. */
export function resultView(
  ctx: QuizContext,
  questionsById: ReadonlyMap<string, Question>,
  attempt: AttemptDoc,
  result: AttemptResultDoc,
  i18n: Translator,
) {
  const { course } = ctx;
  const allowed = attemptsAllowed(course.quiz, ctx.cycle);
  const isFinal = !result.passed && result.n >= allowed;
  const level = reviewLevelFor(course.quiz, result.passed, isFinal);
  const s = ctx.status.state;
  return {
    course: { id: course.id, title: course.title, language: course.language },
    base: quizBase(course.id),
    n: result.n,
    score: formatScore(result.score),
    passingScore: result.passingScore,
    passed: result.passed,
    timedOut: result.timedOut,
    submittedAt: formatDateTime(result.submittedAt, i18n),
    level,
    next: s.kind,
    attemptsLeft: ctx.status.left,
    cooldown: s.kind === 'cooldown' ? formatDateTime(s.availableAt, i18n) : null,
    weakClauses: level === 'scoreOnly' ? [] : weakClauses(course, result.clauses),
    review:
      level === 'full'
        ? fullReview(questionsById, attempt.draw, result.answers, result.questions).map((r) => ({
            ...r,
            card: r.card,
          }))
        : [],
  };
}
