import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkCatalogues, englishKeys } from './catalogue-check.js';
import { checkCode } from './english-in-code.js';
import { checkTemplate } from './english-in-templates.js';
import { formatI18nIssue, type I18nIssue } from './issue.js';
import { checkKeyUsage } from './key-usage.js';
import { filesUnder } from './source-files.js';

export { formatI18nIssue, type I18nIssue } from './issue.js';

/** The repository's root (src/i18n/check → ../../..). */
export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Where person-visible English in code is looked for; SCIM's protocol errors stay English. */
const CODE_DIRS = ['src/routes', 'src/services', 'src/domain', 'src/mail'];
const NOT_PERSON_VISIBLE = [`${path.sep}scim${path.sep}`, `${path.sep}scim.`];

export interface I18nCheckOptions {
  root?: string;
  /** Where the catalogues are (default src/i18n/messages). */
  messagesDir?: string;
  /** Limit the English-left scan to these files or folders (default: views/ and the code folders). */
  paths?: readonly string[];
}

export interface I18nReport {
  /** Catalogue completeness and consistency (3) and unknown key literals (4): must be empty. */
  catalogue: I18nIssue[];
  keys: I18nIssue[];
  /** Person-visible English left in templates (1) and code (2). */
  english: I18nIssue[];
}

export function runI18nCheck(options: I18nCheckOptions = {}): I18nReport {
  const root = options.root ?? repositoryRoot;
  const messagesDir = options.messagesDir ?? path.join(root, 'src/i18n/messages');
  const catalogue = checkCatalogues(messagesDir);
  const checkDir = path.join(root, 'src/i18n/check');
  const used = filesUnder([path.join(root, 'views'), path.join(root, 'src')], ['.eta', '.ts']).filter(
    (f) => !f.startsWith(checkDir),
  );
  const keys = checkKeyUsage(used, englishKeys(messagesDir));
  const scanned = options.paths?.length
    ? filesUnder(
        options.paths.map((p) => path.resolve(root, p)),
        ['.eta', '.ts'],
      )
    : [
        ...filesUnder([path.join(root, 'views')], ['.eta']),
        ...filesUnder(
          CODE_DIRS.map((d) => path.join(root, d)),
          ['.ts'],
        ),
      ];
  const english: I18nIssue[] = [];
  for (const file of scanned) {
    if (file.endsWith('.eta')) english.push(...checkTemplate(file));
    else if (!NOT_PERSON_VISIBLE.some((part) => file.includes(part))) english.push(...checkCode(file));
  }
  return { catalogue, keys, english };
}

/** "views/hr/people" or "src/routes/hr": where a finding is, for the per-area counts. */
function areaOf(file: string, root: string): string {
  const parts = path.relative(root, path.dirname(file)).split(path.sep);
  return parts.slice(0, 3).join('/');
}

/** The English-left findings counted per area, most first. */
export function englishByArea(
  issues: readonly I18nIssue[],
  root: string = repositoryRoot,
): [string, number][] {
  const counts = new Map<string, number>();
  for (const issue of issues)
    counts.set(areaOf(issue.file, root), (counts.get(areaOf(issue.file, root)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/**
 * Prints the catalogue problems (which always fail) and either every English-left finding
 * (`detailed`) or a count per area. Returns true when nothing that must fail was found; English
 * left fails too when `englishFails`.
 */
export function printI18nReport(
  report: I18nReport,
  out: (line: string) => void,
  options: { detailed: boolean; englishFails: boolean; root?: string },
): boolean {
  const root = options.root ?? repositoryRoot;
  for (const issue of [...report.catalogue, ...report.keys]) out(formatI18nIssue(issue, root));
  const broken = report.catalogue.length + report.keys.length;
  out(
    broken === 0
      ? '✓ interface catalogues: complete in every language, valid ICU, every key used exists'
      : `✗ interface catalogues: ${broken} problem${broken === 1 ? '' : 's'}`,
  );
  if (options.detailed) for (const issue of report.english) out(formatI18nIssue(issue, root));
  if (report.english.length === 0) out('✓ no English left in templates and code');
  else {
    const mark = options.englishFails ? '✗' : '!';
    out(
      `${mark} ${report.english.length} English string${report.english.length === 1 ? '' : 's'} left in templates and code${options.detailed ? '' : ' (npx tsx src/cli.ts i18n:check lists them)'}:`,
    );
    for (const [area, count] of englishByArea(report.english, root))
      out(`    ${String(count).padStart(4)}  ${area}`);
  }
  return broken === 0 && (!options.englishFails || report.english.length === 0);
}
