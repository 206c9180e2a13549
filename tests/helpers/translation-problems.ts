import { formatIssue } from '../../src/content/index.js';
import { sortIssues } from '../../src/content/issues.js';
import { readTranslations } from '../../src/content/translation/index.js';

/** A course's translation issues as content:check prints them, with the temp folder cut off (…/<fixture>/i18n/…). */
export async function translationProblems(dir: string): Promise<string[]> {
  const { issues } = await readTranslations(dir);
  return sortIssues(issues).map((i) => formatIssue(i).replace(/^.*?\/(?=[^/]+\/i18n\/)/, ''));
}
