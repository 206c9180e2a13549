import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { Course } from '../../domain/course.js';
import type { CourseTranslation } from '../../domain/course-translation.js';
import type { Language } from '../../domain/i18n/languages.js';
import { readCourseFiles, TRANSLATIONS_FOLDER } from '../course-files.js';
import type { ContentIssue } from '../issues.js';
import { buildCourse, displayIn } from '../load-course.js';
import { readTranslations, TRANSLATION_FILE } from './load-translations.js';

const POLICY_FILE = 'policy.yaml';

/** A translation HR can read before learners get it: its description and the course to show its lessons from. */
export interface TranslationPreview {
  translation: CourseTranslation;
  /**
   * A complete translation: its own course. A partial one: the source course with the translated
   * course.yaml, lessons and policy clauses laid over it — a mix learners never get, so only the
   * translated lessons (`translation.lessons`) may be shown from it.
   */
  course: Course;
}

/**
 * The translation of the course in `courseDir` into `lang`, for HR's preview; undefined when there is
 * none or it has structural problems (content:check names them). Reads the files each time it is
 * called: the caller keeps the answer.
 */
export async function readTranslationPreview(
  courseDir: string,
  lang: Language,
): Promise<TranslationPreview | undefined> {
  const absoluteDir = path.resolve(courseDir);
  const source = await readCourseFiles(absoluteDir).catch(() => undefined);
  if (!source) return undefined;
  const { translations } = await readTranslations(absoluteDir, source);
  const translation = translations.find((t) => t.language === lang);
  if (!translation) return undefined;
  if (translation.course) return { translation, course: translation.course };

  const files = await readCourseFiles(path.join(absoluteDir, TRANSLATIONS_FOLDER, lang));
  const texts = new Map(source.texts);
  for (const [relative, text] of files.texts) {
    if (relative === TRANSLATION_FILE) continue;
    texts.set(relative, relative === POLICY_FILE ? overlayPolicy(texts.get(POLICY_FILE) ?? '', text) : text);
  }
  const issues: ContentIssue[] = [];
  const loaded = buildCourse(
    { dir: files.dir, texts, version: `preview:${source.version}:${files.version}` },
    path.basename(absoluteDir),
    displayIn(files.dir),
    issues,
  );
  return loaded ? { translation, course: { ...loaded.course, language: lang } } : undefined;
}

interface PolicyYaml {
  title?: unknown;
  clauses?: Array<{ id?: unknown }>;
}

/** The source policy with the partial translation's title and clauses (by id) in place of the source's. */
function overlayPolicy(sourceText: string, translatedText: string): string {
  const source = parse(sourceText) as PolicyYaml;
  const translated = parse(translatedText) as PolicyYaml;
  const byId = new Map((translated.clauses ?? []).map((c) => [c.id, c]));
  return stringify({
    ...source,
    title: translated.title ?? source.title,
    clauses: (source.clauses ?? []).map((c) => byId.get(c.id) ?? c),
  });
}
