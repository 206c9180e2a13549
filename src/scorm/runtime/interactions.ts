import type { Question } from '../../domain/course.js';
import { choiceIdsOf } from '../../domain/quiz/draw.js';
import type { GivenAnswer } from '../../domain/quiz/grading.js';

/** One quiz question as a SCORM interaction, already in the target version's vocabulary. */
export interface InteractionRecord {
  id: string;
  type: 'choice' | 'true-false';
  response: string;
  correctPattern: string;
  result: 'correct' | 'wrong' | 'incorrect';
  /** 2004 only (localized_string, 250 characters). */
  description: string;
}

type Format = 'scorm12' | 'scorm2004';

function correctIds(q: Question): string[] {
  switch (q.type) {
    case 'classify':
      return [q.verdict, ...q.reasons.filter((r) => r.correct).map((r) => r.id)];
    case 'spot':
      return q.segments.filter((s) => s.problem).map((s) => s.id);
    default:
      return q.options.filter((o) => o.correct).map((o) => o.id);
  }
}

function givenIds(answer: GivenAnswer | undefined): string[] {
  return [...(answer?.verdict ? [answer.verdict] : []), ...(answer?.choiceIds ?? [])];
}

/**
 * SCORM 1.2 choice responses are single characters (0–9, a–z), so option ids become letters by
 * their position in the author's order, and a classify verdict becomes 0 (acceptable) or 1.
 */
function scorm12Token(q: Question, id: string): string {
  if (id === 'acceptable') return '0';
  if (id === 'unacceptable') return '1';
  return String.fromCharCode(97 + choiceIdsOf(q).indexOf(id));
}

function isTrueFalse(q: Question): boolean {
  return q.type === 'truefalse' && q.options.every((o) => o.id === 'true' || o.id === 'false');
}

function responseText(format: Format, q: Question, ids: string[]): string {
  if (isTrueFalse(q)) return format === 'scorm12' ? (ids[0] ?? '').slice(0, 1) : (ids[0] ?? '');
  if (format === 'scorm12') return ids.map((id) => scorm12Token(q, id)).join(',');
  return ids.join('[,]');
}

export function interactionFor(
  format: Format,
  q: Question,
  answer: GivenAnswer | undefined,
  points: number,
): InteractionRecord {
  const right = points === 1;
  return {
    id: q.id,
    type: isTrueFalse(q) ? 'true-false' : 'choice',
    response: responseText(format, q, givenIds(answer)),
    correctPattern: responseText(format, q, correctIds(q)),
    result: right ? 'correct' : format === 'scorm12' ? 'wrong' : 'incorrect',
    description: q.prompt.slice(0, 250),
  };
}
