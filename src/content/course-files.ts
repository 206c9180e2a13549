import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * A course folder read into memory once. Parsing and the version hash both use these same bytes,
 * so the version always describes exactly what was loaded.
 */
export interface CourseFiles {
  dir: string;
  /** Relative posix path → text with line endings normalised to \n and any BOM removed. */
  texts: Map<string, string>;
  /** sha256 (hex) over every file, sorted by relative path. */
  version: string;
}

// Content is small; these limits only stop an accidental huge file or a runaway folder.
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_FILES = 1000;

export class CourseFolderError extends Error {
  constructor(
    readonly relativePath: string,
    message: string,
  ) {
    super(message);
  }
}

/** The folder of a course's translations (`i18n/<lang>/`): read by content/translation/, not part of the course. */
export const TRANSLATIONS_FOLDER = 'i18n';

/**
 * Reads a course folder. The translations folder is left out: the source course's version must not
 * change when a translation is added or edited (each translation has its own version).
 */
export async function readCourseFiles(dir: string): Promise<CourseFiles> {
  const relativePaths = (await listFiles(dir, ''))
    .filter((relative) => !relative.startsWith(`${TRANSLATIONS_FOLDER}/`))
    .sort();
  if (relativePaths.length > MAX_FILES) throw new CourseFolderError('', `more than ${MAX_FILES} files`);
  const texts = new Map<string, string>();
  const hash = createHash('sha256');
  for (const relative of relativePaths) {
    const absolute = path.join(dir, ...relative.split('/'));
    const { size } = await stat(absolute);
    if (size > MAX_FILE_BYTES)
      throw new CourseFolderError(relative, `file larger than ${MAX_FILE_BYTES} bytes`);
    const text = normaliseText((await readFile(absolute)).toString('utf8'));
    texts.set(relative, text);
    // Length-prefix each part so that moving text between a path and its content can't collide.
    const bytes = Buffer.from(text, 'utf8');
    hash.update(`${Buffer.byteLength(relative)}:${relative}\n${bytes.length}:`);
    hash.update(bytes);
    hash.update('\n');
  }
  return { dir, texts, version: hash.digest('hex') };
}

/**
 * Line endings and a BOM are editor noise (a Windows checkout must not look like a new version);
 * every other byte counts, including trailing spaces.
 */
export function normaliseText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** Every regular file under `dir`, as sorted posix paths; dot-files (.DS_Store, .git…) are skipped. */
async function listFiles(dir: string, prefix: string): Promise<string[]> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, relative)));
    else if (entry.isFile()) out.push(relative);
  }
  return out;
}
