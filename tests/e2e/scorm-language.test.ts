import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCoursesDir } from '../../src/content/index.js';
import { readTranslations } from '../../src/content/translation/index.js';
import type { Course } from '../../src/domain/course.js';
import { resolveCourse, servedPlaceholderValues } from '../../src/domain/course-resolve.js';
import { DEFAULT_PROFILE } from '../../src/domain/org-profile.js';
import { BASELINE_OVERLAY } from '../../src/domain/policy-version.js';
import { answerQuiz, launch } from './scorm-harness.js';
import { lmsData, openPlayer, useScoBrowser } from './scorm-run.js';

// A package built in Spanish (issue #26): the runtime's own words (question counter, missing
// answers, the result) come from the scormRuntime catalogue in the package's language.

let browser: Browser;
let spanish: Course;
const runs = useScoBrowser((_course, b) => {
  browser = b;
});
beforeAll(async () => {
  const { translations } = await readTranslations(`${defaultCoursesDir}/social-media-policy`);
  const template = translations.find((t) => t.language === 'es')!.course!;
  spanish = resolveCourse(template, {
    values: servedPlaceholderValues(DEFAULT_PROFILE),
    overlay: BASELINE_OVERLAY,
  });
});

describe('a Spanish SCORM package in Chromium', () => {
  it('counts questions, names a missing answer and gives the result in Spanish', async () => {
    const run = await openPlayer(browser, spanish, 'scorm2004', 'failed');
    runs.push(run);
    const sco = await launch(run.page, run.base, { preload: lmsData('scorm2004', spanish) });
    await sco.click('a[data-goto="quiz"]');
    await sco.click('#quiz-start');
    const total = spanish.quiz.questionsPerAttempt;
    expect(await sco.textContent('#question-0 > legend')).toBe(`Pregunta 1 de ${total}`);
    await sco.click('#quiz-submit');
    expect(await sco.textContent('#quiz-errors-list li:first-child')).toBe('Falta responder a la pregunta 1');

    await answerQuiz(sco, spanish, () => false);
    await sco.click('#quiz-submit');
    await sco.waitForSelector('#result-summary');
    const summary = (await sco.textContent('#result-summary')) ?? '';
    expect(summary).toContain('Has obtenido un 0 %.');
    expect(summary).toContain(`Para aprobar se necesita un ${spanish.quiz.passingScore} %.`);
    expect(summary).toContain(`te quedan ${spanish.quiz.maxAttempts - 1} intentos`);
    expect(summary).not.toMatch(/You scored|pass mark|attempts? left/);
  });
});
