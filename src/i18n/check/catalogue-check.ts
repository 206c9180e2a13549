import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type MessageFormatElement, parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { LANGUAGES, SOURCE_LANGUAGE } from '../../domain/i18n/languages.js';
import type { I18nIssue } from './issue.js';

interface CatalogueFile {
  file: string;
  text: string;
  messages: Record<string, unknown>;
}

type LangFiles = Map<string, CatalogueFile>;

function readLanguage(dir: string, lang: string, issues: I18nIssue[]): LangFiles {
  const files: LangFiles = new Map();
  const langDir = path.join(dir, lang);
  let names: string[] = [];
  try {
    names = readdirSync(langDir).filter((f) => f.endsWith('.json'));
  } catch {
    issues.push({ file: langDir, line: 1, message: `no catalogue folder for "${lang}"` });
  }
  for (const name of names.sort()) {
    const file = path.join(langDir, name);
    const text = readFileSync(file, 'utf8');
    try {
      const parsed: unknown = JSON.parse(text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      files.set(name.slice(0, -'.json'.length), { file, text, messages: parsed as Record<string, unknown> });
    } catch (error) {
      issues.push({
        file,
        line: 1,
        message: `not a flat JSON object of messages (${(error as Error).message})`,
      });
    }
  }
  return files;
}

/** The line of `"key":` in the catalogue file (1 when not found). */
function keyLine(file: CatalogueFile, key: string): number {
  const needle = `${JSON.stringify(key)}`;
  const lines = file.text.split('\n');
  const i = lines.findIndex((l) => l.trimStart().startsWith(needle));
  return i < 0 ? 1 : i + 1;
}

/** Every argument name a message uses ("count", "due"), with its type where it has one. */
function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const el of elements) {
    if (el.type === TYPE.literal || el.type === TYPE.pound) continue;
    if (el.type === TYPE.tag) {
      argumentsOf(el.children, into);
      continue;
    }
    into.add(el.value);
    if (el.type === TYPE.plural || el.type === TYPE.select)
      for (const option of Object.values(el.options)) argumentsOf(option.value, into);
  }
  return into;
}

function parsed(message: string): MessageFormatElement[] | Error {
  try {
    return parse(message, { ignoreTag: true });
  } catch (error) {
    return error as Error;
  }
}

const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));
const listed = (s: Set<string>) => (s.size === 0 ? 'none' : [...s].sort().join(', '));

/** Checks one message: a string, valid ICU; returns its arguments (undefined when broken). */
function checkMessage(cat: CatalogueFile, ns: string, key: string, issues: I18nIssue[]) {
  const message = cat.messages[key];
  const line = keyLine(cat, key);
  if (typeof message !== 'string') {
    issues.push({ file: cat.file, line, message: `"${ns}.${key}" must be a string` });
    return undefined;
  }
  const ast = parsed(message);
  if (ast instanceof Error) {
    issues.push({
      file: cat.file,
      line,
      message: `"${ns}.${key}" is not valid ICU MessageFormat (${ast.message})`,
    });
    return undefined;
  }
  return argumentsOf(ast);
}

/**
 * The interface catalogues (src/i18n/messages/<lang>/<namespace>.json) are complete and agree:
 * every English key in every shipped language with the same ICU argument names, every message
 * valid ICU, no key or namespace English does not have.
 */
export function checkCatalogues(dir: string): I18nIssue[] {
  const issues: I18nIssue[] = [];
  const source = readLanguage(dir, SOURCE_LANGUAGE, issues);
  const sourceArgs = new Map<string, Set<string> | undefined>();
  for (const [ns, cat] of source)
    for (const key of Object.keys(cat.messages))
      sourceArgs.set(`${ns}.${key}`, checkMessage(cat, ns, key, issues));
  for (const lang of LANGUAGES) {
    if (lang === SOURCE_LANGUAGE) continue;
    const files = readLanguage(dir, lang, issues);
    for (const [ns, enCat] of source) {
      const cat = files.get(ns);
      if (!cat) {
        issues.push({
          file: path.join(dir, lang, `${ns}.json`),
          line: 1,
          message: `missing: the "${ns}" namespace is not translated into ${lang}`,
        });
        continue;
      }
      for (const key of Object.keys(enCat.messages)) {
        if (!(key in cat.messages)) {
          issues.push({
            file: cat.file,
            line: 1,
            message: `missing: "${ns}.${key}" (${enCat.file.split(path.sep).slice(-2).join('/')}:${keyLine(enCat, key)})`,
          });
          continue;
        }
        const args = checkMessage(cat, ns, key, issues);
        const expected = sourceArgs.get(`${ns}.${key}`);
        if (args && expected && !sameSet(args, expected))
          issues.push({
            file: cat.file,
            line: keyLine(cat, key),
            message: `"${ns}.${key}" uses arguments {${listed(args)}}, English uses {${listed(expected)}}`,
          });
      }
      for (const key of Object.keys(cat.messages))
        if (!(key in enCat.messages))
          issues.push({
            file: cat.file,
            line: keyLine(cat, key),
            message: `extra: "${ns}.${key}" is not in English`,
          });
    }
    for (const [ns, cat] of files)
      if (!source.has(ns))
        issues.push({
          file: cat.file,
          line: 1,
          message: `extra: the "${ns}" namespace has no English catalogue`,
        });
  }
  return issues;
}

/** Every key of the English catalogue ("learn.lesson.next"). */
export function englishKeys(dir: string): Set<string> {
  const keys = new Set<string>();
  for (const [ns, cat] of readLanguage(dir, SOURCE_LANGUAGE, []))
    for (const key of Object.keys(cat.messages)) keys.add(`${ns}.${key}`);
  return keys;
}
