import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCoursesDir, loadCourse } from '../../../src/content/index.js';
import type { Course } from '../../../src/domain/course.js';
import { buildScoFiles } from '../../../src/scorm/index.js';
import type { ScoConfig } from '../../../src/scorm/runtime/model.js';
import { decodeData } from '../../../src/scorm/runtime/obfuscate.js';

// A SCORM package has no person: it carries the jurisdiction notices and questions of the regions the
// profile enables (the branding's `jurisdictions`), and the SCO's draw runs on that bank.

let course: Course;
beforeAll(async () => {
  course = await loadCourse(path.join(defaultCoursesDir, 'social-media-policy'));
});

async function packaged(jurisdictions?: Array<'us' | 'uk' | 'eu'>) {
  const files = await buildScoFiles(course, {
    format: 'scorm12',
    failStatus: 'failed',
    branding: { organisation: 'Test Org', logo: null, ...(jurisdictions ? { jurisdictions } : {}) },
  });
  const page = files.get('index.html')!.toString();
  const js = files.get('sco.js')!.toString();
  const config = JSON.parse(/ScoRuntime\.start\((.*)\);\s*$/s.exec(js)![1]!) as ScoConfig;
  const bank = JSON.stringify(decodeData(config.bank, config.key));
  return { page, bank };
}

const usQuestion = () => course.questions.find((q) => q.jurisdictions?.includes('us'))!;
const ukQuestion = () => course.questions.find((q) => q.jurisdictions?.includes('uk'))!;

describe('jurisdictions in the SCORM package', () => {
  it('a package for the UK carries the UK notices and question, and no US one', async () => {
    const { page, bank } = await packaged(['uk']);
    expect(page).toContain('Public Interest Disclosure Act 1998');
    expect(page).not.toContain('National Labor Relations Act');
    expect(bank).toContain(`"${ukQuestion().id}"`);
    expect(bank).not.toContain(`"${usQuestion().id}"`);
  });

  it('a package for the US and the UK carries both', async () => {
    const { page, bank } = await packaged(['us', 'uk']);
    expect(page).toContain('Public Interest Disclosure Act 1998');
    expect(page).toContain('National Labor Relations Act');
    expect(bank).toContain(`"${ukQuestion().id}"`);
    expect(bank).toContain(`"${usQuestion().id}"`);
  });
});
