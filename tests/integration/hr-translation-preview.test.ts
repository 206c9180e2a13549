import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';

// HR's read-only preview of a course translation (issue #26): the Arabic translation is partial, so
// learners never see it; HR reads its lessons with the learner's lesson template, right to left.
let t: TestApp;
let hr: Session;
let employee: Session;
const preview = (lang: string, lessonId: string) =>
  `/hr/courses/${COURSE_ID}/translations/${lang}/lessons/${lessonId}`;

beforeAll(async () => {
  t = await createTestApp({ label: 'translation-preview' });
  await createUser(t.app, { email: 'hr.preview@example.test', role: 'hr' });
  await createUser(t.app, { email: 'learner.preview@example.test', role: 'employee' });
  hr = await loginAs(t.app, 'hr.preview@example.test');
  employee = await loginAs(t.app, 'learner.preview@example.test');
});
afterAll(async () => t.close());

describe('HR preview of a course translation', () => {
  it('shows a partial Arabic lesson right to left inside an English page, with a partial banner', async () => {
    const res = await hr.get(preview('ar', 'why-this-policy'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="en" dir="ltr">');
    expect(res.body).toMatch(/<article class="lesson"[^>]* lang="ar" dir="rtl"/);
    expect(res.body).toMatch(/class="[^"]*translation-preview-banner/);
    expect(res.body).toContain('Preview of a partial Arabic translation (3 lessons translated)');
    // The lesson's own text is the Arabic file's, not the English one.
    expect(res.body).toMatch(/[\u0600-\u06FF]{4,}/);
    // Read-only: no feedback form posting into the learner's records.
    expect(res.body).not.toContain('/feedback"');
    // The next translated lesson is previewed too; the pager never leaves the preview for an English lesson.
    expect(res.body).toContain(preview('ar', 'authentic-and-positive'));
  });

  it('says a complete, current translation is complete', async () => {
    const res = await hr.get(preview('es', 'why-this-policy'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<article class="lesson"[^>]* lang="es" dir="ltr"/);
    expect(res.body).toContain('Preview of the complete Spanish translation');
  });

  it('says a complete translation is out of date once a policy version is published', async () => {
    await t.app.db.models.PolicyHead.create({
      _id: COURSE_ID,
      n: 2,
      overlay: { 'SMP-01': { title: 'Scope', summary: 'Scope.', text: 'The policy applies to everyone.' } },
      publishedAt: t.clock.now(),
      note: 'Reworded',
    });
    await t.app.catalogue.refresh({ force: true });
    try {
      const res = await hr.get(preview('es', 'why-this-policy'));
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Preview of an out-of-date Spanish translation');
    } finally {
      await t.app.db.models.PolicyHead.deleteOne({ _id: COURSE_ID });
      await t.app.catalogue.refresh({ force: true });
    }
  });

  it("is linked from HR's course settings, beside each translation's status", async () => {
    const res = await hr.get(`/hr/courses/${COURSE_ID}/settings`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`href="/hr/courses/${COURSE_ID}/translations/ar"`);
    expect(res.body).toContain('Preview the Arabic translation');
  });

  it('starts at the first translated lesson', async () => {
    const res = await hr.get(`/hr/courses/${COURSE_ID}/translations/ar`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(preview('ar', 'why-this-policy'));
  });

  it('answers 404 for a lesson the partial translation does not have, and an unknown course', async () => {
    expect((await hr.get(preview('ar', 'feedback-and-improvement'))).statusCode).toBe(404);
    expect(
      (await hr.get(`/hr/courses/no-such-course/translations/ar/lessons/why-this-policy`)).statusCode,
    ).toBe(404);
  });

  it('refuses learners and languages that are not shipped', async () => {
    expect((await employee.get(preview('ar', 'why-this-policy'))).statusCode).toBe(403);
    expect((await hr.get(preview('xx', 'why-this-policy'))).statusCode).toBe(400);
  });
});
