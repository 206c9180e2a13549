import type { Course } from '../domain/course.js';
import { POST_VERDICTS } from '../domain/course.js';
import type { Translator } from '../i18n/translator.js';
import { SCO_MESSAGE_KEYS, type ScoMessageKey, type ScoMessages } from './runtime/messages.js';

/** What each number slot becomes at build time: the slot itself, filled by the runtime (runtime/messages.ts). */
const SLOTS = { pos: '{pos}', total: '{total}', score: '{score}', pass: '{pass}' };

/** The runtime's messages in the package's language, formatted with the app's catalogues (namespace scormRuntime). */
export function scoMessages(course: Course, text: Translator): ScoMessages {
  const formatted = Object.fromEntries(
    SCO_MESSAGE_KEYS.map((key) => [key, text.t(`scormRuntime.${key}`, SLOTS)]),
  ) as Record<ScoMessageKey, string>;
  return {
    lang: text.lang,
    text: formatted,
    tryAgain: Array.from({ length: course.quiz.maxAttempts }, (_, n) =>
      n === 0 ? '' : text.t('scormRuntime.result.tryAgain', { count: n }),
    ),
    verdicts: Object.fromEntries(
      POST_VERDICTS.map((v) => [v, text.t(`learn.verdict.${v}.label`)]),
    ) as ScoMessages['verdicts'],
  };
}
