import type { PostVerdict } from '../../domain/course.js';
import { choiceIdsOf } from '../../domain/quiz/draw.js';
import type { GivenAnswer } from '../../domain/quiz/grading.js';
import type { ScoQuestion } from './model.js';

/**
 * One quiz question as a SCORM interaction, already in the target version's vocabulary. No
 * correct_responses pattern: the package does not know the right answer (see answer-key.ts), and
 * the element is optional in both versions.
 */
export interface InteractionRecord {
  id: string;
  type: 'choice' | 'true-false';
  response: string;
  result: 'correct' | 'wrong' | 'incorrect';
  /** 2004 only (localized_string, 250 characters). */
  description: string;
}

type Format = 'scorm12' | 'scorm2004';

function givenIds(answer: GivenAnswer | undefined): string[] {
  return [...(answer?.verdict ? [answer.verdict] : []), ...(answer?.choiceIds ?? [])];
}

/**
 * SCORM 1.2 choice responses are single characters (0–9, a–z), so option ids become letters by
 * their position in the author's order, and a classify verdict a digit: 0 acceptable,
 * 1 unacceptable, 2 ask first (the first two kept from before ask-first existed, so LMS reports
 * read the same across package versions).
 */
const SCORM12_VERDICTS: Record<PostVerdict, string> = {
  acceptable: '0',
  unacceptable: '1',
  'ask-first': '2',
};

function scorm12Token(q: ScoQuestion, id: string): string {
  if (Object.hasOwn(SCORM12_VERDICTS, id)) return SCORM12_VERDICTS[id as PostVerdict];
  return String.fromCharCode(97 + choiceIdsOf(q).indexOf(id));
}

function isTrueFalse(q: ScoQuestion): boolean {
  return q.type === 'truefalse' && q.options.every((o) => o.id === 'true' || o.id === 'false');
}

function responseText(format: Format, q: ScoQuestion, ids: string[]): string {
  if (isTrueFalse(q)) return format === 'scorm12' ? (ids[0] ?? '').slice(0, 1) : (ids[0] ?? '');
  if (format === 'scorm12') return ids.map((id) => scorm12Token(q, id)).join(',');
  return ids.join('[,]');
}

export function interactionFor(
  format: Format,
  q: ScoQuestion,
  answer: GivenAnswer | undefined,
  points: number,
): InteractionRecord {
  const right = points === 1;
  return {
    id: q.id,
    type: isTrueFalse(q) ? 'true-false' : 'choice',
    response: responseText(format, q, givenIds(answer)),
    result: right ? 'correct' : format === 'scorm12' ? 'wrong' : 'incorrect',
    description: q.prompt.slice(0, 250),
  };
}
