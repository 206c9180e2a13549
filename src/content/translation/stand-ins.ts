import { Type } from 'typebox';
import { PLACEHOLDER_FALLBACKS, type StandIn } from '../../domain/course-resolve.js';
import { placeholdersIn } from '../../domain/placeholders.js';
import type { ContentIssue } from '../issues.js';
import type { YamlSource } from '../yaml-source.js';

/**
 * A translation's stand-ins (translation.yaml `placeholders:`): what each placeholder says in its
 * language while the organisation profile has no value for it, as the source says "your
 * organisation" (PLACEHOLDER_FALLBACKS). A plain phrase, or a phrase with the forms it takes after
 * particular words, for a language whose grammar changes it there (German dative after "bei").
 */
const Phrase = Type.String({ minLength: 1, maxLength: 200 });
export const StandInsSchema = Type.Record(
  Type.String(),
  Type.Union([
    Phrase,
    Type.Object(
      { phrase: Phrase, after: Type.Optional(Type.Record(Type.String(), Phrase)) },
      { additionalProperties: false },
    ),
  ]),
);
export type StandInsFile = Record<string, string | StandIn>;

/** The stand-ins as the fill reads them: every phrase an object, `after` keys lower case. */
export function standInsOf(file: StandInsFile | undefined): Record<string, StandIn> {
  const out: Record<string, StandIn> = {};
  for (const [name, entry] of Object.entries(file ?? {})) {
    if (typeof entry === 'string') out[name] = { phrase: entry };
    else {
      const after = Object.entries(entry.after ?? {}).map(([word, form]) => [word.toLowerCase(), form]);
      out[name] = { phrase: entry.phrase, ...(after.length > 0 ? { after: Object.fromEntries(after) } : {}) };
    }
  }
  return out;
}

/**
 * Every placeholder with a stand-in in the source that the translation's texts use must have one in
 * the translation (else a learner would read the English phrase in a translated sentence); a
 * stand-in for a name that has none in the source, or holding a placeholder, is an error too.
 */
export function checkStandIns(
  yaml: YamlSource,
  file: StandInsFile | undefined,
  texts: Iterable<string>,
  issues: ContentIssue[],
): void {
  const given = standInsOf(file);
  const used = new Set<string>();
  for (const text of texts) for (const use of placeholdersIn(text)) used.add(use.name);
  const missing = [...used].filter((name) => PLACEHOLDER_FALLBACKS.has(name) && !given[name]).sort();
  for (const name of missing) {
    const english = PLACEHOLDER_FALLBACKS.get(name);
    const message = `no stand-in for {{${name}}} (the source says "${english}" while the profile leaves it empty)`;
    issues.push(yaml.issue(file ? ['placeholders'] : [], message));
  }
  for (const [name, standIn] of Object.entries(given)) {
    if (!PLACEHOLDER_FALLBACKS.has(name))
      issues.push(yaml.issue(['placeholders', name], 'not a placeholder the source has a stand-in for'));
    const phrases = [standIn.phrase, ...Object.values(standIn.after ?? {})];
    if (phrases.some((p) => p.includes('{{')))
      issues.push(yaml.issue(['placeholders', name], 'a stand-in is plain text, without placeholders'));
  }
}
