import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ContentError } from '../../../src/content/index.js';

export const fixturesDir = fileURLToPath(new URL('../../fixtures/courses', import.meta.url));

/**
 * A throw-away copy of a fixture course. Broken variants are made by small edits to the copy, so
 * each test shows exactly what it breaks, and the expected line is computed from the edited text.
 */
export class TempCourse {
  private constructor(
    readonly root: string,
    readonly dir: string,
  ) {}

  static async copyOf(fixture: string, folderName = fixture): Promise<TempCourse> {
    const root = await mkdtemp(path.join(tmpdir(), 'course-test-'));
    const dir = path.join(root, folderName);
    await cp(path.join(fixturesDir, fixture), dir, { recursive: true });
    return new TempCourse(root, dir);
  }

  file(relative: string): string {
    return path.join(this.dir, relative);
  }

  read(relative: string): Promise<string> {
    return readFile(this.file(relative), 'utf8');
  }

  write(relative: string, text: string): Promise<void> {
    return writeFile(this.file(relative), text);
  }

  /** Replaces exactly one occurrence of `find` (fails loudly if the fixture changed under us). */
  async edit(relative: string, find: string, replace: string): Promise<string> {
    const text = await this.read(relative);
    expect(text.split(find).length - 1, `"${find}" should occur once in ${relative}`).toBe(1);
    const edited = text.replace(find, () => replace);
    await this.write(relative, edited);
    return edited;
  }

  /** 1-based line of the first line containing `needle` in the (current) file. */
  async lineOf(relative: string, needle: string): Promise<number> {
    const lines = (await this.read(relative)).split('\n');
    const index = lines.findIndex((l) => l.includes(needle));
    expect(index, `"${needle}" should be in ${relative}`).toBeGreaterThanOrEqual(0);
    return index + 1;
  }

  remove(relative: string): Promise<void> {
    return rm(this.file(relative));
  }

  cleanup(): Promise<void> {
    return rm(this.root, { recursive: true, force: true });
  }
}

/** Runs `load` and returns the ContentError it throws; fails the test if it doesn't throw one. */
export async function contentErrorOf(load: Promise<unknown>): Promise<ContentError> {
  try {
    await load;
  } catch (error) {
    if (error instanceof ContentError) return error;
    throw error;
  }
  throw new Error('expected a ContentError, but the content loaded');
}

export interface ExpectedIssue {
  /** End of the reported path, e.g. "minimal/examples.yaml" (temp folders differ per run). */
  file: string;
  line: number;
  field: string;
  message: string | RegExp;
}

/**
 * Asserts both the structured issue and the human-readable error message, which is what an
 * author sees: `<file>:<line> <field>: <message>`.
 */
export function expectIssue(error: ContentError, expected: ExpectedIssue): void {
  const match = error.issues.find(
    (i) =>
      i.file.endsWith(expected.file) &&
      i.line === expected.line &&
      i.field === expected.field &&
      (typeof expected.message === 'string'
        ? i.message.includes(expected.message)
        : expected.message.test(i.message)),
  );
  expect(match, `expected ${JSON.stringify(expected)} among:\n${error.message}`).toBeDefined();
  const where = expected.line > 0 ? `${expected.file}:${expected.line}` : expected.file;
  const location = expected.field ? `${where} ${expected.field}: ` : `${where}: `;
  expect(error.message).toContain(location);
}
