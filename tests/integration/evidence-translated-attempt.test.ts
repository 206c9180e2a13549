import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Course } from '../../src/domain/course.js';
import { runInCourseLanguage } from '../../src/services/courses/course-language.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, type TestApp } from '../helpers/app.js';
import { cycleOf, takeQuiz } from './records-helpers.js';

/**
 * The evidence pack of an attempt taken in Spanish (#26 review #7): the attempt stores the Spanish
 * course version, so the pack shows the Spanish wording served and says it is from the same version.
 */
let t: TestApp;
let spanish: Course;

beforeAll(async () => {
  t = await createTestApp({ label: 'evidence-translated-attempt', seed: false });
  t.clock.set('2026-03-02T09:00:00Z');
  const es = t.app.catalogue.inLanguage(COURSE_ID, 'es');
  if (!es.course) throw new Error(`the Spanish course is not served: ${es.fallback}`);
  spanish = es.course;
});
afterAll(async () => t.close());

describe('the evidence pack of a Spanish attempt', () => {
  it('shows the Spanish prompts and marks them as the same version', async () => {
    const user = await createUser(t.app, { email: 'lucia@lang.test', name: 'Lucía', locale: 'es' });
    const learner = { id: user._id, department: 'Sales' };
    // As on a Spanish learner page: the course lookups answer in Spanish.
    await runInCourseLanguage({ language: () => 'es', fallbacks: new Map() }, () =>
      takeQuiz(t.app, learner, true),
    );
    const cycle = await cycleOf(t.app, learner);
    const pack = await t.app.services.records.buildEvidencePack({
      userId: user._id,
      courseId: COURSE_ID,
      n: cycle.n,
    });
    const attempt = pack!.attempts[0]!;
    expect(attempt.contentVersion).toBe(spanish.version);
    expect(attempt.questionTextFromSameVersion).toBe(true);
    const first = attempt.questions[0]!;
    expect(first.prompt).toBe(spanish.questions.find((q) => q.id === first.questionId)!.prompt);
  });
});
