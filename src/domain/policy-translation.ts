import { createHash } from 'node:crypto';
import type { Clause } from './course.js';
import type { ClauseWording, PolicyOverlay } from './policy-version.js';

/**
 * Translations of the clauses HR changed in the app (policy versions are English overlays on the
 * course files). A course translation stays servable after a publish when every clause the published
 * overlay changes has a saved translation, in that language, made for the overlay's CURRENT English
 * wording. Only the fields the overlay changed (compared with the course files) are translated here;
 * the others keep the translation file's text. Pure.
 */

export const CLAUSE_FIELDS = ['title', 'summary', 'text'] as const;
export type ClauseField = (typeof CLAUSE_FIELDS)[number];

/** One saved clause translation (services/policy/translation.ts stores them). */
export interface ClauseTranslation {
  clauseId: string;
  /** The English wording (overlay) it was translated from. */
  source: ClauseWording;
  /** The translated text of the fields that wording changed. */
  wording: Partial<ClauseWording>;
}

/** A stable fingerprint of an English wording: the form carries it, so a save made for older text is refused. */
export function wordingHash(w: ClauseWording): string {
  return createHash('sha256')
    .update(JSON.stringify([w.title, w.summary, w.text]))
    .digest('hex');
}

/** The fields of a clause the overlay changed from the course files' English. */
export function changedFields(baseline: Pick<Clause, ClauseField>, after: ClauseWording): ClauseField[] {
  return CLAUSE_FIELDS.filter((f) => baseline[f] !== after[f]);
}

const sameWording = (a: ClauseWording, b: ClauseWording) => wordingHash(a) === wordingHash(b);

/** The clause ids the overlay changes that have no translation made for their current English. */
export function untranslatedClauses(
  overlay: PolicyOverlay,
  saved: ReadonlyMap<string, ClauseTranslation>,
): string[] {
  return Object.keys(overlay.clauses)
    .filter((id) => {
      const t = saved.get(id);
      return !t || !sameWording(t.source, overlay.clauses[id]!);
    })
    .sort();
}

/**
 * The overlay in the translation's language: each changed clause with its changed fields translated
 * and the others from the translation file. Undefined while a changed clause lacks a current translation.
 */
export function translatedOverlay(input: {
  overlay: PolicyOverlay;
  /** The course files' English clauses and the translation file's clauses (same ids). */
  english: readonly Clause[];
  translated: readonly Clause[];
  saved: ReadonlyMap<string, ClauseTranslation>;
}): PolicyOverlay | undefined {
  const { overlay, saved } = input;
  if (untranslatedClauses(overlay, saved).length > 0) return undefined;
  const clauses: Record<string, ClauseWording> = {};
  for (const [id, after] of Object.entries(overlay.clauses)) {
    const english = input.english.find((c) => c.id === id);
    const translated = input.translated.find((c) => c.id === id);
    if (!english || !translated) return undefined;
    const wording: ClauseWording = {
      title: translated.title,
      summary: translated.summary,
      text: translated.text,
    };
    for (const f of changedFields(english, after)) {
      const text = saved.get(id)!.wording[f];
      if (text === undefined) return undefined;
      wording[f] = text;
    }
    clauses[id] = wording;
  }
  return { ...overlay, clauses };
}
