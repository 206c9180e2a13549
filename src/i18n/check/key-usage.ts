import { readFileSync } from 'node:fs';
import { type I18nIssue, ignoredLines, lineAt, SHOWN_ERROR_CLASS } from './issue.js';

// `t('ns.key'`, `it.t("ns.key"`, `request.i18n!.t('ns.key'`, and a domain error thrown with a key:
// `new Invalid('quiz.errors.closed'` (or any error class a person reads, issue.ts). A key is dotted words without spaces.
const KEY_CALL = /(?<![\w$])t\(\s*(['"`])([A-Za-z][\w-]*(?:\.[\w-]+)+)\1/g;
const ERROR_KEY = new RegExp(
  String.raw`\bnew\s+${SHOWN_ERROR_CLASS}\(\s*(['"\x60])([a-z][\w-]*(?:\.[\w-]+)+)\1`,
  'g',
);

/** Whether the match is on a `//` or `*` comment line (an example in a comment is no use). */
function inComment(text: string, index: number): boolean {
  const lineStart = text.lastIndexOf('\n', index) + 1;
  return /^\s*(?:\/\/|\*|\/\*)/.test(text.slice(lineStart, index));
}

/** Every message key literal used in `files` that the English catalogue lacks. */
export function checkKeyUsage(files: readonly string[], english: ReadonlySet<string>): I18nIssue[] {
  const issues: I18nIssue[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const ignored = ignoredLines(text);
    for (const pattern of [KEY_CALL, ERROR_KEY]) {
      for (const match of text.matchAll(pattern)) {
        const key = match[2]!;
        const line = lineAt(text, match.index);
        if (english.has(key) || ignored.has(line) || inComment(text, match.index)) continue;
        issues.push({ file, line, message: `unknown message key "${key}" (not in src/i18n/messages/en/)` });
      }
    }
  }
  return issues;
}
