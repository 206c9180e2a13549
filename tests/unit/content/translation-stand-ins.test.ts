import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultCoursesDir } from '../../../src/content/index.js';
import { readTranslations } from '../../../src/content/translation/index.js';
import { translationProblems } from '../../helpers/translation-problems.js';
import { TempCourse } from './temp-course.js';

/**
 * A translation's stand-ins (translation.yaml `placeholders:`, issue #26): every placeholder its
 * text uses that the source has a stand-in for ("your organisation") needs one in its language, or
 * learners read the English phrase in a translated sentence.
 */
let temp: TempCourse | undefined;
afterEach(async () => {
  await temp?.cleanup();
  temp = undefined;
});

/** A copy of the `translated` fixture with these edits to its languages' translation.yaml. */
async function translatedWith(
  ...edits: [lang: string, find: string, replace: string][]
): Promise<TempCourse> {
  temp = await TempCourse.copyOf('translated');
  for (const [lang, find, replace] of edits) await temp.edit(`i18n/${lang}/translation.yaml`, find, replace);
  return temp;
}

describe('stand-ins in a translation', () => {
  it('the shipped translations have one for every placeholder they use, German with its dative forms', async () => {
    const { translations } = await readTranslations(path.join(defaultCoursesDir, 'social-media-policy'));
    const byLang = new Map(translations.map((t) => [t.language, t.standIns]));
    expect(byLang.get('es')?.['org.name']).toEqual({ phrase: 'tu organización' });
    expect(byLang.get('de')?.['org.name']?.after?.bei).toBe('Ihrer Organisation');
    expect(byLang.get('ar')?.['contact.comms']?.phrase).toBeTruthy();
  });

  it('names a missing stand-in, one for a name without one in the source, and one holding a placeholder', async () => {
    const course = await translatedWith(
      ['es', '  org.name: tu organización\n', ''],
      ['ar', '  org.shortName: مؤسستك\n', '  org.logo: x\n  org.shortName: "{{org.name}}"\n'],
    );
    expect(await translationProblems(course.dir)).toEqual([
      'translated/i18n/ar/translation.yaml:7 placeholders.org.logo: not a placeholder the source has a stand-in for',
      'translated/i18n/ar/translation.yaml:8 placeholders.org.shortName: a stand-in is plain text, without placeholders',
      'translated/i18n/es/translation.yaml:4 placeholders: no stand-in for {{org.name}} (the source says "your organisation" while the profile leaves it empty)',
    ]);
    expect((await readTranslations(course.dir)).translations.map((t) => t.language)).toEqual([]);
  });

  it('a translation without `placeholders:` is told which it needs', async () => {
    const course = await translatedWith([
      'es',
      'placeholders:\n  org.name: tu organización\n  org.shortName: tu organización\n',
      '',
    ]);
    expect(await translationProblems(course.dir)).toEqual([
      'translated/i18n/es/translation.yaml:1: no stand-in for {{org.name}} (the source says "your organisation" while the profile leaves it empty)',
    ]);
  });
});
