import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TSchema } from 'typebox';
import {
  type Course,
  type ExamplePost,
  QUIZ_DEFAULTS,
  type QuizSettings,
  RECERTIFICATION_DEFAULTS,
  type RecertificationCycle,
  type RecertificationDefaults,
} from '../domain/course.js';
import { SOURCE_LANGUAGE } from '../domain/i18n/languages.js';
import { everyoneQuestions } from '../domain/jurisdictions.js';
import { BASELINE_POLICY_VERSION } from '../domain/policy-version.js';
import { type CourseFiles, CourseFolderError, readCourseFiles } from './course-files.js';
import { parseDecisionTree } from './decision-tree.js';
import { ContentError, type ContentIssue } from './issues.js';
import type { LessonLabels } from './lesson-labels.js';
import { parseLessons } from './lessons.js';
import { type LoadedCourse, lessonTexts } from './loaded-course.js';
import { collectPlaceholders, type PlaceholderCollector } from './placeholder-check.js';
import { checkQuality, type QualityMode, START_GUESSING_OPTIONS } from './quality.js';
import { parseQuestions } from './questions.js';
import { checkClauseRefs, type KnownClauses, reportDuplicateIds } from './rules.js';
import { checkSchema } from './schema-issues.js';
import {
  type CourseFile,
  CourseFileSchema,
  type ExamplesFile,
  ExamplesFileSchema,
  type PolicyFile,
  PolicyFileSchema,
} from './schemas.js';
import { parseYaml, type YamlSource } from './yaml-source.js';

/** The files a course folder holds besides lessons/*.md; anything else is reported (likely a typo). */
const COURSE_FILE = 'course.yaml';
const POLICY_FILE = 'policy.yaml';
const EXAMPLES_FILE = 'examples.yaml';
const TREE_FILE = 'decision-tree.yaml';
const QUIZ_FILE = 'quiz.yaml';
// README.md and CHANGES.md (what changed in the policy, for a customer's counsel) are notes for people:
// tolerated, not parsed, and hashed like every other file so the version names the notes that came with it.
const KNOWN_FILES = new Set([
  COURSE_FILE,
  POLICY_FILE,
  EXAMPLES_FILE,
  TREE_FILE,
  QUIZ_FILE,
  'README.md',
  'CHANGES.md',
]);

export interface LoadOptions {
  /** Whether the quality checks (bank linter, guessing check, coverage) refuse a course. */
  quality?: QualityMode;
}

/**
 * Loads and validates one course folder. Throws a ContentError listing every problem found (file,
 * line, field); never returns a partly valid course. The quality checks run only when asked for
 * (`quality: 'enforce'`): tests and tools read single folders, some of them fixtures too small to
 * pass a guessing check; the app and the CLI load through `loadCourses`, which enforces them.
 */
export async function loadCourse(dir: string, options: LoadOptions = {}): Promise<Course> {
  const loaded = await readCourse(dir);
  if (options.quality === 'enforce') {
    const { issues } = checkQuality(loaded, START_GUESSING_OPTIONS);
    if (issues.length > 0) throw new ContentError(issues);
  }
  return loaded.course;
}

/** Loads one course folder with its parsed files (schema and reference checks only). */
export async function readCourse(dir: string): Promise<LoadedCourse> {
  const absoluteDir = path.resolve(dir);
  const display = displayIn(absoluteDir);
  let files: CourseFiles;
  try {
    files = await readCourseFiles(absoluteDir);
  } catch (error) {
    if (error instanceof CourseFolderError) {
      throw new ContentError([
        { file: display(error.relativePath), line: 0, field: '', message: error.message },
      ]);
    }
    throw error;
  }
  const issues: ContentIssue[] = [];
  const loaded = buildCourse(files, path.basename(absoluteDir), display, issues);
  if (issues.length > 0 || !loaded) throw new ContentError(issues);
  return loaded;
}

/**
 * Loads every course under `rootDir` (one sub-folder per course; folders starting with "." or "_"
 * are skipped). All problems from all courses are reported together. This is how the server's
 * start and every CLI command load content, so unless told `quality: 'report'` a course that
 * fails the quality checks is refused here, as a schema error is.
 */
export function loadCourses(rootDir: string, options: LoadOptions = {}): Promise<Map<string, Course>> {
  const quality = options.quality ?? 'enforce';
  return eachCourse(
    rootDir,
    (dir) => loadCourse(dir, { quality }),
    (course) => course.id,
  );
}

/** Every course under `rootDir` with its parsed files (schema and reference checks only). */
export function readCourses(rootDir: string): Promise<Map<string, LoadedCourse>> {
  return eachCourse(rootDir, readCourse, (loaded) => loaded.course.id);
}

async function eachCourse<T>(
  rootDir: string,
  load: (dir: string) => Promise<T>,
  idOf: (loaded: T) => string,
): Promise<Map<string, T>> {
  const absoluteRoot = path.resolve(rootDir);
  const isDir = await stat(absoluteRoot).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) {
    throw new ContentError([
      { file: displayPath(absoluteRoot), line: 0, field: '', message: 'courses folder not found' },
    ]);
  }
  const entries = await readdir(absoluteRoot, { withFileTypes: true });
  const folders = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_'))
    .map((e) => e.name)
    .sort();

  const courses = new Map<string, T>();
  const issues: ContentIssue[] = [];
  for (const folder of folders) {
    try {
      const loaded = await load(path.join(absoluteRoot, folder));
      courses.set(idOf(loaded), loaded);
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length > 0) throw new ContentError(issues);
  return courses;
}

/** A course folder's relative paths as content:check prints them. */
export function displayIn(absoluteDir: string): (relative: string) => string {
  return (relative) => displayPath(path.join(absoluteDir, relative));
}

/** Relative to the working directory when inside it (clickable in a terminal), else absolute. */
function displayPath(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return absolute;
  return relative.split(path.sep).join('/');
}

/** Parses and validates a course's files (also a complete translation's, merged: content/translation/). */
export function buildCourse(
  files: CourseFiles,
  folderName: string,
  display: (relative: string) => string,
  issues: ContentIssue[],
  /** A translation's: the words around scenarios and notices in its language (default English). */
  labels?: LessonLabels,
): LoadedCourse | undefined {
  const { texts } = files;
  reportUnexpectedFiles(texts, display, issues);
  // Every string of every file is checked for placeholders; the sites go to content:check.
  const placeholders = collectPlaceholders(issues);
  const source = (relative: string) => readYamlFile(texts, relative, display, placeholders, issues);
  const validated = <T>(src: YamlSource | undefined, schema: TSchema): T | undefined =>
    src && checkSchema(schema, src.data, src, [], issues) ? (src.data as T) : undefined;

  const courseSource = source(COURSE_FILE);
  const courseFile = validated<CourseFile>(courseSource, CourseFileSchema);
  const policySource = source(POLICY_FILE);
  const policy = validated<PolicyFile>(policySource, PolicyFileSchema);
  const known: KnownClauses = policy ? new Set(policy.clauses.map((c) => c.id)) : undefined;
  if (policy && policySource) checkPolicy(policy, policySource, issues);

  const examplesSource = source(EXAMPLES_FILE);
  const examplesFile = validated<ExamplesFile>(examplesSource, ExamplesFileSchema);
  const examples =
    examplesFile && examplesSource ? checkExamples(examplesFile, examplesSource, known, issues) : [];

  const treeSource = source(TREE_FILE);
  const decisionTree = treeSource ? parseDecisionTree(treeSource, known, issues) : undefined;
  const quizSource = source(QUIZ_FILE);
  const questions = quizSource ? parseQuestions(quizSource, known, issues) : [];

  if (!courseFile || !courseSource) {
    // Without course.yaml there is no lesson list; still report lesson files' own problems? No:
    // every lesson would also be "not listed", which is noise. Fix course.yaml first.
    return undefined;
  }
  if (courseFile.id !== folderName) {
    issues.push(courseSource.issue(['id'], `must equal the folder name "${folderName}"`));
  }
  const lessons = parseLessons(
    { texts, listed: courseFile.lessons, courseSource, known, display, labels },
    issues,
  );
  for (const lesson of lessonTexts(texts, display)) placeholders.lesson(lesson.file, lesson.text);
  // An attempt draws at most one recall question: the others cannot fill its places. Questions marked
  // for some jurisdictions are extra: an attempt must fill up without them.
  const everyone = everyoneQuestions(questions);
  const recallCount = everyone.filter((q) => q.recall).length;
  const drawable = everyone.length - Math.max(0, recallCount - 1);
  const quiz = quizSettings(courseFile, courseSource, drawable, quizSource !== undefined, issues);
  const recertification = recertificationDefaults(courseFile, courseSource, issues);

  if (policy && policySource && lessons.length === courseFile.lessons.length) {
    reportUntaughtClauses(policy, policySource, lessons, issues);
  }

  if (issues.length > 0 || !policy || !policySource || !decisionTree || !treeSource) return undefined;
  if (!examplesSource || !quizSource) return undefined;
  const sources = { policy: policySource, examples: examplesSource, tree: treeSource, quiz: quizSource };
  const course: Course = {
    id: courseFile.id,
    language: SOURCE_LANGUAGE,
    title: courseFile.title,
    summary: courseFile.summary,
    estimatedMinutes: courseFile.estimatedMinutes,
    version: files.version,
    policyVersion: BASELINE_POLICY_VERSION,
    policyTitle: policy.title,
    clauses: policy.clauses,
    lessons,
    examples,
    decisionTree,
    questions,
    quiz,
    recertification,
  };
  return {
    course,
    sources: { ...sources, lessons: lessonTexts(texts, display) },
    placeholders: placeholders.sites,
  };
}

/** One YAML file of the course, parsed and its placeholders checked; a missing file is an issue. */
function readYamlFile(
  texts: CourseFiles['texts'],
  relative: string,
  display: (relative: string) => string,
  placeholders: PlaceholderCollector,
  issues: ContentIssue[],
): YamlSource | undefined {
  const text = texts.get(relative);
  if (text === undefined) {
    issues.push({ file: display(relative), line: 0, field: '', message: 'file is missing' });
    return undefined;
  }
  const source = parseYaml(text, display(relative), issues);
  if (source) placeholders.yaml(source, text);
  return source;
}

function reportUnexpectedFiles(
  texts: CourseFiles['texts'],
  display: (relative: string) => string,
  issues: ContentIssue[],
): void {
  for (const relative of texts.keys()) {
    if (!KNOWN_FILES.has(relative) && !relative.startsWith('lessons/')) {
      issues.push({
        file: display(relative),
        line: 0,
        field: '',
        message: 'unexpected file in a course folder',
      });
    }
  }
}

/** Every policy clause must be taught by some lesson (checked once all lessons parsed). */
function reportUntaughtClauses(
  policy: PolicyFile,
  source: YamlSource,
  lessons: Course['lessons'],
  issues: ContentIssue[],
): void {
  const taught = new Set(lessons.flatMap((l) => l.clauses));
  policy.clauses.forEach((clause, index) => {
    if (!taught.has(clause.id)) {
      issues.push(
        source.issue(['clauses', index, 'id'], `clause "${clause.id}" is not taught by any lesson`),
      );
    }
  });
}

function checkPolicy(policy: PolicyFile, source: YamlSource, issues: ContentIssue[]): void {
  const ids = policy.clauses.map((c) => c.id);
  reportDuplicateIds(ids, 'clause', source, (i) => ['clauses', i, 'id'], issues);
  const numbers = policy.clauses.map((c) => c.number);
  reportDuplicateIds(numbers, 'clause number', source, (i) => ['clauses', i, 'number'], issues);
  policy.clauses.forEach((clause, index) => {
    if (/[\n\r]/.test(clause.summary)) {
      issues.push(source.issue(['clauses', index, 'summary'], 'must be a single line (use >- to fold it)'));
    }
  });
}

function checkExamples(
  file: ExamplesFile,
  source: YamlSource,
  known: KnownClauses,
  issues: ContentIssue[],
): ExamplePost[] {
  reportDuplicateIds(
    file.examples.map((e) => e.id),
    'example',
    source,
    (i) => ['examples', i, 'id'],
    issues,
  );
  file.examples.forEach((example, index) => {
    const path = ['examples', index];
    checkClauseRefs(example.clauses, known, source, [...path, 'clauses'], issues);
    if (example.verdict === 'unacceptable' && example.betterVersion === undefined) {
      issues.push(source.issue([...path, 'betterVersion'], 'required when verdict is unacceptable'));
    }
    // An ask-first post may offer a version that needs no check (the client left out, say).
    if (example.verdict === 'acceptable' && example.betterVersion !== undefined) {
      issues.push(
        source.issue([...path, 'betterVersion'], 'only allowed when verdict is unacceptable or ask-first'),
      );
    }
  });
  return file.examples;
}

function quizSettings(
  file: CourseFile,
  source: YamlSource,
  questionCount: number,
  haveQuestions: boolean,
  issues: ContentIssue[],
): QuizSettings {
  const given = file.quiz ?? {};
  const settings: QuizSettings = {
    questionsPerAttempt: given.questionsPerAttempt ?? QUIZ_DEFAULTS.questionsPerAttempt,
    passingScore: given.passingScore ?? QUIZ_DEFAULTS.passingScore,
    maxAttempts: given.maxAttempts ?? QUIZ_DEFAULTS.maxAttempts,
    cooldownMinutes: given.cooldownMinutes ?? QUIZ_DEFAULTS.cooldownMinutes,
    review: { ...QUIZ_DEFAULTS.review, ...given.review },
  };
  if (given.timeLimitMinutes !== undefined) settings.timeLimitMinutes = given.timeLimitMinutes;
  // Only meaningful once quiz.yaml loaded: a broken quiz file would otherwise add a second error.
  if (haveQuestions && questionCount > 0 && settings.questionsPerAttempt > questionCount) {
    issues.push(
      source.issue(
        ['quiz', 'questionsPerAttempt'],
        `is ${settings.questionsPerAttempt} but quiz.yaml has only ${questionCount} valid questions that one attempt can draw (at most one recall question)`,
      ),
    );
  }
  return settings;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function recertificationDefaults(
  file: CourseFile,
  source: YamlSource,
  issues: ContentIssue[],
): RecertificationDefaults {
  const given = file.recertification ?? {};
  let cycle: RecertificationCycle = { kind: 'rolling' };
  const rawCycle = given.cycle;
  const path = ['recertification', 'cycle'];
  if (rawCycle?.kind === 'calendar') {
    const { month, day } = rawCycle;
    if (month === undefined) issues.push(source.issue([...path, 'month'], 'required for a calendar cycle'));
    if (day === undefined) issues.push(source.issue([...path, 'day'], 'required for a calendar cycle'));
    if (month !== undefined && day !== undefined) {
      const maxDay = DAYS_IN_MONTH[month - 1] ?? 31;
      // 29 February would make most years skip the date, so it is refused with the rest.
      if (day > maxDay)
        issues.push(source.issue([...path, 'day'], `must be at most ${maxDay} for month ${month}`));
      cycle = { kind: 'calendar', month, day };
    }
  } else if (rawCycle && (rawCycle.month !== undefined || rawCycle.day !== undefined)) {
    issues.push(source.issue(path, 'month and day are only allowed for a calendar cycle'));
  }
  return {
    validityMonths: given.validityMonths ?? RECERTIFICATION_DEFAULTS.validityMonths,
    windowDays: given.windowDays ?? RECERTIFICATION_DEFAULTS.windowDays,
    expiryBasis: given.expiryBasis ?? RECERTIFICATION_DEFAULTS.expiryBasis,
    cycle,
    graceDays: given.graceDays ?? RECERTIFICATION_DEFAULTS.graceDays,
  };
}
