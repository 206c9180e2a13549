import type { ContentIssue } from '../issues.js';
import { splitFrontMatter } from '../markdown.js';
import { parseYaml } from '../yaml-source.js';
import { compareYaml, placeholderDifference } from './structure.js';

/**
 * A translated lesson keeps the source's skeleton: front matter keys and values other than text, the
 * same headings in the same order with the same `{clauses: …}` tags, the same `::: notice` blocks and
 * fenced blocks (a scenario's YAML compared like a course file), and in each section the same
 * placeholders. Prose is free.
 */
export interface LessonPair {
  sourceFile: string;
  sourceText: string;
  file: string;
  text: string;
}

interface Mark {
  line: number;
  /** What must be identical: a heading's level and tag, a `:::` line, a fence line. */
  shape: string;
  kind: 'heading' | 'block' | 'fence';
}

export function compareLesson(pair: LessonPair, issues: ContentIssue[]): void {
  const source = splitFrontMatter(pair.sourceText);
  const translated = splitFrontMatter(pair.text);
  if (!source) return; // the source's own check reports it
  if (!translated) {
    issues.push({ file: pair.file, line: 1, field: '', message: 'front matter (--- … ---) is missing' });
    return;
  }
  const sink: ContentIssue[] = [];
  const sourceFront = parseYaml(source.frontMatter, pair.sourceFile, sink, 1);
  const front = parseYaml(translated.frontMatter, pair.file, issues, 1);
  if (sourceFront && front) compareYaml({ source: sourceFront, translation: front }, issues);

  const sourceSide = sideOf(pair.sourceText, source.bodyFirstLine);
  const translatedSide = sideOf(pair.text, translated.bodyFirstLine);
  compareMarks(pair, sourceSide.marks, translatedSide.marks, issues);
  compareScenarios(pair, sourceSide, translatedSide, issues);
  compareSectionPlaceholders(pair, sourceSide, translatedSide, issues);
}

/** One side of the comparison: the file's lines, where its body starts and its marks. */
interface Side {
  lines: string[];
  bodyFirstLine: number;
  marks: Mark[];
}

function sideOf(text: string, bodyFirstLine: number): Side {
  const lines = text.split('\n');
  return { lines, bodyFirstLine, marks: marksOf(lines, bodyFirstLine) };
}

const marksOfKind = (side: Side, kind: Mark['kind']) => side.marks.filter((m) => m.kind === kind);

function marksOf(lines: string[], firstBodyLine: number): Mark[] {
  const marks: Mark[] = [];
  let inFence = false;
  for (let i = firstBodyLine - 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*```/.test(line)) {
      marks.push({ line: i + 1, shape: line.trim(), kind: 'fence' });
      inFence = !inFence;
    } else if (inFence) {
    } else if (/^#{1,6}\s/.test(line)) {
      const level = /^#+/.exec(line)![0];
      const tag = /\{[^}]*\}\s*$/.exec(line)?.[0] ?? '';
      marks.push({ line: i + 1, shape: `${level} ${tag.replace(/\s+/g, ' ')}`.trim(), kind: 'heading' });
    } else if (/^:::/.test(line)) {
      marks.push({ line: i + 1, shape: line.trim(), kind: 'block' });
    }
  }
  return marks;
}

function describe(mark: Mark): string {
  if (mark.kind !== 'heading') return `"${mark.shape}"`;
  const [level, ...tag] = mark.shape.split(' ');
  const heading = `a level-${level!.length} heading`;
  return tag.length > 0 ? `${heading} with ${tag.join(' ')}` : `${heading} without a clause tag`;
}

function compareMarks(pair: LessonPair, source: Mark[], translated: Mark[], issues: ContentIssue[]): void {
  const count = Math.min(source.length, translated.length);
  for (let i = 0; i < count; i++) {
    const want = source[i]!;
    const have = translated[i]!;
    if (want.shape !== have.shape) {
      issues.push({
        file: pair.file,
        line: have.line,
        field: '',
        message: `is ${describe(have)} but the source has ${describe(want)} here (${pair.sourceFile}:${want.line})`,
      });
      return; // everything after is shifted: one message, not a cascade
    }
  }
  if (source.length > translated.length) {
    const want = source[count]!;
    issues.push({
      file: pair.file,
      line: translated.at(-1)?.line ?? 1,
      field: '',
      message: `${describe(want)} is missing after this line (${pair.sourceFile}:${want.line})`,
    });
  } else if (translated.length > source.length) {
    const have = translated[count]!;
    issues.push({
      file: pair.file,
      line: have.line,
      field: '',
      message: `${describe(have)} is extra (not in the source)`,
    });
  }
}

/** Fenced blocks with YAML inside (```scenario): ids, outcomes and links identical, text translated. */
function compareScenarios(pair: LessonPair, source: Side, translated: Side, issues: ContentIssue[]): void {
  const sourceFences = marksOfKind(source, 'fence');
  const translatedFences = marksOfKind(translated, 'fence');
  const body = (all: string[], from: Mark, to: Mark) => all.slice(from.line, to.line - 1).join('\n');
  for (let i = 0; i + 1 < Math.min(sourceFences.length, translatedFences.length); i += 2) {
    const open = translatedFences[i]!;
    if (open.shape !== sourceFences[i]!.shape || open.shape === '```') continue;
    const sink: ContentIssue[] = [];
    const sourceYaml = parseYaml(
      body(source.lines, sourceFences[i]!, sourceFences[i + 1]!),
      pair.sourceFile,
      sink,
    );
    const translatedYaml = parseYaml(
      body(translated.lines, open, translatedFences[i + 1]!),
      pair.file,
      issues,
      open.line,
    );
    if (sourceYaml && translatedYaml)
      compareYaml({ source: sourceYaml, translation: translatedYaml }, issues);
  }
}

/**
 * The lesson's sections: the text before the first heading (section 0, from the body's first line),
 * then each heading and what follows, up to the next.
 */
function sectionsOf(side: Side): { line: number; text: string }[] {
  const headings = marksOfKind(side, 'heading');
  const starts = [side.bodyFirstLine, ...headings.map((h) => h.line)];
  return starts.map((line, i) => ({
    line,
    text: side.lines.slice(line - 1, (starts[i + 1] ?? side.lines.length + 1) - 1).join('\n'),
  }));
}

/** Each section (the intro, then the text between headings) uses the same placeholders as the source's. */
function compareSectionPlaceholders(
  pair: LessonPair,
  source: Side,
  translated: Side,
  issues: ContentIssue[],
): void {
  const sourceSections = sectionsOf(source);
  const translatedSections = sectionsOf(translated);
  if (sourceSections.length !== translatedSections.length) return; // already reported
  translatedSections.forEach((section, i) => {
    const problem = placeholderDifference(sourceSections[i]!.text, section.text);
    if (problem)
      issues.push({ file: pair.file, line: section.line, field: '', message: `this section's ${problem}` });
  });
}
