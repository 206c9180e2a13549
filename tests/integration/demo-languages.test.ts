import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPDATED_CLAUSE } from '../../src/services/demo/policy-update.js';
import { createTestApp, loginAs, type TestApp } from '../helpers/app.js';

/**
 * The demo publishes policy version 2 in the app (clause 2 changed), which makes every course
 * translation out of date; HR's Spanish and German wording of that change brings them back, so a
 * Spanish or German demo learner gets the whole course in their language, with the new clause 2.
 */
let t: TestApp;

beforeAll(async () => {
  // The app loads and checks courses/ and its translations itself, as server.ts does (every other
  // test app gets the run's copy loaded once by the global setup, tests/helpers/global-content.ts).
  t = await createTestApp({ label: 'demo-languages', contentFrom: 'disk' });
  await t.app.services.demo.seedDemoTraining({ now: t.clock.now() });
});
afterAll(async () => t.close());

const COURSE = 'social-media-policy';

describe('the demo in Spanish and German', () => {
  it.each([
    ['es', 'las historias efímeras también se graban', 'La política cambió'],
    ['de', 'auch verschwindende Storys werden aufgezeichnet', 'Die Richtlinie hat sich'],
  ])(
    'a %s learner gets the course in that language with version 2’s clause',
    async (lang, newWording, outdated) => {
      await t.app.catalogue.refresh({ force: true });
      const served = t.app.catalogue.inLanguage(COURSE, lang as 'es' | 'de');
      expect(served.fallback).toBeUndefined();
      expect(served.course?.language).toBe(lang);
      expect(served.course?.clauses.find((c) => c.id === UPDATED_CLAUSE)?.text).toContain(newWording);
      const session = await loginAs(t.app, 'employee@demo.test');
      const lesson = await session.get(`/learn/${COURSE}/lessons/why-this-policy`, {
        'accept-language': lang,
      });
      expect(lesson.statusCode).toBe(200);
      expect(lesson.body).toContain(`lang="${lang}"`);
      expect(lesson.body).not.toContain(outdated);
    },
  );

  it('HR sees the demo’s clause translations as current', async () => {
    const hr = await loginAs(t.app, 'hr@demo.test');
    const page = await hr.get(`/hr/courses/${COURSE}/policy/translations/es`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(UPDATED_CLAUSE);
    expect(page.body).toContain('las historias efímeras también se graban');
  });
});
