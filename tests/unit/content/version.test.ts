import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCourse } from '../../../src/content/index.js';
import { TempCourse } from './temp-course.js';

// The version is the content hash that attestations bind to: same content, same version; any
// edit anywhere in the course, a new one.

let course: TempCourse;
beforeEach(async () => {
  course = await TempCourse.copyOf('minimal');
});
afterEach(async () => {
  await course.cleanup();
});

async function allFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await allFiles(dir, relative)));
    else out.push(relative);
  }
  return out;
}

describe('course version', () => {
  it('is the same when the same content is loaded twice', async () => {
    const first = await loadCourse(course.dir);
    const second = await loadCourse(course.dir);
    expect(first.version).toMatch(/^[0-9a-f]{64}$/);
    expect(second.version).toBe(first.version);
  });

  it('changes when any single character in any file changes', async () => {
    const original = (await loadCourse(course.dir)).version;
    const files = await allFiles(course.dir);
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const relative of files) {
      const text = await course.read(relative);
      // Turning the final newline into a space keeps every file valid and even parses to the same
      // data; the version must still change, because it describes the files, not our reading of them.
      expect(text.endsWith('\n'), relative).toBe(true);
      await course.write(relative, `${text.slice(0, -1)} `);
      expect((await loadCourse(course.dir)).version, relative).not.toBe(original);
      await course.write(relative, text);
    }
    expect((await loadCourse(course.dir)).version).toBe(original);
  });

  it('changes when one letter of the content changes', async () => {
    const original = await loadCourse(course.dir);
    await course.edit('policy.yaml', 'title: Think first', 'title: Think firsT');
    const edited = await loadCourse(course.dir);
    expect(edited.clauses[0]?.title).toBe('Think firsT');
    expect(edited.version).not.toBe(original.version);
  });

  it('ignores line-ending style, so a Windows checkout has the same version', async () => {
    const original = (await loadCourse(course.dir)).version;
    for (const relative of await allFiles(course.dir)) {
      const text = await readFile(course.file(relative), 'utf8');
      await writeFile(course.file(relative), text.replaceAll('\n', '\r\n'));
    }
    expect((await loadCourse(course.dir)).version).toBe(original);
  });

  it('changes when a file is renamed, even with identical content', async () => {
    const original = (await loadCourse(course.dir)).version;
    const text = await course.read('lessons/02-sharing.md');
    await course.remove('lessons/02-sharing.md');
    await course.write('lessons/07-sharing.md', text);
    expect((await loadCourse(course.dir)).version).not.toBe(original);
  });
});
