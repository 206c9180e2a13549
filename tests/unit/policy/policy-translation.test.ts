import { describe, expect, it } from 'vitest';
import type { Clause } from '../../../src/domain/course.js';
import {
  type ClauseTranslation,
  changedFields,
  translatedOverlay,
  untranslatedClauses,
} from '../../../src/domain/policy-translation.js';
import type { PolicyOverlay } from '../../../src/domain/policy-version.js';

const clause = (id: string, title: string, summary: string, text: string) =>
  ({ id, number: id.slice(-1), title, summary, text }) as Clause;
const english = [
  clause('C-1', 'Think', 'Think first.', 'Think before posting.'),
  clause('C-2', 'Keep', 'Keep it.', 'Keep secrets.'),
];
const spanish = [
  clause('C-1', 'Piensa', 'Piensa antes.', 'Piensa antes de publicar.'),
  clause('C-2', 'Guarda', 'Guárdalo.', 'Guarda secretos.'),
];
const after = { title: 'Think twice', summary: 'Think first.', text: 'Think twice before posting.' };
const overlay: PolicyOverlay = { n: 2, clauses: { 'C-1': after }, publishedAt: null, note: '' };
const saved = (source = after): Map<string, ClauseTranslation> =>
  new Map([
    [
      'C-1',
      { clauseId: 'C-1', source, wording: { title: 'Piensa dos veces', text: 'Piensa dos veces antes.' } },
    ],
  ]);

describe('translations of the clauses a policy version changed', () => {
  it('asks only for the fields the overlay changed', () => {
    expect(changedFields(english[0]!, after)).toEqual(['title', 'text']);
  });

  it('is untranslated until a translation made for the current English exists', () => {
    expect(untranslatedClauses(overlay, new Map())).toEqual(['C-1']);
    expect(untranslatedClauses(overlay, saved())).toEqual([]);
    expect(untranslatedClauses(overlay, saved({ ...after, text: 'Older English.' }))).toEqual(['C-1']);
    expect(translatedOverlay({ overlay, english, translated: spanish, saved: new Map() })).toBeUndefined();
  });

  it('overlays the translated fields and keeps the translation file’s text for the unchanged ones', () => {
    expect(translatedOverlay({ overlay, english, translated: spanish, saved: saved() })).toEqual({
      ...overlay,
      clauses: {
        'C-1': { title: 'Piensa dos veces', summary: 'Piensa antes.', text: 'Piensa dos veces antes.' },
      },
    });
  });
});
