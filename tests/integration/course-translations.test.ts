import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as scormExport } from '../../src/cli/commands/scorm-export.js';
import { CliUsageError } from '../../src/cli/types.js';
import { loadCourse } from '../../src/content/index.js';
import { readTranslations } from '../../src/content/translation/index.js';
import { REFRESH_MS } from '../../src/services/courses/index.js';
import { unzip } from '../e2e/scorm-harness.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { cliContext } from '../helpers/cli.js';
import { fixturesDir } from '../unit/content/temp-course.js';

/**
 * The learner gets the course in their page language when a complete, current translation exists,
 * else the source course with a notice, never a mix (fixture: tests/fixtures/courses/translated,
 * Spanish complete, Arabic partial).
 */
const ID = 'translated';
let t: TestApp;

beforeAll(async () => {
  const dir = path.join(fixturesDir, ID);
  const courses = new Map([[ID, await loadCourse(dir)]]);
  const translations = new Map([[ID, (await readTranslations(dir)).translations]]);
  t = await createTestApp({ label: 'course-translations', courses, translations });
  t.clock.set('2026-03-02T09:00:00Z');
});
afterAll(async () => t.close());

let counter = 0;
async function learnerIn(
  lang: string,
): Promise<{ get: (url: string) => ReturnType<Session['get']>; session: Session }> {
  counter += 1;
  const email = `translated-${lang}-${counter}@example.com`;
  await createUser(t.app, { email, locale: lang });
  const session = await loginAs(t.app, email);
  return { get: (url) => session.get(url, { 'accept-language': lang }), session };
}

const SPANISH_NOTICE_OUTDATED = 'La política cambió después de traducir este curso al español';

describe('a course in the learner’s language', () => {
  it('a Spanish learner reads the Spanish lesson and the Spanish guide', async () => {
    const es = await learnerIn('es');
    const lesson = await es.get(`/learn/${ID}/lessons/basics`);
    expect(lesson.statusCode).toBe(200);
    expect(lesson.body).toContain('Haz una pausa antes de publicar');
    expect(lesson.body).not.toContain('Pause before you post');
    expect(lesson.body).not.toContain('{{');
    const guide = await es.get(`/learn/${ID}/decide`);
    expect(guide.body).toContain('¿Trata del trabajo?');
  });

  it('a Spanish learner’s quiz attempt shows the Spanish questions (ids stored, so grading is the same)', async () => {
    const es = await learnerIn('es');
    const started = await es.session.post(`/learn/${ID}/quiz/attempts`, {}, `/learn/${ID}/quiz`);
    expect(started.statusCode).toBe(303);
    const page = (await es.get(`/learn/${ID}/quiz/attempts/1`)).body;
    const spanish = [
      '¿Qué debes hacer',
      'Se pueden compartir',
      '¿Qué es confidencial?',
      '¿Es aceptable',
      '¿Qué parte',
    ];
    const english = [
      'What should you do',
      'Unpublished dates may',
      'Which are confidential?',
      'Is this post acceptable?',
      'Which part is',
    ];
    expect(spanish.filter((p) => page.includes(p)).length).toBe(3);
    expect(english.filter((p) => page.includes(p))).toEqual([]);
  });

  it('an English learner still reads the source, and HR pages use the source course', async () => {
    const en = await learnerIn('en');
    const lesson = await en.get(`/learn/${ID}/lessons/basics`);
    expect(lesson.body).toContain('Pause before you post');
    expect(t.app.courses.get(ID)!.language).toBe('en');
  });

  it('an Arabic learner gets the whole source course with a notice: the Arabic translation is partial', async () => {
    const ar = await learnerIn('ar');
    const lesson = await ar.get(`/learn/${ID}/lessons/basics`);
    expect(lesson.statusCode).toBe(200);
    expect(lesson.body).toContain('Pause before you post');
    expect(lesson.body).not.toContain('توقّف قبل أن تنشر');
    expect(lesson.body).toContain('لم تُترجم هذه الدورة إلى اللغة العربية إلا جزئيًا');
  });

  it('My training (/) shows the course in the page language; an Arabic page the source title with the notice', async () => {
    const es = await learnerIn('es');
    const home = await es.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Publicar en');
    expect(home.body).toContain('Un curso diminuto para las pruebas.');
    expect(home.body).not.toContain('Posting at');
    const ar = await learnerIn('ar');
    const arHome = await ar.get('/');
    expect(arHome.body).toContain('Posting at');
    expect(arHome.body).not.toContain('النشر في');
    expect(arHome.body).toContain('لم تُترجم هذه الدورة إلى اللغة العربية إلا جزئيًا');
  });

  it('after a policy version is published the Spanish learner reads the source with a notice; HR sees it out of date', async () => {
    const flags = { broken: false, current: true };
    expect(t.app.catalogue.translationsOf(ID)).toEqual([
      { language: 'ar', ...flags, complete: false, fallback: 'partial', lessons: 1 },
      { language: 'es', ...flags, complete: true, fallback: undefined, lessons: 2 },
    ]);
    const hr = await loginAs(t.app, 'hr@demo.test');
    const before = await hr.get(`/hr/courses/${ID}/settings`);
    expect(before.body).toContain('Spanish: complete · up to date; learners who use Spanish get it.');
    expect(before.body).toContain(
      'Arabic: partial (1 lesson) · up to date; learners who use Arabic get English.',
    );
    await t.app.db.models.PolicyHead.create({
      _id: ID,
      n: 2,
      overlay: {
        'MP-01': { title: 'Think twice', summary: 'Think again.', text: 'Think twice before posting.' },
      },
      publishedAt: t.clock.now(),
      note: 'Stricter',
    });
    t.clock.advance(REFRESH_MS);
    try {
      const es = await learnerIn('es');
      const lesson = await es.get(`/learn/${ID}/lessons/basics`);
      expect(lesson.body).toContain('Pause before you post');
      expect(lesson.body).not.toContain('Haz una pausa');
      expect(lesson.body).toContain(SPANISH_NOTICE_OUTDATED);
      expect(t.app.catalogue.translationsOf(ID)[1]).toEqual({
        language: 'es',
        broken: false,
        complete: true,
        current: false,
        fallback: 'outdated',
        lessons: 2,
        clausesToTranslate: 2, // HR can translate the changed clause in the app (policy-translations.test.ts)
      });
    } finally {
      await t.app.db.models.PolicyHead.deleteOne({ _id: ID });
      await t.app.catalogue.refresh({ force: true });
    }
  });
});

describe('scorm:export --lang', () => {
  const exportIn = async (lang: string) => {
    const out = path.join(await mkdtemp(path.join(tmpdir(), 'scorm-lang-')), 'package.zip');
    const { ctx } = cliContext(t);
    await scormExport.run(ctx, { positionals: [ID], flags: { format: 'scorm2004', out, lang } });
    return unzip(await readFile(out));
  };

  it('builds the package in a complete, current translation: its text, <html lang dir>', async () => {
    const files = await exportIn('es');
    const page = files.get('index.html')!.toString();
    expect(page).toContain('<html lang="es" dir="ltr">');
    expect(page).toContain('Haz una pausa antes de publicar');
    expect(page).not.toContain('Pause before you post');
    expect(page).toContain('Guardar y salir');
    expect(page).toContain(`data-verdict="unacceptable" aria-pressed="false">No aceptable<`);
  });

  it('refuses a partial, unknown or source-only language with a clear message', async () => {
    await expect(exportIn('ar')).rejects.toThrow(
      new CliUsageError(
        'the ar translation of "translated" is partial (only some lessons); a package must be all one language',
      ),
    );
    await expect(exportIn('fr')).rejects.toThrow(new CliUsageError('--lang must be one of: en, es, de, ar'));
  });
});
