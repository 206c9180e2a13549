import type { Course, Question } from '../domain/course.js';
import { choiceIdsOf } from '../domain/quiz/draw.js';
import { scoEta } from './eta.js';
import { MAX_CHOICES, type ScoBank, type ScoQuestion } from './runtime/model.js';

function withPostCard(q: Question): ScoQuestion {
  if (q.type !== 'classify' && q.type !== 'spot') return q;
  return { ...q, postHtml: scoEta.render('/partials/post-card', { post: q.post }) };
}

/** The question bank as the SCO needs it: post cards drawn with the web app's partial. */
export function buildScoBank(course: Course): ScoBank {
  for (const q of course.questions) {
    if (choiceIdsOf(q).length > MAX_CHOICES) {
      throw new Error(
        `Question ${q.id} has more than ${MAX_CHOICES} choices, which the SCORM bookmark cannot hold`,
      );
    }
  }
  return {
    questions: course.questions.map(withPostCard),
    clauses: Object.fromEntries(course.clauses.map((c) => [c.id, `${c.number} ${c.title}`])),
  };
}
