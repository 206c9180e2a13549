import { readFileSync } from 'node:fs';
import { isKeyLike, isProseLiteral, isVisibleEnglish } from './english-text.js';
import { excerpt, type I18nIssue, ignoredLines, lineAt, SHOWN_ERROR_CLASS } from './issue.js';

/** A quoted or back-quoted literal whose quote is capture group `n` and text group `n + 1`. */
const literal = (n: number) => `(['"\x60])((?:\\\\.|(?!\\${n})[^\\\\])*)\\${n}`;

// A domain error, or another error a person reads (issue.ts), thrown with English instead of a key.
const ERROR_WITH_TEXT = new RegExp(String.raw`\bnew\s+${SHOWN_ERROR_CLASS}\(\s*${literal(1)}`, 'g');

// A property that ends up on a page, in a notice or an e-mail: `title: 'My training'`.
const VISIBLE_PROPERTY = new RegExp(
  String.raw`\b(title|pageTitle|heading|label|hint|notice|flash|summary|legend|caption|subject|placeholder|emptyText|buttonText|submitLabel|message|text|intro|help)\??\s*:\s*${literal(2)}`,
  'g',
);

/**
 * Person-visible English in route, service, domain and mail code: domain errors thrown with an
 * English sentence instead of a catalogue key, and page titles, labels, notices and the like given
 * as English literals. Log messages, audit action ids and SCIM protocol errors are not looked at.
 */
export function checkCode(file: string): I18nIssue[] {
  const source = readFileSync(file, 'utf8');
  const ignored = ignoredLines(source);
  const issues: I18nIssue[] = [];
  for (const m of source.matchAll(ERROR_WITH_TEXT)) {
    const text = m[2]!;
    if (isKeyLike(text) || !isVisibleEnglish(text.replace(/\$\{[^}]*\}/g, ' '))) continue;
    issues.push({
      file,
      line: lineAt(source, m.index),
      message: `domain error with English, not a message key: "${excerpt(text)}"`,
    });
  }
  for (const m of source.matchAll(VISIBLE_PROPERTY)) {
    const text = m[3]!;
    if (!isProseLiteral(text)) continue;
    issues.push({ file, line: lineAt(source, m.index), message: `English ${m[1]}: "${excerpt(text)}"` });
  }
  return issues.filter((i) => !ignored.has(i.line)).sort((a, b) => a.line - b.line);
}
