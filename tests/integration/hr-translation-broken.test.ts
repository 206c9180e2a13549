import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCourse } from '../../src/content/index.js';
import { readTranslations } from '../../src/content/translation/index.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { fixturesDir } from '../unit/content/temp-course.js';

/**
 * What HR sees of a translation learners do not get (issue #26, review item 13): one that fails the
 * structure check is listed as broken with its problems (fixture translation-broken, i18n/es), and a
 * partial one made from an older source version is both partial and out of date (fixture
 * translated, i18n/ar, its translatedFrom moved back here).
 */
const BROKEN = 'translation-broken';
const TRANSLATED = 'translated';
const EXTRA_FILE = 'translation-broken/i18n/es/lessons/03-extra.md: file is extra (not in the source)';
let t: TestApp;
let hr: Session;

beforeAll(async () => {
  const brokenDir = path.join(fixturesDir, BROKEN);
  const translatedDir = path.join(fixturesDir, TRANSLATED);
  const broken = await readTranslations(brokenDir);
  const translated = await readTranslations(translatedDir);
  const staleArabic = translated.translations.map((tr) =>
    tr.language === 'ar' ? { ...tr, translatedFrom: '0'.repeat(64) } : tr,
  );
  t = await createTestApp({
    label: 'hr-translation-broken',
    courses: new Map([
      [BROKEN, await loadCourse(brokenDir)],
      [TRANSLATED, await loadCourse(translatedDir)],
    ]),
    translations: new Map([
      [BROKEN, broken.translations],
      [TRANSLATED, staleArabic],
    ]),
    brokenTranslations: new Map([[BROKEN, broken.broken]]),
  });
  t.clock.set('2026-03-02T09:00:00Z');
  hr = await loginAs(t.app, 'hr@demo.test');
});
afterAll(async () => t.close());

describe('a translation that fails the structure check', () => {
  it("has a broken row on HR's course settings, with each problem as file:line", async () => {
    const res = await hr.get(`/hr/courses/${BROKEN}/settings`, { 'accept-language': 'en' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<li data-language="es" data-state="broken">/);
    expect(res.body).toContain(
      'Spanish: broken, it fails the structure check (12 problems); learners who use Spanish get English until a translator fixes it.',
    );
    expect(res.body).toContain(EXTRA_FILE);
    // The row lists the first ten; the preview lists them all.
    expect(res.body).toContain('…and 2 more problems: the preview lists them all.');
    expect(res.body).toContain(`href="/hr/courses/${BROKEN}/translations/es"`);
  });

  it('is worded in the page language', async () => {
    const res = await hr.get(`/hr/courses/${BROKEN}/settings`, { 'accept-language': 'es' });
    expect(res.body).toContain('español: con errores');
    expect(res.body).toContain(EXTRA_FILE);
  });

  it('has a preview that says it is broken and lists every problem (no 404)', async () => {
    const res = await hr.get(`/hr/courses/${BROKEN}/translations/es`, { 'accept-language': 'en' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('The Spanish translation of this course is broken');
    expect(res.body).toContain(EXTRA_FILE);
    expect(res.body).toContain('translation-broken/i18n/es/decision-tree.yaml:2 nodes: tree node');
    expect(res.body.match(/<li><code>/g)).toHaveLength(12);
    const lesson = await hr.get(`/hr/courses/${BROKEN}/translations/es/lessons/basics`);
    expect(lesson.statusCode).toBe(200);
    expect(lesson.body).toContain('The Spanish translation of this course is broken');
  });

  it('is never served: a Spanish learner gets the English course with the "not available" notice', async () => {
    await createUser(t.app, { email: 'broken-es@example.com', locale: 'es' });
    const learner = await loginAs(t.app, 'broken-es@example.com');
    const lesson = await learner.get(`/learn/${BROKEN}/lessons/basics`, { 'accept-language': 'es' });
    expect(lesson.statusCode).toBe(200);
    expect(lesson.body).toContain('Think first');
    expect(lesson.body).not.toContain('Piensa primero');
    expect(lesson.body).toContain('Este curso aún no está disponible en español');
    expect(t.app.catalogue.inLanguage(BROKEN, 'es')).toEqual({ fallback: 'missing' });
  });
});

describe('a partial translation made from an older source version', () => {
  it('is reported both partial and out of date', async () => {
    expect(t.app.catalogue.translationsOf(TRANSLATED)).toEqual([
      {
        language: 'ar',
        broken: false,
        complete: false,
        current: false,
        fallback: 'partial',
        lessons: 1,
      },
      { language: 'es', broken: false, complete: true, current: true, fallback: undefined, lessons: 2 },
    ]);
    const res = await hr.get(`/hr/courses/${TRANSLATED}/settings`, { 'accept-language': 'en' });
    expect(res.body).toContain(
      'Arabic: partial (1 lesson) · out of date; learners who use Arabic get English.',
    );
    expect(res.body).toContain('Spanish: complete · up to date; learners who use Spanish get it.');
  });

  it('is still not served: an Arabic learner gets English with the "partly translated" notice', async () => {
    expect(t.app.catalogue.inLanguage(TRANSLATED, 'ar')).toEqual({ fallback: 'partial' });
  });
});
