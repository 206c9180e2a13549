import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCoursesDir, loadCourse } from '../../src/content/index.js';
import { readTranslations } from '../../src/content/translation/index.js';
import type { Course } from '../../src/domain/course.js';
import type { CourseTranslation } from '../../src/domain/course-translation.js';
import type { Region } from '../../src/domain/org-profile.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { setOrgRegions } from '../helpers/org-regions.js';

/**
 * `{{org.regions}}` in a translated course (#26): filled with the region names in the course's own
 * language (admin.org.region.*, joined by Intl.ListFormat), never the English REGION_LABELS; the
 * source course keeps its English value. The shipped course does not use the placeholder, so the
 * test serves a copy whose summary does, with its Spanish and German translations.
 */
const ID = 'smp-org-regions';
let t: TestApp;

const withSummary = (course: Course, summary: string): Course => ({ ...course, id: ID, summary });

beforeAll(async () => {
  const dir = path.join(defaultCoursesDir, 'social-media-policy');
  const [source, { translations }] = await Promise.all([loadCourse(dir), readTranslations(dir)]);
  const summaries: Record<string, string> = {
    es: 'Para el personal de estas regiones: {{org.regions}}.',
    de: 'Für Beschäftigte an diesen Standorten: {{org.regions}}.',
  };
  const translated: CourseTranslation[] = translations
    .filter((tr) => tr.language in summaries && tr.course)
    .map((tr) => ({ ...tr, course: withSummary(tr.course!, summaries[tr.language]!) }));
  t = await createTestApp({
    label: 'org-regions-placeholder',
    courses: new Map([[ID, withSummary(source, 'For staff in these regions: {{org.regions}}.')]]),
    translations: new Map([[ID, translated]]),
  });
});
afterAll(async () => t.close());

/** The profile's regions, and the catalogue re-read so the served course fills `{{org.regions}}` anew. */
async function setRegions(regions: Region[]) {
  await setOrgRegions(t.app, regions);
  await t.app.catalogue.refresh({ force: true });
}

const summaryIn = (lang: 'es' | 'de') => {
  const served = t.app.catalogue.inLanguage(ID, lang);
  if (!served.course) throw new Error(`${lang} not served: ${served.fallback}`);
  return served.course.summary;
};

describe('{{org.regions}} in a translated course', () => {
  it('names the regions in the course language', async () => {
    await setRegions(['us', 'uk', 'eu']);
    expect(t.app.courses.get(ID)!.summary).toBe(
      'For staff in these regions: United States, United Kingdom, EU/EEA.',
    );
    expect(summaryIn('es')).toBe('Para el personal de estas regiones: Estados Unidos, Reino Unido y UE/EEE.');
    expect(summaryIn('de')).toBe(
      'Für Beschäftigte an diesen Standorten: Vereinigte Staaten, Vereinigtes Königreich und EU/EWR.',
    );
  });

  it('follows a profile change, and says "the countries where you work" in the course language when none is set', async () => {
    await setRegions(['ca']);
    expect(summaryIn('es')).toBe('Para el personal de estas regiones: Canadá.');
    await setRegions([]);
    expect(t.app.courses.get(ID)!.summary).toBe('For staff in these regions: The countries where you work.');
    expect(summaryIn('es')).toBe('Para el personal de estas regiones: los países donde trabajas.');
    expect(summaryIn('de')).toBe('Für Beschäftigte an diesen Standorten: die Länder, in denen Sie arbeiten.');
  });
});
