import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Course } from '../../src/domain/course.js';
import { runInCourseLanguage } from '../../src/services/courses/course-language.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type TestApp } from '../helpers/app.js';
import { htmlText } from './quiz-support.js';
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
    expect(attempt.language).toBe('es');
  });

  it('words the verdicts given in the attempt’s language, also on an English page', async () => {
    const lucia = await t.app.db.models.User.findOne({ email: 'lucia@lang.test' }).lean();
    await createUser(t.app, { email: 'hr@lang.test', role: 'hr', locale: 'en' });
    const hr = await loginAs(t.app, 'hr@lang.test');
    const page = await hr.get(`/hr/people/${lucia!._id}/evidence/${COURSE_ID}/1`);
    expect(page.statusCode).toBe(200);
    const text = htmlText(page.body);
    const pack = await t.app.services.records.buildEvidencePack({
      userId: lucia!._id,
      courseId: COURSE_ID,
      n: 1,
    });
    const classify = pack!.attempts[0]!.questions.find((q) => q.answer?.verdict);
    if (!classify?.answer?.verdict) throw new Error('the attempt answered no verdict');
    const reasons = classify.answer.choiceIds.map(
      (id) => classify.choicesShown.find((c) => c.id === id)!.text,
    );
    const spanishLabel = {
      acceptable: 'Aceptable',
      'ask-first': 'Preguntar antes',
      unacceptable: 'No aceptable',
    };
    expect(text).toContain(
      `<td lang="es" dir="ltr">${spanishLabel[classify.answer.verdict]}: ${reasons.join('; ')}</td>`,
    );
    expect(text).not.toMatch(/<td[^>]*>(Acceptable|Ask first|Not acceptable): /);
  });
});
