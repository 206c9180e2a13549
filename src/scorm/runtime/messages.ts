import type { PostVerdict } from '../../domain/course.js';

/**
 * The runtime's own words (catalogue namespace scormRuntime), in the package's language. The builder
 * formats each message once with the ICU library (scorm/runtime-messages.ts), leaving `{name}` slots
 * for numbers only known in the browser; `say` fills them with the browser's Intl.NumberFormat. The one
 * plural the runtime needs (attempts left) is pre-formatted per count, so no ICU parser ships.
 */
export const SCO_MESSAGE_KEYS = [
  'question.counter',
  'question.selectAll',
  'question.spotHint',
  'question.verdict',
  'question.mainReason',
  'quiz.needsAnswer',
  'example.right',
  'example.notQuite',
  'result.passed',
  'result.scored',
  'result.passMark',
  'result.noAttempts',
  'result.noVerdict',
  'result.noAnswer',
  'result.correct',
  'result.partly',
  'result.incorrect',
  'result.yourAnswer',
  'result.yourAnswers',
  'result.nothingStoodOut',
  'result.revisit',
  'saving.unconfirmed',
  'saving.notRecording',
  'saving.pending',
] as const;
export type ScoMessageKey = (typeof SCO_MESSAGE_KEYS)[number];

export interface ScoMessages {
  /** The package's language (BCP 47), for number formatting. */
  lang: string;
  text: Record<ScoMessageKey, string>;
  /** "You can try again (n attempts left)." by n; index 0 unused. */
  tryAgain: string[];
  /** The verdict names (learn.verdict.*.label), as the web app's example pages show them. */
  verdicts: Record<PostVerdict, string>;
}

let messages: ScoMessages | undefined;

/** Set once by start(), before anything is drawn. */
export function useMessages(given: ScoMessages): void {
  messages = given;
}

function current(): ScoMessages {
  if (!messages) throw new Error('SCO messages are not set');
  return messages;
}

/** A message with its `{name}` slots filled by numbers in the package's language. */
export function say(key: ScoMessageKey, values: Record<string, number> = {}): string {
  const { lang, text } = current();
  const numbers = new Intl.NumberFormat(lang);
  return text[key].replace(/\{(\w+)\}/g, (slot, name: string) =>
    name in values ? numbers.format(values[name]!) : slot,
  );
}

export function tryAgain(attemptsLeft: number): string {
  return current().tryAgain[attemptsLeft] ?? '';
}

export function verdictName(verdict: PostVerdict): string {
  return current().verdicts[verdict];
}
