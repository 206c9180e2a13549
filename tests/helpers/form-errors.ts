import { JSDOM } from 'jsdom';
import { expect } from 'vitest';

/** A page's HTML as a document, to check how its form is wired. */
export const pageDoc = (html: string): Document => new JSDOM(html).window.document;

/**
 * Asserts that a page shows `message` for the field with id `field` the way the shared form partials
 * do: an error-summary link to `#field`, a message with id `<field>-error`, and the field (or, for
 * radios and checkboxes, its fieldset) pointing at the message through aria-describedby.
 */
export function expectLinkedError(html: string, field: string, message: string): void {
  const doc = pageDoc(html);
  const link = doc.querySelector(`#error-summary a[href="#${field}"]`);
  expect(link?.textContent, `summary link to #${field}`).toBe(message);
  expect(doc.getElementById(`${field}-error`)?.textContent?.trim(), `${field}-error`).toBe(message);
  const target = doc.getElementById(field);
  expect(target, `an element with id ${field}`).not.toBeNull();
  const choice = target?.matches('input[type="radio"], input[type="checkbox"]');
  const fieldset = choice ? target?.closest('fieldset.fieldset') : null;
  const describedBy = (fieldset ?? target)?.getAttribute('aria-describedby')?.split(' ') ?? [];
  expect(describedBy, `${field} described by its error`).toContain(`${field}-error`);
  if (!fieldset) expect(target?.getAttribute('aria-invalid')).toBe('true');
}

/** The summary's messages in order, as the page shows them. */
export function summaryMessages(html: string): string[] {
  return [...pageDoc(html).querySelectorAll('#error-summary li')].map((li) => li.textContent?.trim() ?? '');
}

/** An input's type and its min/max/step attributes, or null when the page has no such field. */
export function inputShape(html: string, id: string) {
  const input = pageDoc(html).getElementById(id);
  if (!input) return null;
  const attr = (a: string) => input.getAttribute(a);
  return { type: attr('type'), min: attr('min'), max: attr('max'), step: attr('step') };
}
