import { withoutClauseTag } from './lesson-sections.js';
import { splitFrontMatter } from './markdown.js';

/**
 * Word-level text comparison for the "no example repeats a lesson sentence" check. Texts are
 * compared as sequences of lower-case words, so Markdown emphasis, quotes, curly apostrophes, emoji
 * and line wrapping don't hide a copy.
 */

export interface LessonSentence {
  /** 1-based line in the lesson file where the sentence starts. */
  line: number;
  words: string[];
}

/** One word as compared: lower case, letters, digits and apostrophes only ('' when none). */
function normaliseWord(token: string): string {
  return token
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[^\p{L}\p{N}']/gu, '')
    .replace(/^'+|'+$/g, '');
}

/** Markdown and inline HTML that are not words: link targets, tags, block markers. */
function stripMarkup(line: string): string {
  return line
    .replace(/<[^>]*>/g, ' ')
    .replace(/\]\([^)]*\)/g, ' ')
    .replace(/^\s*(?:>\s*)+/, '')
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '')
    .replace(/^\s*#{1,6}\s+/, '');
}

export function wordsOf(text: string): string[] {
  return text
    .split(/\s+/)
    .map(normaliseWord)
    .filter((w) => w !== '');
}

/** A new block (blank line, heading, list item, table row, fence) ends the sentence before it. */
const BLOCK_START = /^\s*(?:$|#{1,6}\s|[-*+]\s|\d+[.)]\s|\||```|~~~)/;
/** A token ending a sentence: . ! or ? possibly followed by closing quotes, brackets or emphasis. */
const SENTENCE_END = /[.!?]["'”’)*_]*$/;

/** The sentences of a lesson file's Markdown body, each with the line it starts on. */
export function lessonSentences(fileText: string): LessonSentence[] {
  const split = splitFrontMatter(fileText);
  const body = split ? split.body : fileText;
  const firstBodyLine = fileText.slice(0, fileText.length - body.length).split('\n').length;
  const sentences: LessonSentence[] = [];
  let current: LessonSentence | undefined;
  const finish = () => {
    if (current && current.words.length > 0) sentences.push(current);
    current = undefined;
  };
  let inFence = false;
  let inQuote = false;
  body.split('\n').forEach((raw, i) => {
    const line = firstBodyLine + i;
    if (/^\s*(```|~~~)/.test(raw)) inFence = !inFence;
    // A quote starts a block; its following `>` lines continue it.
    const quote = /^\s*>/.test(raw);
    if (inFence || BLOCK_START.test(raw) || (quote && !inQuote)) finish();
    inQuote = quote;
    if (inFence) return;
    for (const token of stripMarkup(withoutClauseTag(raw)).split(/\s+/)) {
      const word = normaliseWord(token);
      if (word !== '') {
        current ??= { line, words: [] };
        current.words.push(word);
      }
      if (SENTENCE_END.test(token)) finish();
    }
    // A heading is a line of its own, with or without a full stop.
    if (/^\s*#{1,6}\s/.test(raw)) finish();
  });
  finish();
  return sentences;
}

/** Whether `words` occur, in order and next to each other, in `haystack` (a wordsOf result). */
export function containsRun(haystack: readonly string[], words: readonly string[]): boolean {
  return ` ${haystack.join(' ')} `.includes(` ${words.join(' ')} `);
}
