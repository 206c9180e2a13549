import { readFileSync } from 'node:fs';
import { isProseLiteral, isVisibleEnglish } from './english-text.js';
import { excerpt, type I18nIssue, ignoredLines, lineAt } from './issue.js';

/** Attributes a person reads or hears (screen readers) on any element. */
const VISIBLE_ATTRIBUTES = new Set([
  'title',
  'aria-label',
  'aria-description',
  'aria-roledescription',
  'placeholder',
  'alt',
  'label',
]);
/** `value` is visible on these input types only. */
const BUTTON_TYPES = new Set(['submit', 'button', 'reset']);

/** `text` with the ranges matched by `pattern` blanked out (newlines kept, so lines and offsets hold). */
function blank(text: string, pattern: RegExp): string {
  return text.replace(pattern, (m) => m.replace(/[^\n]/g, ' '));
}

// A string literal in template code, unless it is the key of t(…) or the name of an included template.
const CODE_LITERAL = /(t\(\s*|include(?:Async)?\(\s*|layout\(\s*)?(['"`])((?:\\.|(?!\2)[^\\])*)\2/g;

function codeIssues(file: string, source: string): I18nIssue[] {
  const issues: I18nIssue[] = [];
  for (const code of source.matchAll(/<%[\s\S]*?%>/g)) {
    // A comment's words ("the item's id") are for the next developer, not the page.
    const withoutComments = blank(code[0], /\/\*[\s\S]*?\*\//g);
    for (const lit of withoutComments.matchAll(CODE_LITERAL)) {
      if (lit[1] || !isProseLiteral(lit[3]!)) continue;
      const at = code.index + lit.index;
      issues.push({
        file,
        line: lineAt(source, at),
        message: `English in template code: "${excerpt(lit[3]!)}"`,
      });
    }
  }
  return issues;
}

function tagIssues(file: string, source: string, tag: string, at: number): I18nIssue[] {
  const name = /^<\s*([\w-]+)/.exec(tag)?.[1]?.toLowerCase();
  if (!name) return [];
  const attributes = new Map<string, string>();
  for (const a of tag.matchAll(/([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
    attributes.set(a[1]!.toLowerCase(), a[2] ?? a[3] ?? '');
  const issues: I18nIssue[] = [];
  for (const [attribute, value] of attributes) {
    const visible =
      VISIBLE_ATTRIBUTES.has(attribute) ||
      (attribute === 'value' && name === 'input' && BUTTON_TYPES.has(attributes.get('type') ?? ''));
    if (visible && isVisibleEnglish(value))
      issues.push({
        file,
        line: lineAt(source, at + tag.indexOf(value)),
        message: `English in ${attribute}="${excerpt(value)}"`,
      });
  }
  return issues;
}

/**
 * Person-visible English left in an Eta template: text nodes and visible attributes outside
 * `<% %>`, and prose string literals inside it (a label passed to a partial, a ternary's words).
 */
export function checkTemplate(file: string): I18nIssue[] {
  const source = readFileSync(file, 'utf8');
  let markup = blank(source, /<%[\s\S]*?%>/g);
  markup = blank(markup, /<!--[\s\S]*?-->/g);
  markup = markup.replace(
    /(<(script|style)\b[^>]*>)([\s\S]*?)(<\/\2>)/gi,
    (_m, open, _n, body, close) => open + body.replace(/[^\n]/g, ' ') + close,
  );
  const issues = codeIssues(file, source);
  let last = 0;
  for (const tag of markup.matchAll(/<[^>]*>/g)) {
    issues.push(...textIssues(file, source, markup.slice(last, tag.index), last));
    issues.push(...tagIssues(file, source, tag[0], tag.index));
    last = tag.index + tag[0].length;
  }
  issues.push(...textIssues(file, source, markup.slice(last), last));
  const ignored = ignoredLines(source);
  return issues.filter((i) => !ignored.has(i.line)).sort((a, b) => a.line - b.line);
}

function textIssues(file: string, source: string, text: string, at: number): I18nIssue[] {
  if (!isVisibleEnglish(text)) return [];
  const start = text.search(/\S/);
  return [{ file, line: lineAt(source, at + start), message: `English text: "${excerpt(text)}"` }];
}
