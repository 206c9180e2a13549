import type { ChoiceOption, Question } from '../domain/course.js';
import type { ContentIssue, DataPath } from './issues.js';
import type { YamlSource } from './yaml-source.js';

/**
 * The bank linter (issue #19): patterns that let a learner who knows nothing score, found in the
 * question files before any learner does. Each finding names the file, line, rule and figure.
 * Clause coverage (≥ 3 judgement questions per clause) lives in coverage-check.ts with the other
 * per-clause counts; the guessing simulation in guessing-check.ts catches what no single rule can.
 */

/** One option may be at most this many times as long as the next longest, unless `lengthReason`. */
export const MAX_LENGTH_RATIO = 1.5;
/** Share of true/false questions keyed True. */
export const TRUE_SHARE = { min: 0.4, max: 0.6 } as const;
/** The key may be the longest single-choice option this much more often than chance. */
export const LONGEST_KEY_MARGIN = 0.1;
/** Word-trigram Jaccard similarity above which two stems are near-duplicates. */
export const MAX_STEM_SIMILARITY = 0.6;

const CATCH_ALL = /\b(all|none|both|neither) of the (above|options|answers)\b/i;

export function lintBank(questions: readonly Question[], source: YamlSource): ContentIssue[] {
  const issues: ContentIssue[] = [];
  questions.forEach((question, index) => {
    const path: DataPath = ['questions', index];
    const choices = choicesOf(question);
    if (!choices) return;
    reportCatchAllOptions(choices, source, path, issues);
    if (question.type !== 'truefalse' && !question.lengthReason) {
      reportLengthGiveaway(choices, source, path, issues);
    }
  });
  reportTrueFalseBalance(questions, source, issues);
  reportLongestKey(questions, source, issues);
  reportNearDuplicates(questions, source, issues);
  return issues;
}

interface Choices {
  field: 'options' | 'reasons';
  noun: 'option' | 'reason';
  list: readonly ChoiceOption[];
}

/** The choices whose wording an author writes freely; spot segments are sentences of one post. */
function choicesOf(question: Question): Choices | undefined {
  if (question.type === 'classify') return { field: 'reasons', noun: 'reason', list: question.reasons };
  if (question.type === 'spot') return undefined;
  return { field: 'options', noun: 'option', list: question.options };
}

function reportCatchAllOptions(
  choices: Choices,
  source: YamlSource,
  path: DataPath,
  issues: ContentIssue[],
): void {
  choices.list.forEach((choice, i) => {
    const phrase = CATCH_ALL.exec(choice.text)?.[0];
    if (!phrase) return;
    issues.push(
      source.issue(
        [...path, choices.field, i, 'text'],
        `${choices.noun} "${choice.id}" says "${phrase}" (rule: no catch-all options; ` +
          'they reward a guess and break once options are shuffled)',
      ),
    );
  });
}

const lengthOf = (text: string) => text.trim().length;

function reportLengthGiveaway(
  choices: Choices,
  source: YamlSource,
  path: DataPath,
  issues: ContentIssue[],
): void {
  if (choices.list.length < 2) return;
  const byLength = choices.list
    .map((choice, index) => ({ choice, index, length: lengthOf(choice.text) }))
    .sort((a, b) => b.length - a.length);
  const [longest, next] = [byLength[0]!, byLength[1]!];
  const ratio = longest.length / Math.max(1, next.length);
  if (ratio <= MAX_LENGTH_RATIO) return;
  issues.push(
    source.issue(
      [...path, choices.field, longest.index],
      `${choices.noun} "${longest.choice.id}" is ${round2(ratio)}× as long as the next longest ` +
        `(limit ${MAX_LENGTH_RATIO}×; shorten it, lengthen the others, or add lengthReason to explain)`,
    ),
  );
}

/**
 * True/false keys: 40–60 % keyed True. A small bank may be as balanced as its count allows (3
 * questions: 1 or 2 keyed True), since no count of 1 or 3 can be exactly in range.
 */
function reportTrueFalseBalance(questions: readonly Question[], source: YamlSource, issues: ContentIssue[]) {
  const tf = indexed(questions).filter(({ question }) => question.type === 'truefalse');
  if (tf.length === 0) return;
  const keyedTrue = tf.filter(({ question }) => keyOf(question)?.text.trim().toLowerCase() === 'true');
  const share = keyedTrue.length / tf.length;
  const inRange = share >= TRUE_SHARE.min - 1e-9 && share <= TRUE_SHARE.max + 1e-9;
  const closest = Math.abs(keyedTrue.length - tf.length / 2) < 1;
  if (inRange || closest) return;
  const majority = share > 0.5 ? keyedTrue : tf.filter((item) => !keyedTrue.includes(item));
  issues.push(
    source.issue(
      ['questions'],
      `true/false balance: ${keyedTrue.length} of ${tf.length} true/false questions are keyed True ` +
        `(${pct(share)}; rule: ${pct(TRUE_SHARE.min)}–${pct(TRUE_SHARE.max)}), so "always ` +
        `${share > 0.5 ? 'True' : 'False'}" pays; keyed ${share > 0.5 ? 'True' : 'False'} on lines ` +
        lines(majority, source),
    ),
  );
}

/** The correct single-choice option is the (strictly) longest no more often than chance + 10 points. */
function reportLongestKey(questions: readonly Question[], source: YamlSource, issues: ContentIssue[]) {
  const singles = indexed(questions).filter(({ question }) => question.type === 'single');
  if (singles.length === 0) return;
  const chance =
    singles.reduce((sum, { question }) => sum + 1 / choicesOf(question)!.list.length, 0) / singles.length;
  const longestKeyed = singles.filter(({ question }) => {
    const list = choicesOf(question)!.list;
    const key = keyOf(question);
    return key !== undefined && list.every((o) => o === key || lengthOf(o.text) < lengthOf(key.text));
  });
  const limit = chance + LONGEST_KEY_MARGIN;
  const allowed = Math.floor(singles.length * limit + 1e-9);
  if (longestKeyed.length <= allowed) return;
  issues.push(
    source.issue(
      ['questions'],
      `longest option is the key in ${longestKeyed.length} of ${singles.length} single-choice questions ` +
        `(${pct(longestKeyed.length / singles.length)}; rule: chance ${pct(chance)} + 10 points = ` +
        `${pct(limit)}, at most ${allowed}); on lines ${lines(longestKeyed, source)}`,
    ),
  );
}

/** Near-duplicate stems: the prompt, plus the post for classify and spot questions. */
function reportNearDuplicates(questions: readonly Question[], source: YamlSource, issues: ContentIssue[]) {
  const grams = questions.map((q) => trigrams(stemOf(q)));
  for (let j = 1; j < questions.length; j++) {
    for (let i = 0; i < j; i++) {
      const similarity = jaccard(grams[i]!, grams[j]!);
      if (similarity <= MAX_STEM_SIMILARITY) continue;
      issues.push(
        source.issue(
          ['questions', j, 'prompt'],
          `near-duplicate of questions[${i}] "${questions[i]!.id}" (line ${source.lineOf(['questions', i])}): ` +
            `word-trigram similarity ${round2(similarity)} (limit ${MAX_STEM_SIMILARITY})`,
        ),
      );
      break;
    }
  }
}

function stemOf(question: Question): string {
  return question.type === 'classify' || question.type === 'spot'
    ? `${question.prompt} ${question.post.text}`
    : question.prompt;
}

/** Word trigrams of a text; a text under three words is one "trigram" of all its words. */
export function trigrams(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  if (words.length < 3) return new Set(words.length > 0 ? [words.join(' ')] : []);
  const out = new Set<string>();
  for (let i = 0; i + 3 <= words.length; i++) out.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  return out;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared++;
  return shared / (a.size + b.size - shared);
}

function keyOf(question: Question): ChoiceOption | undefined {
  const choices = choicesOf(question);
  return choices?.list.find((o) => o.correct);
}

function indexed(questions: readonly Question[]) {
  return questions.map((question, index) => ({ question, index }));
}

function lines(items: ReadonlyArray<{ index: number }>, source: YamlSource): string {
  return items.map(({ index }) => source.lineOf(['questions', index])).join(', ');
}

function pct(share: number): string {
  return `${Math.round(share * 100)} %`;
}

function round2(value: number): string {
  // Rounded up, so a figure just over a limit never prints as the limit itself.
  return String(Math.ceil(value * 100) / 100);
}
