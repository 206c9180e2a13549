import type { Lesson, LessonSection } from '../domain/course.js';
import type { ContentIssue } from './issues.js';
import type { LessonLabels } from './lesson-labels.js';
import { countWords, type RenderedSection, renderLessonSections, splitFrontMatter } from './markdown.js';
import { checkClauseRefs, type KnownClauses, reportDuplicateIds } from './rules.js';
import { checkSchema } from './schema-issues.js';
import { type LessonFrontMatter, LessonFrontMatterSchema } from './schemas.js';
import { parseYaml, type YamlSource } from './yaml-source.js';

/** Lesson files are `lessons/NN-<id>.md`; NN only keeps the folder readable, course.yaml sets the order. */
const LESSON_FILE = /^lessons\/\d{2,3}-([A-Za-z0-9][A-Za-z0-9_-]*)\.md$/;
const WORDS_PER_MINUTE = 200;

export interface LessonsInput {
  /** All course files (relative path → text). */
  texts: ReadonlyMap<string, string>;
  /** The `lessons` list from course.yaml, with its source for error locations. */
  listed: readonly string[];
  courseSource: YamlSource;
  known: KnownClauses;
  display: (relativePath: string) => string;
  /** The words we add around scenarios and notices, in the course's language (markdown.ts). */
  labels?: LessonLabels;
}

export function parseLessons(input: LessonsInput, issues: ContentIssue[]): Lesson[] {
  const { texts, listed, courseSource, known, display } = input;

  // Index lesson files by id.
  const fileById = new Map<string, string>();
  for (const relative of texts.keys()) {
    if (!relative.startsWith('lessons/')) continue;
    const id = LESSON_FILE.exec(relative)?.[1];
    const issueInFile = (message: string) =>
      issues.push({ file: display(relative), line: 1, field: '', message });
    if (!id) issueInFile('lesson files must be named lessons/NN-<lesson-id>.md');
    else if (fileById.has(id)) issueInFile(`another file (${fileById.get(id)}) already holds lesson "${id}"`);
    else fileById.set(id, relative);
  }

  reportDuplicateIds(listed, 'lesson', courseSource, (i) => ['lessons', i], issues);
  const listedIds = new Set(listed);
  for (const [id, relative] of fileById) {
    if (!listedIds.has(id)) {
      issues.push({
        file: display(relative),
        line: 1,
        field: '',
        message: `lesson "${id}" is not listed in course.yaml lessons`,
      });
    }
  }

  const lessons: Lesson[] = [];
  const seen = new Set<string>();
  listed.forEach((id, index) => {
    if (seen.has(id)) return;
    seen.add(id);
    const relative = fileById.get(id);
    if (!relative) {
      issues.push(courseSource.issue(['lessons', index], `no lesson file lessons/NN-${id}.md`));
      return;
    }
    const file = display(relative);
    const lesson = parseLessonFile(
      id,
      texts.get(relative) ?? '',
      { file, known, labels: input.labels },
      issues,
    );
    if (lesson) lessons.push(lesson);
  });
  return lessons;
}

function parseLessonFile(
  id: string,
  text: string,
  where: { file: string; known: KnownClauses; labels: LessonLabels | undefined },
  issues: ContentIssue[],
): Lesson | undefined {
  const { file, known } = where;
  const split = splitFrontMatter(text);
  if (!split) {
    issues.push({
      file,
      line: 1,
      field: '',
      message: 'missing front matter (a --- block with title, objectives, clauses)',
    });
    return undefined;
  }
  const source = parseYaml(split.frontMatter, file, issues, split.frontMatterFirstLine - 1);
  if (!source || !checkSchema(LessonFrontMatterSchema, source.data, source, [], issues)) return undefined;
  const front = source.data as LessonFrontMatter;
  checkClauseRefs(front.clauses, known, source, ['clauses'], issues);

  if (split.body.trim() === '') {
    issues.push({ file, line: 1, field: '', message: 'lesson has no content after the front matter' });
    return undefined;
  }
  const rendered = renderLessonSections(split.body, {
    file,
    firstLine: split.bodyFirstLine,
    lessonId: id,
    issues,
    labels: where.labels,
  });
  const sections = lessonSections(rendered, front.clauses, known, file, issues);
  return {
    id,
    title: front.title,
    objectives: front.objectives,
    clauses: front.clauses,
    html: sections.map((s) => s.html).join(''),
    sections,
    minutes: front.minutes ?? Math.max(1, Math.ceil(countWords(split.body) / WORDS_PER_MINUTE)),
  };
}

/**
 * The lesson's sections with their clauses: the heading's tag, else the lesson's own `clauses`.
 * A tag may name only clauses of policy.yaml that the lesson's front matter lists, at most once,
 * and at least one; every clause the front matter lists must be taught by some section.
 */
function lessonSections(
  rendered: readonly RenderedSection[],
  lessonClauses: readonly string[],
  known: KnownClauses,
  file: string,
  issues: ContentIssue[],
): LessonSection[] {
  const issue = (line: number, message: string) => issues.push({ file, line, field: '', message });
  const sections = rendered.map(({ id, heading, tag, line, html }) => {
    if (tag) checkTag(tag, lessonClauses, known, (message) => issue(line, message));
    const clauses = tag && tag.length > 0 ? [...new Set(tag)] : [...lessonClauses];
    return { id, heading, clauses, html };
  });
  const taught = new Set(sections.flatMap((s) => s.clauses));
  // An unknown clause in the front matter is reported once, by checkClauseRefs.
  const untaught = lessonClauses.filter((c) => !taught.has(c) && (!known || known.has(c)));
  if (untaught.length > 0) {
    const first = rendered.find((s) => s.tag)?.line ?? 1;
    issue(
      first,
      `the front matter lists ${untaught.map((c) => `"${c}"`).join(', ')} but no section teaches ` +
        "it: name it in a heading's {clauses: …} tag, leave a section untagged, or take it out of clauses",
    );
  }
  return sections;
}

function checkTag(
  tag: readonly string[],
  lessonClauses: readonly string[],
  known: KnownClauses,
  issue: (message: string) => void,
): void {
  if (tag.length === 0) issue('empty {clauses: } tag: name at least one clause, or drop the tag');
  const seen = new Set<string>();
  for (const clause of tag) {
    if (seen.has(clause)) issue(`the {clauses: …} tag names "${clause}" twice`);
    seen.add(clause);
    if (known && !known.has(clause))
      issue(`unknown clause "${clause}" in a {clauses: …} tag (not in policy.yaml)`);
    else if (!lessonClauses.includes(clause))
      issue(`clause "${clause}" in a {clauses: …} tag is not in this lesson's front matter clauses`);
  }
}
