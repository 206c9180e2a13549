import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCoursesDir, loadCourse } from '../../../src/content/index.js';
import type { Course } from '../../../src/domain/course.js';
import { buildCmi5Package, cmi5FileName } from '../../../src/scorm/cmi5/index.js';
import { buildScormPackage } from '../../../src/scorm/index.js';
import type { ScoConfig } from '../../../src/scorm/runtime/model.js';
import { unzip } from '../../e2e/scorm-harness.js';

// The official cmi5 course structure schema, kept beside the packager (src/scorm/xsd/cmi5/SOURCES.md).
const XSD = fileURLToPath(new URL('../../../src/scorm/xsd/cmi5/CourseStructure.xsd', import.meta.url));
const BASE = 'https://training.example.com/xapi/activities';

let course: Course;
beforeAll(async () => {
  course = await loadCourse(path.join(defaultCoursesDir, 'social-media-policy'));
});

/** xmllint's verdict (no network) on a course structure. */
function validate(xml: Buffer): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'cmi5-')), 'cmi5.xml');
  writeFileSync(file, xml);
  try {
    execFileSync('/usr/bin/xmllint', ['--nonet', '--noout', '--schema', XSD, file], {
      env: { ...process.env, XML_CATALOG_FILES: '' },
      stdio: 'pipe',
    });
    return 'valid';
  } catch (err) {
    return String((err as { stderr?: Buffer }).stderr ?? err);
  }
}

function attribute(xml: string, element: string, name: string): string | undefined {
  const tag = new RegExp(`<${element}\\b[^>]*>`).exec(xml)?.[0] ?? '';
  return new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
}

describe('cmi5 package', () => {
  it('has a cmi5.xml at the root that validates against the official course structure schema', async () => {
    const files = await unzip(await buildCmi5Package(course, { activityBase: BASE }));
    expect(validate(files.get('cmi5.xml')!)).toBe('valid');
    // A damaged one is refused, so the check can fail.
    const broken = files
      .get('cmi5.xml')!
      .toString()
      .replace('moveOn="CompletedAndPassed"', 'moveOn="Sometimes"');
    expect(validate(Buffer.from(broken))).not.toBe('valid');
  });

  it('has one AU: moveOn CompletedAndPassed, masteryScore = pass mark / 100, a relative url, stable IRIs', async () => {
    const xml = (await unzip(await buildCmi5Package(course, { activityBase: BASE })))
      .get('cmi5.xml')!
      .toString();
    expect(xml.match(/<au\b/g)).toHaveLength(1);
    expect(attribute(xml, 'au', 'moveOn')).toBe('CompletedAndPassed');
    expect(Number(attribute(xml, 'au', 'masteryScore'))).toBe(course.quiz.passingScore / 100);
    expect(/<url>([^<]+)<\/url>/.exec(xml)![1]).toBe('index.html');
    expect(attribute(xml, 'course', 'id')).toBe(`${BASE}/cmi5/course/social-media-policy`);
    expect(attribute(xml, 'au', 'id')).toBe(`${BASE}/cmi5/course/social-media-policy/au/main`);
    expect(xml).toContain(`<langstring lang="en">${course.title}</langstring>`);
  });

  it('follows the pass mark of the course file', async () => {
    const strict: Course = { ...course, quiz: { ...course.quiz, passingScore: 85 } };
    const xml = (await unzip(await buildCmi5Package(strict, { activityBase: BASE })))
      .get('cmi5.xml')!
      .toString();
    expect(attribute(xml, 'au', 'masteryScore')).toBe('0.85');
  });

  it('carries the page, stylesheet and the cmi5 runtime beside cmi5.xml, and no SCORM manifest', async () => {
    const files = await unzip(await buildCmi5Package(course, { activityBase: BASE }));
    expect([...files.keys()].sort()).toEqual(['cmi5.xml', 'index.html', 'sco.css', 'sco.js']);
    const js = files.get('sco.js')!.toString();
    const config = JSON.parse(/ScoRuntime\.start\((.*)\);\s*$/s.exec(js)![1]!) as ScoConfig;
    expect(config.format).toBe('cmi5');
    // The cmi5 AU reads LMS.LaunchData; the SCORM SCO does not carry the xAPI library.
    expect(js).toContain('LMS.LaunchData');
    const scorm = (
      await unzip(await buildScormPackage(course, { format: 'scorm2004', failStatus: 'failed' }))
    )
      .get('sco.js')!
      .toString();
    expect(scorm).not.toContain('LMS.LaunchData');
  });

  it('states a translated package language in cmi5.xml and in its ids, and still validates', async () => {
    const spanish: Course = { ...course, language: 'es' };
    const xml = (await unzip(await buildCmi5Package(spanish, { activityBase: BASE }))).get('cmi5.xml')!;
    expect(xml.toString()).toContain('<langstring lang="es">');
    expect(attribute(xml.toString(), 'course', 'id')).toBe(`${BASE}/cmi5/course/social-media-policy/es`);
    expect(validate(xml)).toBe('valid');
    expect(cmi5FileName(spanish)).toMatch(/^social-media-policy-cmi5-es-[0-9a-f]{8}\.zip$/);
  });

  it('is byte-identical when built twice, and stays under 400 KB', async () => {
    const a = await buildCmi5Package(course, { activityBase: BASE });
    const b = await buildCmi5Package(course, { activityBase: BASE });
    expect(a.equals(b)).toBe(true);
    expect(a.length).toBeLessThan(400 * 1024);
  });
});
