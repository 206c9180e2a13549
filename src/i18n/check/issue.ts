import path from 'node:path';

/** One finding of the interface-language checks, printed as `file:line: message`. */
export interface I18nIssue {
  file: string;
  line: number;
  message: string;
}

export function formatI18nIssue(issue: I18nIssue, root: string): string {
  const shown = path.isAbsolute(issue.file) ? path.relative(root, issue.file) : issue.file;
  return `${shown}:${issue.line}: ${issue.message}`;
}

/**
 * The classes whose first argument a person reads: the domain's errors (src/domain/errors.ts) and
 * any error class of the app's own (`CsvFormatError`: the CSV import's file checks). JavaScript's
 * own (`TypeError`…) and a plain `Error` are internal faults, never shown.
 */
export const SHOWN_ERROR_CLASS = String.raw`(?:NotFound|Conflict|Invalid|Forbidden|TooManyAttempts|DomainError|(?!(?:Type|Range|Syntax|Reference|Eval|URI|Aggregate)Error\b)[A-Z]\w*Error)`;

/** The 1-based line of character `index` in `text`. */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Lines a person marked as deliberately not translated: a line holding `i18n-ignore` (in a comment)
 * exempts itself and the line after it.
 */
export function ignoredLines(text: string): Set<number> {
  const ignored = new Set<number>();
  text.split('\n').forEach((content, i) => {
    if (content.includes('i18n-ignore')) {
      ignored.add(i + 1);
      ignored.add(i + 2);
    }
  });
  return ignored;
}

/** Shortens a found text for the report. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}…` : flat;
}
