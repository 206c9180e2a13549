import { NOTICE_CLOSE_MARKER, noticeOpenMarker } from '../domain/jurisdictions.js';
import { REGIONS } from '../domain/org-profile.js';
import type { LessonLabels } from './lesson-labels.js';

/**
 * Lesson notice blocks: a section that applies only in some jurisdictions, written
 *
 *     ::: notice us uk
 *     Markdown, as anywhere in the lesson.
 *     :::
 *
 * The codes are the organisation profile's regions. The block's Markdown goes through the same
 * renderer and sanitiser as the rest of the lesson; the section and its markers are ours, so an
 * author can never forge one (the sanitiser drops comments and <section>).
 */
export const NOTICE_INFO = 'notice';

const CLOSING_LINE = /^\s*:{3,}\s*$/;

/** What markdown-it-container gives for a block's opening line (its `:::` parameters and lines). */
interface OpeningToken {
  info: string;
  map: [number, number] | null;
}

/**
 * The block's jurisdiction codes, with an issue at `line` for none given, an unknown code, a repeat,
 * or a block that is never closed (markdown-it-container would run it to the end of the lesson).
 */
export function noticeCodes(
  token: OpeningToken,
  bodyLines: readonly string[],
  line: number,
  issue: (line: number, message: string) => void,
): string[] {
  const [, ...codes] = token.info.trim().split(/\s+/);
  const known = REGIONS as readonly string[];
  if (codes.length === 0)
    issue(line, `a notice block needs at least one jurisdiction (one of ${known.join(', ')})`);
  for (const code of codes) {
    if (!known.includes(code))
      issue(line, `unknown jurisdiction "${code}" in a notice block (one of ${known.join(', ')})`);
  }
  if (new Set(codes).size !== codes.length) issue(line, 'a notice block names a jurisdiction twice');
  const closing = token.map ? bodyLines[token.map[1]] : undefined;
  if (closing === undefined || !CLOSING_LINE.test(closing))
    issue(line, 'this notice block is never closed (end it with a line of :::)');
  return codes.filter((code) => known.includes(code));
}

/**
 * The block as a marked section: a line saying whom it is for (in the course's language), then the
 * sanitised Markdown. `escape` makes the catalogue's words safe HTML.
 */
export function renderNotice(
  codes: readonly string[],
  innerHtml: string,
  words: { labels: LessonLabels; escape: (text: string) => string },
): string {
  const forWhom = words.labels.noticeFor(codes);
  const label = words.escape(words.labels.noticeLabel(forWhom));
  return (
    `${noticeOpenMarker(codes)}<section class="jurisdiction-notice" aria-label="${label}">` +
    `<p class="notice-for">${words.escape(forWhom)}</p>${innerHtml}</section>${NOTICE_CLOSE_MARKER}`
  );
}
