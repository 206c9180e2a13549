/**
 * Content problems are collected, never thrown one at a time: an author fixing a course wants the
 * whole list in one run, each pointing at a file, a line and a field.
 */

export interface ContentIssue {
  /** Path of the file, relative to the working directory when possible (clickable in terminals). */
  file: string;
  /** 1-based line; 0 when the issue concerns the whole file (e.g. the file is missing). */
  line: number;
  /** Dotted path inside the file, e.g. `examples[3].verdict`; '' for whole-file issues. */
  field: string;
  message: string;
}

export function formatIssue(issue: ContentIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}` : issue.file;
  return issue.field ? `${where} ${issue.field}: ${issue.message}` : `${where}: ${issue.message}`;
}

export function sortIssues(issues: readonly ContentIssue[]): ContentIssue[] {
  return [...issues].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** Thrown by the loader when anything in the content is wrong; `issues` lists every problem found. */
export class ContentError extends Error {
  readonly issues: readonly ContentIssue[];

  constructor(issues: readonly ContentIssue[]) {
    const sorted = sortIssues(issues);
    const plural = sorted.length === 1 ? '' : 's';
    super(
      `Invalid course content (${sorted.length} problem${plural}):\n${sorted.map(formatIssue).join('\n')}`,
    );
    this.name = 'ContentError';
    this.issues = sorted;
  }
}

/** A JSON-style path into a parsed file: keys and array indexes. */
export type DataPath = readonly (string | number)[];

/** `['examples', 3, 'verdict']` → `examples[3].verdict` */
export function formatPath(path: DataPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}
