/**
 * Issue #26, evidence in the learner's language, in Chromium: a learner whose browser asks for
 * Spanish reads the course in Spanish, signs the Spanish policy text and downloads a Spanish
 * certificate. Lessons, quiz and attestation all go through the browser; the quiz is answered by
 * form ids and the course files' answer key (support/quiz-by-id.ts), never by matching text.
 */
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptKey } from '../../../src/db/keys.js';
import type { AttestationDoc } from '../../../src/db/models/records.js';
import { COURSE_ID } from '../../factories.js';
import { createUser } from '../../helpers/app.js';
import { launchChromium } from '../../helpers/browser.js';
import { pdfFlowedText } from '../../helpers/pdf-text.js';
import { course, cycleOf } from '../../integration/records-helpers.js';
import { type E2EServer, startE2EServer } from '../support/app-server.js';
import { follow, signIn, tickAnswers, WAIT } from '../support/journey.js';
import { plannedAnswersById } from '../support/quiz-by-id.js';

let server: E2EServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2EServer('spanish-certificate'), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a Spanish learner', () => {
  it('completes the course in Spanish and downloads a Spanish certificate', async () => {
    const base = server.baseUrl;
    const name = 'Lucía Fernández';
    const email = 'lucia@es.test';
    // No language chosen: the browser's Accept-Language picks Spanish.
    const user = await createUser(server.app, { email, name, locale: '' });
    const context = await browser.newContext({ locale: 'es-ES', acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, base, email);

    const spanish = server.app.catalogue.inLanguage(COURSE_ID, 'es').course!;
    for (const lesson of spanish.lessons) {
      await page.goto(`${base}/learn/${COURSE_ID}/lessons/${lesson.id}`);
      expect(await page.textContent('h1')).toContain(lesson.title);
    }
    const learner = { id: user._id, department: 'Sales' };

    // The quiz, started and answered on the Spanish page.
    const quiz = `${base}/learn/${COURSE_ID}/quiz`;
    await page.goto(quiz);
    await follow(page, 'form[action$="/quiz/attempts"] button', /\/quiz\/attempts\/1$/);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    const submit = '.quiz-actions button:not([formaction])';
    expect((await page.textContent(submit))?.trim()).toBe('Enviar respuestas');
    const attemptId = attemptKey((await cycleOf(server.app, learner))._id, 1);
    await tickAnswers(page, await plannedAnswersById(page, server.app, attemptId, true));
    await follow(page, submit, /\/quiz\/attempts\/1\/result$/);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    expect((await page.textContent('#score-title'))?.trim()).toBe('Has aprobado');

    await page.goto(`${base}/learn/${COURSE_ID}/attest`);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    expect(await page.textContent('main')).toContain(spanish.clauses[0]!.title);
    await page.fill('#typedName', name);
    await page.check('#agreed');
    await follow(page, 'form[action$="/attest"] button[type="submit"]');
    await page.waitForSelector('#cert-title', WAIT);

    const attestation = await server.app.db.models.Attestation.findById(
      (await cycleOf(server.app, learner))._id,
    ).lean<AttestationDoc>();
    expect(attestation).toMatchObject({ language: 'es', contentVersion: spanish.version });
    expect(attestation!.contentVersion).not.toBe(course(server.app).version);

    const code = (await page.textContent('#cert-title ~ p code'))!.trim();
    const href = `/certificates/${code}.pdf`;
    const [download] = await Promise.all([
      page.waitForEvent('download', WAIT),
      page.click(`a[href="${href}"]`),
    ]);
    const text = await pdfFlowedText(await readFile((await download.path())!));
    expect(text).toContain('Certificado de finalización');
    expect(text).toContain('ha completado la formación');
    expect(text).toContain(name);
    expect(text).toContain(spanish.title);
    await context.close();
  });
});
