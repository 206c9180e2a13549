import MarkdownIt from 'markdown-it';
import { PLACEHOLDER_NAMES } from '../domain/org-profile.js';
import { type ContentIssue, type DataPath, formatPath } from './issues.js';
import { splitFrontMatter } from './markdown.js';
import type { YamlSource } from './yaml-source.js';

/**
 * The placeholder checks (issue 22). Course files speak through `{{org.name}}`, `{{contact.comms}}`…
 * (domain/placeholders.ts); the loader refuses, at the file and the exact line, a name that is not in
 * PLACEHOLDER_NAMES, a malformed one (`{{ org.name }`, `{{}}`), one in an id, and one where Markdown
 * would mangle it (inside a longer link target, a bare web address or an HTML tag), and "a"/"an"
 * directly before an `{{org.*}}` one (the article that fits depends on the name). The sites it
 * finds go to content:check, which checks that the demo organisation has a value for each name.
 */

/** One use of a well-formed placeholder: what content:check names when the demo profile lacks a value. */
export interface PlaceholderSite {
  name: string;
  file: string;
  line: number;
  field: string;
}

export interface PlaceholderScan {
  sites: PlaceholderSite[];
  issues: ContentIssue[];
}

/** `{{…}}` found in a text: `name` is null when it is malformed. */
interface Found {
  raw: string;
  index: number;
  name: string | null;
}

const NAME = /^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*$/;
const MALFORMED_SHOWN = 30;

/** Every `{{…}}` in a text, well-formed or not, and any stray `}}`. A placeholder never spans lines. */
function findAll(text: string): Found[] {
  const found: Found[] = [];
  let at = 0;
  for (;;) {
    const open = text.indexOf('{{', at);
    const stray = text.indexOf('}}', at);
    if (stray !== -1 && (open === -1 || stray < open)) {
      found.push({ raw: '}}', index: stray, name: null });
      at = stray + 2;
      continue;
    }
    if (open === -1) return found;
    const close = text.indexOf('}}', open + 2);
    const reopen = text.indexOf('{{', open + 2);
    const lineEnd = text.indexOf('\n', open);
    const closed = close !== -1 && (reopen === -1 || close < reopen) && (lineEnd === -1 || close < lineEnd);
    if (closed) {
      const raw = text.slice(open, close + 2);
      const inner = raw.slice(2, -2).trim();
      found.push({ raw, index: open, name: NAME.test(inner) ? inner : null });
      at = close + 2;
    } else {
      const ends = [reopen, lineEnd, text.length].filter((i) => i > open);
      const raw = text.slice(open, Math.min(...ends, open + MALFORMED_SHOWN)).trimEnd();
      found.push({ raw, index: open, name: null });
      at = open + 2;
    }
  }
}

const knownList = () => PLACEHOLDER_NAMES.join(', ');

function problemWith(found: Found, known: readonly string[]): string | null {
  if (found.name === null)
    return `malformed placeholder "${found.raw}": write {{name}}, for example {{org.name}}`;
  if (!known.includes(found.name)) return `unknown placeholder {{${found.name}}}; known: ${knownList()}`;
  return null;
}

/** "a" or "an" ending the text before a placeholder (a word of its own: not "Ana", not "data"). */
const ARTICLE_BEFORE = /(?:^|[^\p{L}\p{N}_])(an?)\s+$/iu;

/**
 * An article directly before an organisation value reads wrongly once filled ("a Atkins client
 * project", "a Ærø & Sons developer"): which article fits depends on the name. `before` is the text
 * up to the placeholder.
 */
function articleProblem(found: Found, before: string): string | null {
  if (!found.name?.startsWith('org.')) return null;
  const article = ARTICLE_BEFORE.exec(before.slice(-40))?.[1];
  if (!article) return null;
  return (
    `article "${article}" before {{${found.name}}}: it reads wrongly for some names once filled ` +
    '("a Atkins client project"); put the name after the noun, for example "a developer at {{org.name}}", ' +
    '"a client project for {{org.name}}"'
  );
}

/** Fields that hold ids or refer to them: never a placeholder (ids go into URLs, keys and records). */
const ID_FIELDS = new Set(['id', 'next', 'start', 'clauses', 'lessons', 'clause']);

function lastKey(path: DataPath): string | undefined {
  return [...path].reverse().find((segment): segment is string => typeof segment === 'string');
}

/**
 * Every string field of a parsed YAML file. Lines: the node's first line, then the raw text is read
 * forward to the line that holds the placeholder, so a use inside a folded paragraph is exact.
 */
export function scanYamlPlaceholders(
  source: YamlSource,
  text: string,
  known: readonly string[] = PLACEHOLDER_NAMES,
): PlaceholderScan {
  const scan: PlaceholderScan = { sites: [], issues: [] };
  const lines = text.split('\n');
  const visit = (value: unknown, path: (string | number)[]) => {
    if (typeof value === 'string') checkYamlString(value, path);
    else if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) visit(item, [...path, i]);
    } else if (value && typeof value === 'object')
      for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
  };
  const checkYamlString = (value: string, path: (string | number)[]) => {
    if (!value.includes('{{') && !value.includes('}}')) return;
    const field = formatPath(path);
    const nodeLine = source.lineOf(path);
    let cursor = { line: nodeLine, column: 0 };
    if (ID_FIELDS.has(lastKey(path) ?? '')) {
      scan.issues.push(source.issue(path, 'placeholders are not allowed in ids'));
      return;
    }
    for (const found of findAll(value)) {
      cursor = locate(lines, found.raw, cursor) ?? cursor;
      const line = cursor.line;
      const problem = problemWith(found, known) ?? articleProblem(found, value.slice(0, found.index));
      if (problem) scan.issues.push({ file: source.file, line, field, message: problem });
      else scan.sites.push({ name: found.name!, file: source.file, line, field });
    }
  };
  visit(source.data, []);
  return scan;
}

/** The first place at or after `from` (1-based line) where `needle` stands on one line. */
function locate(
  lines: readonly string[],
  needle: string,
  from: { line: number; column: number },
): { line: number; column: number } | undefined {
  const last = Math.min(lines.length, from.line + 400);
  for (let line = from.line; line <= last; line++) {
    const column = (lines[line - 1] ?? '').indexOf(needle, line === from.line ? from.column : 0);
    if (column !== -1) return { line, column: column + needle.length };
  }
  return undefined;
}

export interface PlaceholderCollector {
  /** Every well-formed, known placeholder found so far. */
  sites: PlaceholderSite[];
  yaml(source: YamlSource, text: string): void;
  lesson(file: string, text: string): void;
}

/** Scans each file the loader reads: problems go to `issues`, uses to `sites`. */
export function collectPlaceholders(issues: ContentIssue[]): PlaceholderCollector {
  const sites: PlaceholderSite[] = [];
  const add = (scan: PlaceholderScan) => {
    issues.push(...scan.issues);
    sites.push(...scan.sites);
  };
  return {
    sites,
    yaml: (source, text) => add(scanYamlPlaceholders(source, text)),
    lesson: (file, text) => add(scanLessonPlaceholders(file, text)),
  };
}

// ---------------------------------------------------------------------------------------------
// Lessons

/** Parses links exactly as the lesson renderer does (same linkify), to see what becomes an href. */
const links = new MarkdownIt({ html: true, linkify: true });
links.validateLink = () => true;

/** Names whose value is an address: the only placeholders a link target may be, whole (`[list]({{org.clientListUrl}})`). */
const ADDRESS_NAME = /^(?:org\.clientListUrl|contact\.[a-z]+)$/;

type MdToken = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

/**
 * A lesson file, line by line (front matter and body), then its links: markdown-it percent-encodes a
 * link target, so a placeholder may be a whole target only when its value is an address (the resolver
 * fills it as a web or mail link); inside a longer target, a bare web address or an HTML tag it would
 * never be filled, and is refused.
 */
export function scanLessonPlaceholders(
  file: string,
  text: string,
  known: readonly string[] = PLACEHOLDER_NAMES,
): PlaceholderScan {
  const scan: PlaceholderScan = { sites: [], issues: [] };
  const lines = text.split('\n');
  lines.forEach((lineText, i) => {
    for (const found of findAll(lineText)) {
      // The line before too: a paragraph may break between the article and the placeholder.
      const before = `${lines[i - 1] ?? ''}\n${lineText.slice(0, found.index)}`;
      const problem = problemWith(found, known) ?? articleProblem(found, before);
      if (problem) scan.issues.push({ file, line: i + 1, field: '', message: problem });
      else scan.sites.push({ name: found.name!, file, line: i + 1, field: '' });
    }
  });
  const split = splitFrontMatter(text);
  if (split && text.includes('{{')) {
    for (const { line, message } of linkProblems(links.parse(split.body, {}), lines, split.bodyFirstLine))
      scan.issues.push({ file, line, field: '', message });
  }
  return scan;
}

function linkProblems(
  tokens: readonly MdToken[],
  lines: readonly string[],
  bodyFirstLine: number,
): { line: number; message: string }[] {
  const problems: { line: number; message: string }[] = [];
  for (const block of tokens) {
    const firstLine = bodyFirstLine + (block.map?.[0] ?? 0);
    const lineOf = (needle: string) =>
      locate(lines, needle, { line: firstLine, column: 0 })?.line ?? firstLine;
    for (const token of [block, ...(block.children ?? [])]) {
      const problem = tokenProblem(token);
      if (problem) problems.push({ line: lineOf(problem.needle), message: problem.message });
    }
  }
  return problems;
}

function tokenProblem(token: MdToken): { needle: string; message: string } | undefined {
  if (token.type === 'html_inline' || token.type === 'html_block') {
    const tag = /<[^>]*\{\{[^>]*>/.exec(token.content);
    if (!tag) return undefined;
    const name = findAll(tag[0]).find((f) => f.name)?.name ?? '';
    return {
      needle: tag[0].slice(tag[0].indexOf('{{'), tag[0].indexOf('{{') + 2 + name.length),
      message: `placeholder {{${name}}} inside an HTML tag: placeholders are filled in text only, write it outside the tag`,
    };
  }
  const target = token.attrGet(token.type === 'image' ? 'src' : 'href');
  if (!target || (token.type !== 'link_open' && token.type !== 'image')) return undefined;
  const decoded = safeDecode(String(target));
  const inside = findAll(decoded).filter((f) => f.name);
  if (inside.length === 0) return undefined;
  const whole =
    inside.length === 1 && decoded.trim() === inside[0]!.raw && ADDRESS_NAME.test(inside[0]!.name!);
  if (whole) return undefined;
  const name = inside[0]!.name!;
  const how = token.markup === 'linkify' ? 'a web address that Markdown turns into a link' : 'a link target';
  return {
    needle: inside[0]!.raw,
    message:
      `placeholder {{${name}}} in ${how}: the target is percent-encoded and would never be filled. ` +
      'A link target may be exactly {{org.clientListUrl}} or {{contact.<kind>}}; put other placeholders in the link text',
  };
}

function safeDecode(uri: string): string {
  try {
    return decodeURI(uri);
  } catch {
    return uri;
  }
}

// ---------------------------------------------------------------------------------------------
// The demo organisation

/**
 * A used placeholder the demo profile leaves empty: reported once per name, at its first use, so
 * `seed:demo` always shows a course whose every placeholder reads as text.
 */
export function demoValueIssues(
  sites: readonly PlaceholderSite[],
  values: ReadonlyMap<string, string>,
): ContentIssue[] {
  const issues: ContentIssue[] = [];
  const seen = new Set<string>();
  for (const site of sites) {
    if (seen.has(site.name)) continue;
    seen.add(site.name);
    if ((values.get(site.name) ?? '').trim() !== '') continue;
    issues.push({
      file: site.file,
      line: site.line,
      field: site.field,
      message: `{{${site.name}}} has no value in the demo organisation profile (src/domain/demo-organisation.ts)`,
    });
  }
  return issues;
}
