import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCoursesDir } from '../../../src/content/index.js';

// Issue 22: the course speaks through placeholders; the demo organisation is profile data
// (src/domain/demo-organisation.ts), so no course file may name it.

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('course files', () => {
  it('never name the demo organisation (Kestrel), in any case', async () => {
    const files = await filesUnder(defaultCoursesDir);
    expect(files.length).toBeGreaterThan(5);
    const offenders: string[] = [];
    for (const file of files) {
      const lines = (await readFile(file, 'utf8')).split('\n');
      lines.forEach((line, i) => {
        if (/kestrel/i.test(line))
          offenders.push(`${path.relative(defaultCoursesDir, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});
