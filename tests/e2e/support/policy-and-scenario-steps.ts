/**
 * Journey steps for issue #20, shared by the desktop, no-JavaScript and phone journeys: a choice in
 * a lesson's branching scenario (a <details> opened, its consequence read, the link to the next step
 * followed), and the full policy before signing (a clause opened, every clause present, the PDF).
 * Both work without JavaScript: <details> and in-page links are the browser's own.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Course } from '../../../src/domain/course.js';
import { reads, WAIT } from './journey.js';

type Visit = (state?: string, shot?: string) => Promise<void>;

const press = (page: Page, selector: string, mobile: boolean) =>
  mobile ? page.locator(selector).first().tap() : page.locator(selector).first().click();

/** Opens the first choice of the page's scenario that leads on, reads its consequence, goes to the next step. */
export async function playScenarioChoice(page: Page, mobile: boolean, visit: Visit): Promise<void> {
  const choice = page.locator('details.scenario-choice:has(.scenario-next)').first();
  expect(await choice.getAttribute('open')).toBeNull();
  await (mobile ? choice.locator('summary').tap() : choice.locator('summary').click());
  await page.waitForFunction(
    () => document.querySelector('details.scenario-choice:has(.scenario-next)')?.hasAttribute('open'),
    undefined,
    WAIT,
  );
  const consequence = choice.locator('.scenario-consequence');
  expect(await consequence.isVisible()).toBe(true);
  expect((await consequence.textContent())?.trim()).not.toBe('');
  await visit('scenario choice open', 'scenario');
  const link = consequence.locator('.scenario-next a');
  const target = (await link.getAttribute('href'))!;
  expect(target).toMatch(/^#sc-/);
  await (mobile ? link.tap() : link.click());
  await page.waitForURL((url) => url.hash === target, WAIT);
  expect(await page.locator(`section.scenario-step${target}`).isVisible()).toBe(true);
}

/** On the attestation form: every clause is there in full, one opens to its text, the PDF is a PDF. */
export async function readPolicyBeforeSigning(
  page: Page,
  o: { base: string; course: string; mobile: boolean; authored: Course; visit: Visit },
): Promise<void> {
  expect(await page.locator('details.clause').count()).toBe(o.authored.clauses.length);
  const first = o.authored.clauses[0]!;
  const clause = `details#clause-${first.id}`;
  expect(await page.locator(`${clause} .clause-text`).isVisible()).toBe(false);
  await press(page, `${clause} > summary`, o.mobile);
  await page.waitForFunction((sel) => document.querySelector(sel)?.hasAttribute('open'), clause, WAIT);
  const text = (await page.locator(`${clause} .clause-text`).textContent()) ?? '';
  // The authored opening (not cut inside a placeholder), placeholders filled by the server.
  const opening = first.text.slice(0, 80).replace(/\{\{[^}]*$/, '');
  expect(reads(opening, text, true), `${text.slice(0, 120)} reads as ${opening}`).toBe(true);
  await o.visit('clause open', 'attest-clause-open');
  const pdfHref = `${o.course}/policy.pdf`;
  expect(await page.locator(`a[href="${pdfHref}"]`).count()).toBe(1);
  const pdf = await page.context().request.get(`${o.base}${pdfHref}`);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
}

/** From the training record to the text signed: every clause, open, as it was signed. */
export async function reopenAttestedText(
  page: Page,
  o: { base: string; course: string; authored: Course; visit: Visit },
): Promise<void> {
  await Promise.all([
    page.waitForURL(new RegExp(`${o.course}/attested\\?cycle=\\d+$`), WAIT),
    page.locator(`a[href^="${o.course}/attested?cycle="]`).first().click(),
  ]);
  expect(await page.locator('.policy-clauses details.clause[open]').count()).toBe(o.authored.clauses.length);
  await o.visit('', 'attested-text');
}
