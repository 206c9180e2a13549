import { createHash } from 'node:crypto';
import { type Course, POST_VERDICTS, type Question } from '../domain/course.js';
import { postCard } from '../domain/post-card.js';
import { choiceIdsOf } from '../domain/quiz/draw.js';
import { type GivenAnswer, gradeQuestion } from '../domain/quiz/grading.js';
import { scoEta, scoText } from './eta.js';
import { answerDigest, type ScoAnswerKey, verdictDigest } from './runtime/answer-key.js';
import { MAX_CHOICES, type ScoBank, type ScoChoice, type ScoQuestion } from './runtime/model.js';

type ScoText = ReturnType<typeof scoText>;

const choice = ({ id, text }: ScoChoice): ScoChoice => ({ id, text });

/** What the SCO shows of a question: no correct flags, no per-option feedback (it names them). */
function blind(q: Question, withExplanation: boolean, org: ScoCardOrg | null, t: ScoText): ScoQuestion {
  const base = {
    id: q.id,
    prompt: q.prompt,
    clauses: q.clauses,
    // What the shared draw needs, as flags: the author's reason for a fixed order stays out.
    ...(q.fixedOrder ? { fixedOrder: true as const } : {}),
    ...(q.recall ? { recall: true as const } : {}),
    ...(withExplanation ? { explanation: q.explanation } : {}),
  };
  switch (q.type) {
    case 'classify':
      return {
        ...base,
        type: q.type,
        reasons: q.reasons.map(choice),
        postHtml: scoEta.render('/partials/post-card', { card: postCard(q.post), org, t }),
      };
    case 'spot':
      return {
        ...base,
        type: q.type,
        segments: q.segments.map(choice),
        postHtml: scoEta.render('/partials/post-card', { card: postCard(q.post), org, t }),
      };
    default:
      return { ...base, type: q.type, options: q.options.map(choice) };
  }
}

/** Every non-empty set of the given ids (at most 2^MAX_CHOICES − 1). */
function subsets(ids: string[]): string[][] {
  const out: string[][] = [];
  for (let mask = 1; mask < 1 << ids.length; mask++) out.push(ids.filter((_, i) => mask & (1 << i)));
  return out;
}

/**
 * The answers that can earn points, graded by the web app's own `gradeQuestion`, so the SCO gives
 * exactly the same points without knowing why. Single, true/false and spot take one choice;
 * multiple choice takes any set (partial credit); classify takes a verdict and one reason, and a
 * right verdict alone earns its part points whatever the reason.
 */
function candidateAnswers(q: Question): GivenAnswer[] {
  const ids = choiceIdsOf(q);
  switch (q.type) {
    case 'multiple':
      return subsets(ids).map((choiceIds) => ({ choiceIds }));
    case 'classify':
      return POST_VERDICTS.flatMap((verdict) => ids.map((id) => ({ verdict, choiceIds: [id] })));
    default:
      return ids.map((id) => ({ choiceIds: [id] }));
  }
}

/** Stable per course version and question, so exports stay byte-identical; public, like any salt. */
function saltFor(course: Course, q: Question): string {
  return createHash('sha256')
    .update(`sco-answer-salt:${course.id}:${course.version}:${q.id}`)
    .digest('base64url')
    .slice(0, 16);
}

export function buildAnswerKey(q: Question, salt: string): ScoAnswerKey {
  const points: Record<string, number> = {};
  const verdictOnly = new Map<string, number>();
  if (q.type === 'classify') {
    for (const verdict of POST_VERDICTS) {
      const p = gradeQuestion(q, { verdict, choiceIds: [] });
      verdictOnly.set(verdict, p);
      if (p > 0) points[verdictDigest(salt, verdict)] = p;
    }
  }
  for (const answer of candidateAnswers(q)) {
    const p = gradeQuestion(q, answer);
    const fallback = answer.verdict ? (verdictOnly.get(answer.verdict) ?? 0) : 0;
    if (p !== fallback) points[answerDigest(salt, answer)] = p;
  }
  return { salt, points };
}

/** The organisation a post card names (its logo as the packaged file), as the web app's partial takes it. */
export interface ScoCardOrg {
  name: string;
  logoUrl: string | null;
}

/**
 * The question bank as the SCO needs it: post cards drawn with the web app's partial (naming the
 * organisation of a branded package), no key.
 */
export function buildScoBank(course: Course, org: ScoCardOrg | null = null): ScoBank {
  for (const q of course.questions) {
    if (choiceIdsOf(q).length > MAX_CHOICES) {
      throw new Error(
        `Question ${q.id} has more than ${MAX_CHOICES} choices, which the SCORM bookmark cannot hold`,
      );
    }
  }
  const { review } = course.quiz;
  const fullReview = [review.afterPass, review.afterFail, review.afterFinalFail].includes('full');
  return {
    questions: course.questions.map((q) => blind(q, fullReview, org, scoText(course))),
    answerKeys: Object.fromEntries(
      course.questions.map((q) => [q.id, buildAnswerKey(q, saltFor(course, q))]),
    ),
    clauses: Object.fromEntries(course.clauses.map((c) => [c.id, `${c.number} ${c.title}`])),
  };
}
