import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Type } from 'typebox';
import type { Course } from '../../domain/course.js';
import {
  type BrokenTranslation,
  type CourseTranslation,
  TRANSLATION_STATUSES,
  type TranslationStatus,
} from '../../domain/course-translation.js';
import { isLanguage, LANGUAGES, type Language, SOURCE_LANGUAGE } from '../../domain/i18n/languages.js';
import { type CourseFiles, readCourseFiles, TRANSLATIONS_FOLDER } from '../course-files.js';
import { type ContentIssue, type DataPath, formatIssue, sortIssues } from '../issues.js';
import { lessonLabels } from '../lesson-labels.js';
import { buildCourse, displayIn } from '../load-course.js';
import { checkSchema } from '../schema-issues.js';
import { parseYaml } from '../yaml-source.js';
import { compareLesson } from './lesson-structure.js';
import { checkStandIns, type StandInsFile, StandInsSchema, standInsOf } from './stand-ins.js';
import { compareYaml, type MayOmit } from './structure.js';

/** The translation's own description: language, status and the source version it was made from. */
export const TRANSLATION_FILE = 'translation.yaml';
const YAML_FILES = ['course.yaml', 'policy.yaml', 'examples.yaml', 'decision-tree.yaml', 'quiz.yaml'];
/** What a partial translation must hold besides its lessons; the rest may follow later. */
const PARTIAL_REQUIRED = ['course.yaml', 'policy.yaml'];
/** Notes for people, in the source language only. */
const SOURCE_ONLY = new Set(['CHANGES.md', 'README.md']);

const TranslationFileSchema = Type.Object(
  {
    language: Type.Enum([...LANGUAGES]),
    status: Type.Enum([...TRANSLATION_STATUSES]),
    translatedFrom: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    lessons: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
    /** What each placeholder says in this language while the profile has no value for it. */
    placeholders: Type.Optional(StandInsSchema),
  },
  { additionalProperties: false },
);
interface TranslationFile {
  language: Language;
  status: TranslationStatus;
  translatedFrom: string;
  lessons?: string[];
  placeholders?: StandInsFile;
}

export interface TranslationsRead {
  /** The translations that pass the check: the ones that may be served. */
  translations: CourseTranslation[];
  /** The language folders that fail it, each with its own problems (kept for HR, never served). */
  broken: BrokenTranslation[];
  issues: ContentIssue[];
}

/**
 * Reads and checks every translation of one course folder (`<dir>/i18n/<lang>/`) against the source
 * files: the same structure, ids, answers and placeholders (file:line for each difference). The
 * source's quality checks (option lengths, guessing) are not run on translations: they judge the
 * questions, which the source already passed. A complete translation is also built into a Course.
 */
export async function readTranslations(dir: string, source?: CourseFiles): Promise<TranslationsRead> {
  const absoluteDir = path.resolve(dir);
  const root = path.join(absoluteDir, TRANSLATIONS_FOLDER);
  const folders = await readdir(root, { withFileTypes: true }).then(
    (entries) =>
      entries
        .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
        .map((e) => e.name)
        .sort(),
    () => [] as string[],
  );
  if (folders.length === 0) return { translations: [], broken: [], issues: [] };
  const sourceFiles = source ?? (await readCourseFiles(absoluteDir));
  const translations: CourseTranslation[] = [];
  const broken: BrokenTranslation[] = [];
  const issues: ContentIssue[] = [];
  for (const folder of folders) {
    const before = issues.length;
    const translation = await readTranslation(absoluteDir, folder, sourceFiles, issues);
    if (translation) translations.push(translation);
    else if (isLanguage(folder) && folder !== SOURCE_LANGUAGE && issues.length > before)
      broken.push({ language: folder, problems: sortIssues(issues.slice(before)).map(formatIssue) });
  }
  return { translations, broken, issues };
}

async function readTranslation(
  courseDir: string,
  folder: string,
  source: CourseFiles,
  issues: ContentIssue[],
): Promise<CourseTranslation | undefined> {
  const relativeDir = `${TRANSLATIONS_FOLDER}/${folder}`;
  const display = displayIn(path.join(courseDir, relativeDir));
  const displaySource = displayIn(courseDir);
  if (!isLanguage(folder) || folder === SOURCE_LANGUAGE) {
    const message = `not a language to translate into (one of ${LANGUAGES.filter((l) => l !== SOURCE_LANGUAGE).join(', ')})`;
    issues.push({ file: displaySource(relativeDir), line: 0, field: '', message });
    return undefined;
  }
  const files = await readCourseFiles(path.join(courseDir, relativeDir));
  const before = issues.length;
  const meta = readMeta(files, folder, display, issues);
  if (!meta) return undefined;
  const lessons =
    meta.status === 'complete'
      ? lessonFilesOf(source.texts)
      : partialLessonFiles(meta, source, display, issues);
  const expected = new Set([
    ...(meta.status === 'complete' ? YAML_FILES : PARTIAL_REQUIRED),
    ...lessons.values(),
  ]);
  const optional = meta.status === 'partial' ? new Set(YAML_FILES) : new Set<string>();
  for (const relative of expected) {
    if (!files.texts.has(relative))
      issues.push({
        file: display(relative),
        line: 0,
        field: '',
        message: 'file is missing (the source has it)',
      });
  }
  for (const relative of files.texts.keys()) {
    if (relative === TRANSLATION_FILE || expected.has(relative) || optional.has(relative)) continue;
    const why = SOURCE_ONLY.has(relative)
      ? 'notes for people stay in the source language only'
      : 'not in the source';
    issues.push({ file: display(relative), line: 0, field: '', message: `file is extra (${why})` });
  }
  const mayOmit = meta.status === 'partial' ? omittableClauses(citedClauses(source, lessons)) : undefined;
  compareFiles(files, source, { display, displaySource, issues, mayOmit });
  if (issues.length > before) return undefined;
  const translation: CourseTranslation = {
    language: folder,
    status: meta.status,
    translatedFrom: meta.translatedFrom,
    lessons: [...lessons.keys()],
    standIns: standInsOf(meta.placeholders),
  };
  if (meta.status === 'complete') {
    const course = buildTranslatedCourse(files, source, path.basename(courseDir), display, issues);
    if (!course) return undefined;
    translation.course = course;
  }
  return translation;
}

function readMeta(
  files: CourseFiles,
  folder: string,
  display: (relative: string) => string,
  issues: ContentIssue[],
): TranslationFile | undefined {
  const text = files.texts.get(TRANSLATION_FILE);
  if (text === undefined) {
    issues.push({
      file: display(TRANSLATION_FILE),
      line: 0,
      field: '',
      message: 'file is missing (language, status, translatedFrom)',
    });
    return undefined;
  }
  const yaml = parseYaml(text, display(TRANSLATION_FILE), issues);
  if (!yaml || !checkSchema(TranslationFileSchema, yaml.data, yaml, [], issues)) return undefined;
  const meta = yaml.data as TranslationFile;
  if (meta.language !== folder) {
    issues.push(yaml.issue(['language'], `must equal the folder name "${folder}"`));
    return undefined;
  }
  if (meta.status === 'complete' && meta.lessons !== undefined) {
    issues.push(yaml.issue(['lessons'], 'only for a partial translation (a complete one has every lesson)'));
  }
  if (meta.status === 'partial' && (meta.lessons ?? []).length === 0) {
    issues.push(yaml.issue(['status'], 'a partial translation lists its translated lesson ids in `lessons`'));
  }
  const texts = [...files.texts]
    .filter(([relative]) => relative !== TRANSLATION_FILE)
    .map(([, text]) => text);
  checkStandIns(yaml, meta.placeholders, texts, issues);
  return meta;
}

/** Lesson id → relative file path, for every source lesson file. */
function lessonFilesOf(texts: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const relative of texts.keys()) {
    const id = /^lessons\/\d{2,3}-(.+)\.md$/.exec(relative)?.[1];
    if (id) out.set(id, relative);
  }
  return out;
}

function partialLessonFiles(
  meta: TranslationFile,
  source: CourseFiles,
  display: (relative: string) => string,
  issues: ContentIssue[],
): Map<string, string> {
  const all = lessonFilesOf(source.texts);
  const out = new Map<string, string>();
  for (const id of meta.lessons ?? []) {
    const relative = all.get(id);
    if (relative) out.set(id, relative);
    else
      issues.push({
        file: display(TRANSLATION_FILE),
        line: 0,
        field: 'lessons',
        message: `the source has no lesson "${id}"`,
      });
  }
  return out;
}

/** The clauses the translated lessons cite: a partial policy.yaml must translate these. */
function citedClauses(source: CourseFiles, lessons: Map<string, string>): Set<string> {
  const cited = new Set<string>();
  for (const relative of lessons.values()) {
    for (const match of (source.texts.get(relative) ?? '').matchAll(/\b[A-Z][A-Z0-9]*-\d+\b/g))
      cited.add(match[0]);
  }
  return cited;
}

/** A partial policy.yaml may leave out the clauses no translated lesson cites. */
function omittableClauses(cited: Set<string>): MayOmit {
  return (path: DataPath, id: string) => path.length === 1 && path[0] === 'clauses' && !cited.has(id);
}

interface CompareContext {
  display: (relative: string) => string;
  displaySource: (relative: string) => string;
  issues: ContentIssue[];
  mayOmit: MayOmit | undefined;
}

function compareFiles(files: CourseFiles, source: CourseFiles, c: CompareContext): void {
  for (const [relative, text] of files.texts) {
    const sourceText = source.texts.get(relative);
    if (sourceText === undefined || relative === TRANSLATION_FILE) continue;
    if (relative.endsWith('.md')) {
      compareLesson(
        { sourceFile: c.displaySource(relative), sourceText, file: c.display(relative), text },
        c.issues,
      );
      continue;
    }
    const sink: ContentIssue[] = [];
    const sourceYaml = parseYaml(sourceText, c.displaySource(relative), sink);
    const translated = parseYaml(text, c.display(relative), c.issues);
    if (sourceYaml && translated) {
      const mayOmit = relative === 'policy.yaml' ? c.mayOmit : undefined;
      compareYaml({ source: sourceYaml, translation: translated }, c.issues, mayOmit);
    }
  }
}

/**
 * The complete translation as a course: its files parsed by the same loader as the source. Its
 * version covers the translated text and the source version it translates (any change to either
 * gives a new one; attestations in that language bind to it).
 */
function buildTranslatedCourse(
  files: CourseFiles,
  source: CourseFiles,
  folderName: string,
  display: (relative: string) => string,
  issues: ContentIssue[],
): Course | undefined {
  const texts = new Map(files.texts);
  texts.delete(TRANSLATION_FILE);
  const version = createHash('sha256')
    .update(JSON.stringify({ source: source.version, translation: files.version }))
    .digest('hex');
  // Its own list: buildCourse gives up when the list it is handed holds any issue, even another language's.
  const own: ContentIssue[] = [];
  const language = (files.dir.split(path.sep).at(-1) ?? '') as Language;
  const labels = lessonLabels(language);
  const loaded = buildCourse({ dir: files.dir, texts, version }, folderName, display, own, labels);
  issues.push(...own);
  if (!loaded) return undefined;
  return { ...loaded.course, language };
}
