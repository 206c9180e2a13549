import { diffArrays } from 'diff';
import { placeholdersIn } from '../../domain/placeholders.js';
import type { ClauseWording } from '../../domain/policy-version.js';

/** A run of text on one side of a diff: unchanged, or removed (old side) / added (new side). */
export interface Segment {
  text: string;
  mark: 'same' | 'del' | 'ins';
}

export interface SideBySide {
  before: Segment[];
  after: Segment[];
  changed: boolean;
}

/** A word, a run of whitespace, or one punctuation mark. */
const WORD_TOKEN = /[\p{L}\p{N}_'’-]+|\s+|[^\p{L}\p{N}_'’\s-]/gu;

/**
 * The text as diff tokens: each placeholder (`{{contact.comms}}`, `{{ org.name }}`) is ONE token,
 * so a changed placeholder is marked whole, never as `{{contact.` + `comms` + `}}`; the text between
 * placeholders is split into words, whitespace and punctuation as jsdiff's diffWords would.
 */
export function diffTokens(text: string): string[] {
  const tokens: string[] = [];
  let from = 0;
  for (const use of placeholdersIn(text)) {
    tokens.push(...(text.slice(from, use.index).match(WORD_TOKEN) ?? []));
    const end = text.indexOf('}}', use.index) + 2;
    tokens.push(text.slice(use.index, end));
    from = end;
  }
  tokens.push(...(text.slice(from).match(WORD_TOKEN) ?? []));
  return tokens;
}

/** Appends `text` to a side, joining it to the last segment when the mark is the same. */
function push(side: Segment[], text: string, mark: Segment['mark']) {
  const last = side[side.length - 1];
  if (last && last.mark === mark) last.text += text;
  else side.push({ text, mark });
}

/** Old and new text token by token (jsdiff's diffArrays): the old side marks what went, the new side what came. */
export function sideBySide(before: string, after: string): SideBySide {
  const out: SideBySide = { before: [], after: [], changed: before !== after };
  for (const part of diffArrays(diffTokens(before), diffTokens(after))) {
    const text = part.value.join('');
    if (part.removed) push(out.before, text, 'del');
    else if (part.added) push(out.after, text, 'ins');
    else {
      push(out.before, text, 'same');
      push(out.after, text, 'same');
    }
  }
  return out;
}

export const WORDING_FIELDS = [
  ['title', 'Title'],
  ['summary', 'Summary'],
  ['text', 'Text'],
] as const;

/** Each wording field's diff, labelled, in display order. */
export function wordingDiff(before: ClauseWording, after: ClauseWording) {
  return WORDING_FIELDS.map(([field, label]) => ({
    field,
    label,
    ...sideBySide(before[field], after[field]),
  }));
}
