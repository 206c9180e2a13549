import { isDeepStrictEqual } from 'node:util';
import { placeholdersIn } from '../../domain/placeholders.js';
import type { ContentIssue, DataPath } from '../issues.js';
import type { YamlSource } from '../yaml-source.js';

/**
 * A translation mirrors the source files: same keys, same ids, same order, same numbers and flags.
 * Only the values of these keys are human text the translator rewrites (in YAML files and in the
 * YAML of lesson front matter and scenario blocks). Every other value must equal the source's.
 */
const TEXT_KEYS = new Set([
  'title',
  'summary',
  'text',
  'prompt',
  'feedback',
  'explanation',
  'reasons',
  'betterVersion',
  'role',
  'question',
  'help',
  'label',
  'objectives',
  'situation',
  'consequence',
  'image',
  'where',
  // Notes to authors ("why order matters"): free text, never shown to learners, not compared.
  'fixedOrder',
  'lengthReason',
]);
const NOTE_KEYS = new Set(['fixedOrder', 'lengthReason']);

/** What an id list is a list of, for messages ("missing question "x""). */
const KIND_OF_LIST: Record<string, string> = {
  clauses: 'clause',
  examples: 'example',
  questions: 'question',
  options: 'option',
  reasons: 'reason',
  segments: 'segment',
  nodes: 'tree node',
  steps: 'scenario step',
};

export interface Pair {
  source: YamlSource;
  translation: YamlSource;
}

/** Lets a partial translation leave out items of an id list (policy clauses no translated lesson cites). */
export type MayOmit = (path: DataPath, id: string) => boolean;

/** Reports every structural difference between a source YAML file and its translation. */
export function compareYaml(pair: Pair, issues: ContentIssue[], mayOmit: MayOmit = () => false): void {
  walk(pair, pair.source.data, pair.translation.data, [], { issues, mayOmit });
}

interface Walk {
  issues: ContentIssue[];
  mayOmit: MayOmit;
}

function walk(pair: Pair, source: unknown, translated: unknown, path: DataPath, w: Walk): void {
  const lists = Array.isArray(source) && Array.isArray(translated);
  if (lists && (source.some(isObject) || translated.some(isObject))) {
    walkArray(pair, source, translated, path, w);
  } else if (isObject(source) && isObject(translated)) {
    walkObject(pair, source, translated, path, w);
  } else if (!isDeepStrictEqual(source, translated)) {
    w.issues.push(
      pair.translation.issue(
        path,
        `is ${show(translated)} but the source has ${show(source)} (keep the source's value)`,
      ),
    );
  }
}

function walkObject(
  pair: Pair,
  source: Record<string, unknown>,
  translated: Record<string, unknown>,
  path: DataPath,
  w: Walk,
): void {
  for (const key of Object.keys(source)) {
    if (!(key in translated))
      w.issues.push(pair.translation.issue(path, `"${key}" is missing (the source has it)`));
  }
  for (const key of Object.keys(translated)) {
    if (!(key in source)) {
      w.issues.push(pair.translation.issue([...path, key], `"${key}" is extra (not in the source)`));
      continue;
    }
    const at = [...path, key];
    if (NOTE_KEYS.has(key)) continue;
    if (TEXT_KEYS.has(key) && isTextValue(source[key]))
      compareText(pair, source[key], translated[key], at, w);
    else walk(pair, source[key], translated[key], at, w);
  }
}

function walkArray(pair: Pair, source: unknown[], translated: unknown[], path: DataPath, w: Walk): void {
  const sourceIds = idsOf(source);
  const translatedIds = idsOf(translated);
  if (sourceIds && translatedIds) {
    walkIdList(pair, source, translated, path, w);
    return;
  }
  if (source.length !== translated.length) {
    w.issues.push(
      pair.translation.issue(path, `has ${translated.length} items but the source has ${source.length}`),
    );
  }
  const count = Math.min(source.length, translated.length);
  for (let i = 0; i < count; i++) walk(pair, source[i], translated[i], [...path, i], w);
}

/** Lists of items with ids (clauses, questions, options…) are matched by id and must keep the order. */
function walkIdList(pair: Pair, source: unknown[], translated: unknown[], path: DataPath, w: Walk): void {
  const kind = KIND_OF_LIST[String(path.at(-1))] ?? 'item';
  const byId = new Map(source.map((item) => [(item as { id: string }).id, item]));
  const translatedIds = new Set(translated.map((item) => (item as { id: string }).id));
  for (const id of byId.keys()) {
    if (!translatedIds.has(id) && !w.mayOmit(path, id)) {
      w.issues.push(pair.translation.issue(path, `${kind} "${id}" is missing (the source has it)`));
    }
  }
  const kept = [...byId.keys()].filter((id) => translatedIds.has(id));
  let order = 0;
  translated.forEach((item, index) => {
    const id = (item as { id: string }).id;
    const at = [...path, index];
    const original = byId.get(id);
    if (original === undefined) {
      w.issues.push(pair.translation.issue([...at, 'id'], `${kind} "${id}" is extra (not in the source)`));
      return;
    }
    if (kept[order++] !== id) {
      w.issues.push(pair.translation.issue([...at, 'id'], `${kind} "${id}" is out of the source's order`));
    }
    walk(pair, original, item, at, w);
  });
}

/** Translated text: anything but empty, with the same placeholders as the source text. */
function compareText(pair: Pair, source: unknown, translated: unknown, path: DataPath, w: Walk): void {
  if (Array.isArray(source)) {
    if (!Array.isArray(translated)) {
      w.issues.push(pair.translation.issue(path, 'must be a list, as in the source'));
      return;
    }
    if (source.length !== translated.length) {
      w.issues.push(
        pair.translation.issue(path, `has ${translated.length} items but the source has ${source.length}`),
      );
    }
    const count = Math.min(source.length, translated.length);
    for (let i = 0; i < count; i++) compareText(pair, source[i], translated[i], [...path, i], w);
    return;
  }
  if (typeof translated !== 'string' || translated.trim() === '') {
    w.issues.push(pair.translation.issue(path, 'must be translated text'));
    return;
  }
  const problem = placeholderDifference(String(source), translated);
  if (problem) w.issues.push(pair.translation.issue(path, problem));
}

/** Whether two texts use different placeholders; the message says which, or undefined when the same. */
export function placeholderDifference(source: string, translated: string): string | undefined {
  const names = (text: string) => [...new Set(placeholdersIn(text).map((p) => p.name))].sort();
  const want = names(source);
  const have = names(translated);
  const missing = want.filter((n) => !have.includes(n));
  const extra = have.filter((n) => !want.includes(n));
  if (missing.length === 0 && extra.length === 0) return undefined;
  const parts = [
    ...missing.map((n) => `{{${n}}} is missing`),
    ...extra.map((n) => `{{${n}}} is not in the source`),
  ];
  return `placeholders differ from the source: ${parts.join(', ')}`;
}

function idsOf(list: unknown[]): string[] | undefined {
  if (list.length === 0) return undefined;
  const ids = list.map((item) => (isObject(item) && typeof item.id === 'string' ? item.id : undefined));
  return ids.every((id) => id !== undefined) ? (ids as string[]) : undefined;
}

function isTextValue(value: unknown): boolean {
  return typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
