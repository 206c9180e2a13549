import type { Lesson } from '../domain/course.js';
import type { ContentIssue } from './issues.js';
import { countWords, renderLessonMarkdown, splitFrontMatter } from './markdown.js';
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
    const lesson = parseLessonFile(id, texts.get(relative) ?? '', display(relative), known, issues);
    if (lesson) lessons.push(lesson);
  });
  return lessons;
}

function parseLessonFile(
  id: string,
  text: string,
  file: string,
  known: KnownClauses,
  issues: ContentIssue[],
): Lesson | undefined {
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
  const html = renderLessonMarkdown(split.body, {
    file,
    firstLine: split.bodyFirstLine,
    lessonId: id,
    issues,
  });
  return {
    id,
    title: front.title,
    objectives: front.objectives,
    clauses: front.clauses,
    html,
    // One section until lessons are cut at their headings (issue #23, content/lesson-sections.ts).
    sections: [{ id: '', heading: '', clauses: front.clauses, html }],
    minutes: front.minutes ?? Math.max(1, Math.ceil(countWords(split.body) / WORDS_PER_MINUTE)),
  };
}
