import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES, type Language } from '../domain/i18n/languages.js';

/**
 * The interface's message catalogues: src/i18n/messages/<lang>/<namespace>.json, each a flat object
 * of ICU MessageFormat strings. A message's key is "<namespace>.<key in the file>", so
 * messages/es/learn.json's "lesson.next" is `learn.lesson.next` in Spanish. One file per area keeps
 * translators (and parallel work) apart.
 */
export const messagesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'messages');

export type Catalogue = ReadonlyMap<string, string>;

export class CatalogueError extends Error {}

function readCatalogue(dir: string, lang: string): Map<string, string> {
  const messages = new Map<string, string>();
  const langDir = path.join(dir, lang);
  let files: string[];
  try {
    files = readdirSync(langDir).filter((f) => f.endsWith('.json'));
  } catch {
    return messages;
  }
  for (const file of files.sort()) {
    const namespace = file.slice(0, -'.json'.length);
    const where = path.join(langDir, file);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(where, 'utf8'));
    } catch (error) {
      throw new CatalogueError(`${where}: not valid JSON (${(error as Error).message})`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new CatalogueError(`${where}: must be an object of "key": "message" pairs`);
    for (const [key, message] of Object.entries(parsed)) {
      if (typeof message !== 'string') throw new CatalogueError(`${where}: "${key}" must be a string`);
      messages.set(`${namespace}.${key}`, message);
    }
  }
  return messages;
}

/** Every shipped language's catalogue, read once (synchronously, at start-up) from `dir`. */
export function readCatalogues(dir: string = messagesDir): Record<Language, Catalogue> {
  const catalogues = {} as Record<Language, Catalogue>;
  for (const lang of LANGUAGES) catalogues[lang] = readCatalogue(dir, lang);
  return catalogues;
}
