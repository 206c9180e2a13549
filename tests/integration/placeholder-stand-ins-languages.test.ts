/**
 * Stand-ins in a translated course's language (issue #26): before an admin saves the organisation
 * profile, or while a field is empty, a placeholder says a neutral phrase ("your organisation", "the
 * HR contact"). A translated course says it in its own language, from its translation.yaml
 * `placeholders:` (German in the case its sentence needs: "bei Ihrer Organisation"), never the English.
 * The English course keeps its English stand-ins. The demo's saved profile is deleted: none is saved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG_PROFILE_ID } from '../../src/db/keys.js';
import { PLACEHOLDER_FALLBACKS } from '../../src/domain/course-resolve.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type TestApp } from '../helpers/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ label: 'placeholder-stand-ins' });
  // The demo seed saves Kestrel Works' profile (users are needed to sign in): back to a fresh organisation.
  await t.app.db.models.OrgProfile.deleteOne({ _id: ORG_PROFILE_ID });
  await t.app.catalogue.refresh({ force: true });
});
afterAll(async () => t.close());

const ENGLISH = [...new Set(PLACEHOLDER_FALLBACKS.values())];
const englishIn = (text: string) =>
  ENGLISH.filter((phrase) => text.toLowerCase().includes(phrase.toLowerCase()));

const servedIn = (lang: 'es' | 'de') => {
  const served = t.app.catalogue.inLanguage(COURSE_ID, lang);
  if (!served.course) throw new Error(`${lang} not served: ${served.fallback}`);
  return JSON.stringify(served.course);
};

let counter = 0;
async function lessonPage(lang: 'es' | 'de', lessonId: string) {
  counter += 1;
  const email = `stand-in-${lang}-${counter}@example.com`;
  await createUser(t.app, { email });
  const session = await loginAs(t.app, email);
  const res = await session.get(`/learn/${COURSE_ID}/lessons/${lessonId}`, { 'accept-language': lang });
  expect(res.statusCode).toBe(200);
  return res.body;
}

describe('stand-ins in a translated course, no profile saved', () => {
  it('the English course keeps its English stand-ins', () => {
    const english = JSON.stringify(t.app.courses.get(COURSE_ID));
    expect(english).toContain('your organisation');
    expect(english).toContain('the HR contact');
  });

  it('the Spanish course says every stand-in in Spanish', async () => {
    const course = servedIn('es');
    expect(englishIn(course)).toEqual([]);
    expect(course).toContain('Nadie en tu organización quiere');
    expect(course).not.toMatch(/(?<!\p{L})a el(?!\p{L})/u);
    const page = await lessonPage('es', 'who-shaped-the-policy');
    expect(englishIn(page)).toEqual([]);
    expect(page).toContain('tu contacto de RR. HH.');
  });

  it('the German course says them in German, in the case each sentence needs', async () => {
    const course = servedIn('de');
    expect(englishIn(course)).toEqual([]);
    expect(course).toContain('Niemand bei Ihrer Organisation möchte');
    expect(course).not.toMatch(/\b(?:bei|von|zu|mit|gegenüber) Ihre /);
    const page = await lessonPage('de', 'who-shaped-the-policy');
    expect(englishIn(page)).toEqual([]);
    expect(page).toContain('Was Ihre Organisation tut');
  });

  it("HR's preview of the Arabic lessons says them in Arabic", async () => {
    const hr = await loginAs(t.app, 'hr@demo.test');
    for (const lesson of ['why-this-policy', 'authentic-and-positive', 'confidential-information']) {
      const res = await hr.get(`/hr/courses/${COURSE_ID}/translations/ar/lessons/${lesson}`);
      expect(res.statusCode).toBe(200);
      expect(englishIn(res.body)).toEqual([]);
      expect(res.body).toContain('مؤسستك');
    }
  });
});
