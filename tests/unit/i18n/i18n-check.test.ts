import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCatalogues, englishKeys } from '../../../src/i18n/check/catalogue-check.js';
import { checkCode } from '../../../src/i18n/check/english-in-code.js';
import { checkTemplate } from '../../../src/i18n/check/english-in-templates.js';
import { printI18nReport, runI18nCheck } from '../../../src/i18n/check/index.js';
import { checkKeyUsage } from '../../../src/i18n/check/key-usage.js';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/i18n');
const at = (...parts: string[]) => path.join(fixtures, ...parts);
const shown = (issues: { file: string; line: number; message: string }[]) =>
  issues.map((i) => `${path.relative(fixtures, i.file)}:${i.line}: ${i.message}`);

describe('the catalogue check', () => {
  it('passes complete, consistent catalogues (Arabic with its six plural forms)', () => {
    expect(checkCatalogues(at('complete'))).toEqual([]);
  });

  it('names each missing, extra, broken or inconsistent message with file:line', () => {
    expect(shown(checkCatalogues(at('broken')))).toEqual([
      'broken/es/common.json:2: "common.greeting" uses arguments {nombre}, English uses {name}',
      'broken/es/common.json:1: missing: "common.onlyEnglish" (en/common.json:4)',
      'broken/es/common.json:4: extra: "common.extra" is not in English',
      expect.stringMatching(/^broken\/de\/common\.json:3: "common\.items" is not valid ICU MessageFormat/),
      'broken/ar/common.json:1: missing: the "common" namespace is not translated into ar',
      'broken/ar/stray.json:1: extra: the "stray" namespace has no English catalogue',
    ]);
  });
});

describe('the key check', () => {
  it('finds every key literal the English catalogue lacks, in templates and code, not in comments', () => {
    const english = englishKeys(at('complete'));
    const issues = checkKeyUsage([at('keys/views/keys.eta'), at('keys/code.ts.txt')], english);
    expect(shown(issues)).toEqual([
      'keys/views/keys.eta:2: unknown message key "common.nowhere" (not in src/i18n/messages/en/)',
      'keys/code.ts.txt:1: unknown message key "errors.unknownKey" (not in src/i18n/messages/en/)',
      'keys/code.ts.txt:4: unknown message key "people.import.file.nowhere" (not in src/i18n/messages/en/)',
    ]);
  });
});

describe('English left in templates', () => {
  it('finds text nodes, visible attributes, button values and prose in template code', () => {
    expect(shown(checkTemplate(at('views/english-left.eta')))).toEqual([
      'views/english-left.eta:1: English in template code: "Team overview"',
      'views/english-left.eta:3: English text: "Training status of your team"',
      'views/english-left.eta:4: English in alt="Company logo"',
      'views/english-left.eta:5: English in placeholder="Search people"',
      'views/english-left.eta:6: English in value="Save changes"',
      'views/english-left.eta:8: English in aria-label="Close"',
      'views/english-left.eta:9: English in template code: "Completed"',
      'views/english-left.eta:9: English in template code: "Open"',
    ]);
  });

  it('leaves alone code, keys, URLs, classes, entities, numbers, abbreviations, comments and scripts', () => {
    expect(checkTemplate(at('views/clean.eta'))).toEqual([]);
    expect(checkTemplate(at('views/comment.eta'))).toEqual([]);
  });
});

describe('English left in code', () => {
  it('finds domain errors thrown with English and English titles, not keys, paths or ids', () => {
    expect(shown(checkCode(at('code/english-left.ts.txt')))).toEqual([
      'code/english-left.ts.txt:2: domain error with English, not a message key: "Enter the person’s name."',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the report quotes the code's template literal
      'code/english-left.ts.txt:3: domain error with English, not a message key: "There is no course called ${done}."',
      'code/english-left.ts.txt:6: English title: "My training"',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: as above
      'code/english-left.ts.txt:6: English heading: "Week of ${1}"',
      // An error class of the app's own (the CSV import's file checks were English so), not TypeError or Error.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: as above
      'code/english-left.ts.txt:11: domain error with English, not a message key: "The file is larger than ${5} MB."',
    ]);
  });
});

describe('the report', () => {
  it('fails on catalogue problems, and on English left only when told to', () => {
    const lines: string[] = [];
    const report = runI18nCheck({ root: fixtures, messagesDir: at('complete'), paths: ['views'] });
    expect(report.catalogue).toEqual([]);
    expect(report.english.length).toBeGreaterThan(0);
    expect(
      printI18nReport(report, (l) => lines.push(l), { detailed: false, englishFails: false, root: fixtures }),
    ).toBe(true);
    expect(lines).toContain(
      `! ${report.english.length} English strings left in templates and code (npx tsx src/cli.ts i18n:check lists them):`,
    );
    expect(printI18nReport(report, () => {}, { detailed: true, englishFails: true, root: fixtures })).toBe(
      false,
    );
    const broken = runI18nCheck({ root: fixtures, messagesDir: at('broken'), paths: ['views/clean.eta'] });
    expect(printI18nReport(broken, () => {}, { detailed: false, englishFails: false, root: fixtures })).toBe(
      false,
    );
  });
});

describe('the shipped product', () => {
  it('has complete catalogues and no person-visible English left in its templates and code', () => {
    const report = runI18nCheck();
    expect(report.english.map((i) => `${i.file}:${i.line}: ${i.message}`)).toEqual([]);
    expect(printI18nReport(report, () => {}, { detailed: false, englishFails: true })).toBe(true);
  });
});
