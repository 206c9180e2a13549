import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCoursesDir, loadCourse } from '../../../src/content/index.js';
import type { Course } from '../../../src/domain/course.js';
import { buildScormPackage, type ScormFormat } from '../../../src/scorm/index.js';
import type { ScoBank, ScoConfig } from '../../../src/scorm/runtime/model.js';
import { decodeData } from '../../../src/scorm/runtime/obfuscate.js';
import { unzip } from '../../e2e/scorm-harness.js';

// The official SCORM schemas, kept in the project beside the packager (src/scorm/xsd/SOURCES.md).
const xsdRoot = fileURLToPath(new URL('../../../src/scorm/xsd', import.meta.url));
const SCHEMAS: Record<ScormFormat, string> = {
  scorm12: path.join(xsdRoot, 'scorm12', '_all.xsd'),
  scorm2004: path.join(xsdRoot, 'scorm2004_4th', '_all.xsd'),
};

let course: Course;
beforeAll(async () => {
  course = await loadCourse(path.join(defaultCoursesDir, 'social-media-policy'));
});

/** xmllint's verdict on a manifest; libxml2 reports success on stderr as "<file> validates". */
function validate(manifest: Buffer, format: ScormFormat): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'scorm-manifest-'));
  const file = path.join(dir, 'imsmanifest.xml');
  writeFileSync(file, manifest);
  try {
    execFileSync('/usr/bin/xmllint', ['--nonet', '--noout', '--schema', SCHEMAS[format], file], {
      env: { ...process.env, XML_CATALOG_FILES: path.join(xsdRoot, 'catalog.xml') },
      stdio: 'pipe',
    });
    return 'valid';
  } catch (err) {
    return String((err as { stderr?: Buffer }).stderr ?? err);
  }
}

/** The [namespace, file] pairs of a manifest's xsi:schemaLocation. */
function schemaLocations(manifest: string): Array<[string, string]> {
  const value = /xsi:schemaLocation="([^"]+)"/.exec(manifest)![1]!.trim().split(/\s+/);
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < value.length; i += 2) pairs.push([value[i]!, value[i + 1]!]);
  return pairs;
}

/**
 * Unpacks the package and validates its manifest the way an LMS that checks the packaged control
 * files does: against the schemas named in xsi:schemaLocation, read from the package itself.
 */
function validateInPackage(files: Map<string, Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'scorm-package-'));
  for (const [name, bytes] of files) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), bytes);
  }
  const imports = schemaLocations(files.get('imsmanifest.xml')!.toString())
    .map(([ns, file]) => `<xs:import namespace="${ns}" schemaLocation="${file}"/>`)
    .join('');
  writeFileSync(
    path.join(dir, 'all-named.xsd'),
    `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:test:wrapper">${imports}</xs:schema>`,
  );
  try {
    execFileSync(
      '/usr/bin/xmllint',
      ['--nonet', '--noout', '--schema', path.join(dir, 'all-named.xsd'), path.join(dir, 'imsmanifest.xml')],
      { env: { ...process.env, XML_CATALOG_FILES: '' }, stdio: 'pipe' },
    );
    return 'valid';
  } catch (err) {
    return String((err as { stderr?: Buffer }).stderr ?? err);
  }
}

describe.each(['scorm12', 'scorm2004'] as const)('%s package', (format) => {
  it('has a manifest at the root that validates against the official schemas', async () => {
    const files = await unzip(await buildScormPackage(course, { format, failStatus: 'failed' }));
    expect(validate(files.get('imsmanifest.xml')!, format)).toBe('valid');
  });

  it('packages every schema the manifest names in xsi:schemaLocation, and what those import', async () => {
    const files = await unzip(await buildScormPackage(course, { format, failStatus: 'failed' }));
    const named = schemaLocations(files.get('imsmanifest.xml')!.toString()).map(([, file]) => file);
    expect(named).toHaveLength(format === 'scorm12' ? 3 : 6);
    for (const file of named) expect([...files.keys()]).toContain(file);
    for (const [name, bytes] of files) {
      if (!name.endsWith('.xsd')) continue;
      // Commented-out alternatives (lom.xsd lists loose/custom variants in comments) are not references.
      for (const [, ref] of bytes
        .toString()
        .replace(/<!--[\s\S]*?-->/g, '')
        .matchAll(/<xs[d]?:(?:import|include)[^>]*schemaLocation\s*=\s*"([^"]+)"/g)) {
        expect([...files.keys()], `${name} refers to ${ref}`).toContain(ref);
      }
    }
  });

  it('validates against the schema files inside the package alone (no network, no catalog)', async () => {
    const files = await unzip(await buildScormPackage(course, { format, failStatus: 'incomplete' }));
    expect(validateInPackage(files)).toBe('valid');
  });

  it('states the package language in the manifest LOM metadata, and still validates (#26)', async () => {
    const spanish: Course = { ...course, language: 'es' };
    const files = await unzip(await buildScormPackage(spanish, { format, failStatus: 'failed' }));
    const manifest = files.get('imsmanifest.xml')!;
    expect(manifest.toString()).toMatch(/<(lom:)?general>\s*<(lom:)?language>es<\/(lom:)?language>/);
    expect(validate(manifest, format)).toBe('valid');
    expect(validateInPackage(files)).toBe('valid');
    const english = await unzip(await buildScormPackage(course, { format, failStatus: 'failed' }));
    expect(english.get('imsmanifest.xml')!.toString()).toMatch(/<(lom:)?language>en<\/(lom:)?language>/);
  });

  it('lists every file it contains, with exact paths, and launches index.html', async () => {
    const files = await unzip(await buildScormPackage(course, { format, failStatus: 'failed' }));
    const manifest = files.get('imsmanifest.xml')!.toString();
    const listed = [...manifest.matchAll(/<file href="([^"]+)"/g)].map((m) => m[1]);
    // The schema control files sit beside the manifest and are not part of the SCO's resource.
    const content = [...files.keys()].filter((f) => f !== 'imsmanifest.xml' && !f.endsWith('.xsd'));
    expect(listed.sort()).toEqual(content.sort());
    expect([...files.keys()].every((f) => !f.includes('\\') && !f.startsWith('/'))).toBe(true);
    expect(manifest).toContain('href="index.html"');
  });

  it('is byte-identical when built twice from the same content', async () => {
    const a = await buildScormPackage(course, { format, failStatus: 'failed' });
    const b = await buildScormPackage(course, { format, failStatus: 'failed' });
    expect(a.equals(b)).toBe(true);
  });

  it('builds in under a second and stays under 400 KB', async () => {
    const started = performance.now();
    const zip = await buildScormPackage(course, { format, failStatus: 'incomplete' });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(zip.length).toBeLessThan(400 * 1024);
  });

  it('references nothing outside the package and keeps the answer key out of plain sight', async () => {
    const files = await unzip(await buildScormPackage(course, { format, failStatus: 'failed' }));
    const html = files.get('index.html')!.toString();
    const css = files.get('sco.css')!.toString();
    const js = files.get('sco.js')!.toString();
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(css).not.toMatch(/url\(|@import/);
    expect(js).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    // Feedback text and "correct": true never appear in clear.
    const someFeedback = course.questions.find((q) => q.type === 'single')!.options[0]!.feedback;
    expect(js).not.toContain(someFeedback);
    expect(js).not.toContain('"correct":true');
    const config = JSON.parse(/ScoRuntime\.start\((.*)\);\s*$/s.exec(js)![1]!) as ScoConfig;
    const bank = decodeData<ScoBank>(config.bank, config.key);
    expect(bank.questions).toHaveLength(course.questions.length);
  });
});

describe('manifest content', () => {
  it('carries the passing score as 1.2 masteryscore and 2004 minNormalizedMeasure', async () => {
    const m12 = (await unzip(await buildScormPackage(course, { format: 'scorm12', failStatus: 'failed' })))
      .get('imsmanifest.xml')!
      .toString();
    const m04 = (await unzip(await buildScormPackage(course, { format: 'scorm2004', failStatus: 'failed' })))
      .get('imsmanifest.xml')!
      .toString();
    expect(m12).toContain(`<adlcp:masteryscore>${course.quiz.passingScore}</adlcp:masteryscore>`);
    expect(m12).toContain('adlcp:scormtype="sco"');
    expect(m12).toContain('<schemaversion>1.2</schemaversion>');
    expect(m04).toContain('adlcp:scormType="sco"');
    expect(m04).toContain('<schemaversion>2004 4th Edition</schemaversion>');
    expect(m04).toMatch(/satisfiedByMeasure="true"/);
    expect(m04).toContain(
      `<imsss:minNormalizedMeasure>${course.quiz.passingScore / 100}</imsss:minNormalizedMeasure>`,
    );
  });

  it('leaves the 1.2 mastery score out of the "incomplete on fail" variant, so the SCO decides the status', async () => {
    const failed = (await unzip(await buildScormPackage(course, { format: 'scorm12', failStatus: 'failed' })))
      .get('imsmanifest.xml')!
      .toString();
    const incomplete = (
      await unzip(await buildScormPackage(course, { format: 'scorm12', failStatus: 'incomplete' }))
    )
      .get('imsmanifest.xml')!
      .toString();
    expect(failed).toContain('<adlcp:masteryscore>');
    expect(incomplete).not.toContain('masteryscore');
  });

  it('gives different bytes when the fail-status option differs (it is baked into the package)', async () => {
    const a = await buildScormPackage(course, { format: 'scorm12', failStatus: 'failed' });
    const b = await buildScormPackage(course, { format: 'scorm12', failStatus: 'incomplete' });
    expect(a.equals(b)).toBe(false);
  });
});
