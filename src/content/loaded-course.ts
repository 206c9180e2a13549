import type { Course } from '../domain/course.js';
import type { LessonText } from './coverage-check.js';
import type { PlaceholderSite } from './placeholder-check.js';
import type { YamlSource } from './yaml-source.js';

/**
 * A course together with the parsed files it came from, so checks that run after loading (the bank
 * linter, the coverage checks) can still point at a file and line.
 */
export interface CourseSources {
  policy: YamlSource;
  examples: YamlSource;
  tree: YamlSource;
  quiz: YamlSource;
  lessons: LessonText[];
}

export interface LoadedCourse {
  course: Course;
  sources: CourseSources;
  /** Every well-formed, known placeholder the files use, with where (content:check's demo-value check). */
  placeholders: PlaceholderSite[];
}

/** The lesson files' full texts (front matter included, so lines match the file). */
export function lessonTexts(
  texts: ReadonlyMap<string, string>,
  display: (relative: string) => string,
): LessonText[] {
  return [...texts]
    .filter(([relative]) => relative.startsWith('lessons/') && relative.endsWith('.md'))
    .map(([relative, text]) => ({ file: display(relative), text }));
}
