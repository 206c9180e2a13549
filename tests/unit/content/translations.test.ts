import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCourseFiles } from '../../../src/content/course-files.js';
import { defaultCoursesDir, formatIssue, loadCourse } from '../../../src/content/index.js';
import { readTranslations } from '../../../src/content/translation/index.js';
import { translationProblems } from '../../helpers/translation-problems.js';
import { fixturesDir, TempCourse } from './temp-course.js';

let temp: TempCourse | undefined;
afterEach(async () => {
  await temp?.cleanup();
  temp = undefined;
});

describe('course translations (courses/<id>/i18n/<lang>/)', () => {
  it('loads a complete translation as the same course in its language, and a partial one as lessons only', async () => {
    const dir = path.join(fixturesDir, 'translated');
    const source = await loadCourse(dir);
    const { translations, issues } = await readTranslations(dir);
    expect(issues).toEqual([]);
    const es = translations.find((t) => t.language === 'es')!;
    const ar = translations.find((t) => t.language === 'ar')!;
    expect(es.status).toBe('complete');
    expect(es.course?.language).toBe('es');
    expect(es.course?.title).toBe('Publicar en {{org.name}}');
    expect(es.course?.lessons.map((l) => l.id)).toEqual(source.lessons.map((l) => l.id));
    // Answer keys identical, so grading stored ids works in any language.
    const key = (c: typeof source) =>
      c.questions.map((q) => JSON.stringify([q.id, q.type, q.clauses, 'options' in q ? q.options : null]));
    expect(key(es.course!).length).toBe(source.questions.length);
    expect(es.course!.questions.map((q) => q.id)).toEqual(source.questions.map((q) => q.id));
    expect(es.course!.version).not.toBe(source.version);
    expect(ar).toMatchObject({ status: 'partial', lessons: ['basics'] });
    expect(ar.course).toBeUndefined();
  });

  it('keeps i18n/ out of the source course: same version, no unknown-file complaint', async () => {
    temp = await TempCourse.copyOf('translated');
    const withTranslations = await loadCourse(temp.dir);
    await temp.remove('i18n/es/quiz.yaml');
    await temp.write('i18n/es/notes.txt', 'anything');
    expect((await loadCourse(temp.dir)).version).toBe(withTranslations.version);
    expect((await readCourseFiles(temp.dir)).texts.has('i18n/es/course.yaml')).toBe(false);
  });

  it('names every structural difference with file:line', async () => {
    expect(await translationProblems(path.join(fixturesDir, 'translation-broken'))).toEqual([
      'translation-broken/i18n/es/decision-tree.yaml:2 nodes: tree node "ask" is missing (the source has it)',
      `translation-broken/i18n/es/examples.yaml:9 examples[0].clauses: is ["MP-02"] but the source has ["MP-01"] (keep the source's value)`,
      'translation-broken/i18n/es/lessons/01-basics.md:8: is a level-2 heading with {clauses: MP-01} but the source has a level-1 heading without a clause tag here (tests/fixtures/courses/translation-broken/lessons/01-basics.md:8)',
      'translation-broken/i18n/es/lessons/02-sharing.md: file is missing (the source has it)',
      'translation-broken/i18n/es/lessons/03-extra.md: file is extra (not in the source)',
      'translation-broken/i18n/es/policy.yaml:1 title: placeholders differ from the source: {{org.name}} is missing',
      'translation-broken/i18n/es/policy.yaml:2 clauses: clause "MP-02" is missing (the source has it)',
      'translation-broken/i18n/es/quiz.yaml:8 questions[0].options: option "b" is missing (the source has it)',
      `translation-broken/i18n/es/quiz.yaml:18 questions[1].options[1].correct: is false but the source has true (keep the source's value)`,
      `translation-broken/i18n/es/quiz.yaml:20 questions[2].type: is "single" but the source has "multiple" (keep the source's value)`,
      `translation-broken/i18n/es/quiz.yaml:40 questions[3].verdict: is "acceptable" but the source has "unacceptable" (keep the source's value)`,
      'translation-broken/i18n/es/quiz.yaml:56 questions[5].id: question "q-extra" is extra (not in the source)',
    ]);
  });

  it('keeps a translation that fails the check as broken, with its problems (for HR), never as servable', async () => {
    const { translations, broken } = await readTranslations(path.join(fixturesDir, 'translation-broken'));
    expect(translations).toEqual([]);
    expect(broken.map((b) => b.language)).toEqual(['es']);
    const problems = broken[0]!.problems.map((p) => p.replace(/^.*?\/(?=[^/]+\/i18n\/)/, ''));
    expect(problems).toHaveLength(12);
    expect(problems[0]).toBe(
      'translation-broken/i18n/es/decision-tree.yaml:2 nodes: tree node "ask" is missing (the source has it)',
    );
    expect(problems).toContain(
      'translation-broken/i18n/es/lessons/03-extra.md: file is extra (not in the source)',
    );
    expect((await readTranslations(path.join(fixturesDir, 'translated'))).broken).toEqual([]);
  });

  it('checks placeholders per lesson section and the translation.yaml itself', async () => {
    temp = await TempCourse.copyOf('translated');
    await temp.edit(
      'i18n/es/lessons/01-basics.md',
      'publicar sobre {{org.name}}',
      'publicar sobre {{org.shortName}}',
    );
    await temp.edit('i18n/ar/translation.yaml', 'lessons: [basics]', 'lessons: [basics, nowhere]');
    expect(await translationProblems(temp.dir)).toEqual([
      'translated/i18n/ar/translation.yaml lessons: the source has no lesson "nowhere"',
      "translated/i18n/es/lessons/01-basics.md:8: this section's placeholders differ from the source: {{org.name}} is missing, {{org.shortName}} is not in the source",
    ]);
  });

  it("compares the text before a lesson's first heading as a section of its own", async () => {
    temp = await TempCourse.copyOf('translated');
    await temp.edit(
      'i18n/es/lessons/01-basics.md',
      '---\n\n# Piensa primero',
      '---\n\nPregunta al equipo de {{org.name}} si dudas.\n\n# Piensa primero',
    );
    expect(await translationProblems(temp.dir)).toEqual([
      "translated/i18n/es/lessons/01-basics.md:7: this section's placeholders differ from the source: {{org.name}} is not in the source",
    ]);
  });

  it('lets a partial translation leave out what its lessons do not need, but not what they cite', async () => {
    temp = await TempCourse.copyOf('translated');
    await temp.edit('i18n/ar/translation.yaml', 'lessons: [basics]', 'lessons: [basics, sharing]');
    expect(await translationProblems(temp.dir)).toEqual([
      'translated/i18n/ar/lessons/02-sharing.md: file is missing (the source has it)',
      'translated/i18n/ar/policy.yaml:2 clauses: clause "MP-02" is missing (the source has it)',
    ]);
  });

  it('does not hold a translation to the source bank quality rules (option lengths)', async () => {
    temp = await TempCourse.copyOf('translated');
    await temp.edit(
      'i18n/es/quiz.yaml',
      'text: Pensar, correct: true',
      'text: Pensar con calma en quién leerá la publicación y qué podría deducir de ella, correct: true',
    );
    expect(await translationProblems(temp.dir)).toEqual([]);
  });

  it('the shipped translations pass: Spanish and German complete, Arabic partial (lessons 1–3)', async () => {
    const { translations, issues } = await readTranslations(
      path.join(defaultCoursesDir, 'social-media-policy'),
    );
    expect(issues.map(formatIssue)).toEqual([]);
    const summary = translations.map((t) => [t.language, t.status, t.lessons.length, t.course?.language]);
    expect(summary).toEqual([
      ['ar', 'partial', 3, undefined],
      ['de', 'complete', 8, 'de'],
      ['es', 'complete', 8, 'es'],
    ]);
  });

  it('renders scenario and notice chrome in the translation’s language (no English steps, outcomes, "For staff in")', async () => {
    const { translations } = await readTranslations(path.join(defaultCoursesDir, 'social-media-policy'));
    const ENGLISH = [
      'Step 1',
      'Good choice',
      'Partly right',
      'Poor choice',
      'Go to ',
      'End of the scenario',
      'For staff in',
      'Notice: ',
    ];
    const expected = {
      es: [
        'Paso 1',
        'Para el personal en Estados Unidos',
        'Para el personal en el Reino Unido y la UE y el EEE',
        'Ir al Paso 2',
      ],
      de: [
        'Schritt 1',
        'Für Beschäftigte in den Vereinigten Staaten',
        'Für Beschäftigte im Vereinigten Königreich und in der EU und im EWR',
        'Weiter zu Schritt 2',
      ],
    };
    for (const lang of ['es', 'de'] as const) {
      const html = translations
        .find((t) => t.language === lang)!
        .course!.lessons.map((l) => l.html)
        .join('\n');
      for (const english of ENGLISH) expect(html, `${lang}: ${english}`).not.toContain(english);
      for (const phrase of expected[lang]) expect(html, lang).toContain(phrase);
    }
    const source = await loadCourse(path.join(defaultCoursesDir, 'social-media-policy'));
    const sourceHtml = source.lessons.map((l) => l.html).join('\n');
    for (const english of ['Step 1: ', 'Good choice', 'For staff in the United States'])
      expect(sourceHtml).toContain(english);
  });
});
