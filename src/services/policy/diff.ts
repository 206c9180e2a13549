import { diffWords } from 'diff';
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

/** Old and new text word by word (jsdiff's diffWords): the old side marks what went, the new side what came. */
export function sideBySide(before: string, after: string): SideBySide {
  const out: SideBySide = { before: [], after: [], changed: before !== after };
  for (const part of diffWords(before, after)) {
    if (part.removed) out.before.push({ text: part.value, mark: 'del' });
    else if (part.added) out.after.push({ text: part.value, mark: 'ins' });
    else {
      out.before.push({ text: part.value, mark: 'same' });
      out.after.push({ text: part.value, mark: 'same' });
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
