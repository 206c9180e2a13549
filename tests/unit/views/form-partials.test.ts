import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { createEta } from '../../../src/plugins/views.js';

const eta = createEta(false);
const render = (partial: string, data: Record<string, unknown>) =>
  new JSDOM(`<form>${eta.render(`/partials/form/${partial}`, data)}</form>`).window.document;

describe('the shared form partials', () => {
  it('puts each radio beside its label, with hint and error wired to the fieldset', () => {
    const doc = render('radios', {
      name: 'role',
      legend: 'Role',
      hint: 'What they may do',
      error: 'Choose a role',
      items: [
        { value: 'employee', label: 'Employee', checked: true },
        { value: 'hr', label: 'HR', hint: 'Sees everyone' },
      ],
      inline: true,
    });
    const fieldset = doc.querySelector('fieldset');
    expect(fieldset?.querySelector('legend')?.textContent).toBe('Role');
    expect(fieldset?.getAttribute('aria-describedby')).toBe('role-hint role-error');
    expect(doc.getElementById('role-error')?.textContent).toBe('Choose a role');
    expect(doc.querySelector('.radios')?.className).toBe('radios radios-inline');
    const items = [...doc.querySelectorAll('.radios-item')];
    expect(items).toHaveLength(2);
    for (const item of items) {
      const input = item.querySelector('input.radios-input');
      const label = item.querySelector('label.radios-label');
      expect(input?.nextElementSibling).toBe(label);
      expect(label?.getAttribute('for')).toBe(input?.id);
    }
    // The error summary's #role link lands on the first radio.
    expect(items[0]?.querySelector('input')?.id).toBe('role');
    expect(items[0]?.querySelector('input')?.hasAttribute('checked')).toBe(true);
    expect(items[1]?.querySelector('input')?.getAttribute('aria-describedby')).toBe('role-2-item-hint');
  });

  it('renders a conditional reveal after the label, inside the item, for the CSS :checked rule', () => {
    const doc = render('checkboxes', {
      name: 'target',
      legend: 'Who',
      items: [{ value: 'some', label: 'Some people', conditional: '<p id="inner">Pick them</p>' }],
    });
    const input = doc.querySelector('input.checkboxes-input');
    const conditional = doc.getElementById('conditional-target');
    expect(input?.getAttribute('type')).toBe('checkbox');
    expect(input?.getAttribute('data-aria-controls')).toBe('conditional-target');
    expect(conditional?.className).toBe('checkboxes-conditional');
    expect(conditional?.parentElement).toBe(input?.parentElement);
    expect(conditional?.querySelector('#inner')?.textContent).toBe('Pick them');
  });

  it('escapes every value', () => {
    const doc = render('radios', {
      name: 'x',
      legend: '<b>L</b>',
      items: [{ value: '"><script>', label: '<i>x</i>' }],
    });
    expect(doc.querySelector('script')).toBeNull();
    expect(doc.querySelector('legend')?.textContent).toBe('<b>L</b>');
    expect(doc.querySelector('label')?.textContent).toBe('<i>x</i>');
  });

  it('wires an input to its hint and error and passes number limits', () => {
    const doc = render('input', {
      name: 'graceDays',
      label: 'Grace',
      type: 'number',
      value: '7',
      hint: 'Days',
      error: { message: 'Too many' },
      min: 0,
      max: 365,
      width: 3,
    });
    const input = doc.querySelector('input');
    expect(input?.id).toBe('graceDays');
    expect(input?.getAttribute('type')).toBe('number');
    expect(input?.getAttribute('min')).toBe('0');
    expect(input?.getAttribute('max')).toBe('365');
    expect(input?.getAttribute('aria-describedby')).toBe('graceDays-hint graceDays-error');
    expect(input?.getAttribute('aria-invalid')).toBe('true');
    expect(input?.className).toBe('input input-width-3');
    expect(doc.querySelector('label')?.getAttribute('for')).toBe('graceDays');
    expect(doc.getElementById('graceDays-error')?.textContent).toBe('Too many');
  });

  it('leaves aria-describedby off a field with neither hint nor error', () => {
    const doc = render('input', { name: 'name', label: 'Name', value: 'Ada' });
    expect(doc.querySelector('input')?.hasAttribute('aria-describedby')).toBe(false);
    expect(doc.querySelector('input')?.hasAttribute('aria-invalid')).toBe(false);
  });

  it('selects the option matching value, and renders a textarea with its value', () => {
    const select = render('select', {
      name: 'region',
      label: 'Region',
      value: 'fr',
      items: [
        { value: '', label: 'Not set' },
        { value: 'fr', label: 'France' },
      ],
    });
    expect(select.querySelector('option[selected]')?.textContent).toBe('France');
    const area = render('textarea', { name: 'reason', label: 'Reason', value: 'a < b', error: 'Say why' });
    expect(area.querySelector('textarea')?.value).toBe('a < b');
    expect(area.querySelector('textarea')?.getAttribute('aria-describedby')).toBe('reason-error');
  });
});

describe('public/js/forms.js on a conditional reveal', () => {
  it('adds aria-controls, keeps each panel’s hidden state and a checkbox’s aria-expanded in step', async () => {
    const { readFile } = await import('node:fs/promises');
    const script = await readFile(new URL('../../../public/js/forms.js', import.meta.url), 'utf8');
    const html = [
      eta.render('/partials/form/radios', {
        name: 'kind',
        legend: 'Kind',
        items: [
          { value: 'a', label: 'A', checked: true },
          { value: 'b', label: 'B', conditional: '<p>More about B</p>' },
        ],
      }),
      eta.render('/partials/form/checkboxes', {
        name: 'extra',
        legend: 'Extra',
        items: [{ value: 'yes', label: 'Extra', conditional: '<p>Extra details</p>' }],
      }),
    ].join('');
    const dom = new JSDOM(`<form>${html}</form>`, { runScripts: 'outside-only' });
    dom.window.eval(script);
    const doc = dom.window.document;
    doc.dispatchEvent(new dom.window.Event('DOMContentLoaded'));
    const b = doc.getElementById('kind-2') as HTMLInputElement;
    const extra = doc.getElementById('extra') as HTMLInputElement;
    expect(b.getAttribute('aria-controls')).toBe('conditional-kind-2');
    expect(b.hasAttribute('aria-expanded')).toBe(false); // ARIA does not allow it on a radio
    expect(doc.getElementById('conditional-kind-2')?.hidden).toBe(true);
    expect(extra.getAttribute('aria-expanded')).toBe('false');

    b.checked = true;
    b.dispatchEvent(new dom.window.Event('change', { bubbles: true }));
    expect(doc.getElementById('conditional-kind-2')?.hidden).toBe(false);
    extra.checked = true;
    extra.dispatchEvent(new dom.window.Event('change', { bubbles: true }));
    expect(extra.getAttribute('aria-expanded')).toBe('true');
    expect(doc.getElementById('conditional-extra')?.hidden).toBe(false);

    (doc.getElementById('kind') as HTMLInputElement).checked = true;
    doc.getElementById('kind')?.dispatchEvent(new dom.window.Event('change', { bubbles: true }));
    expect(doc.getElementById('conditional-kind-2')?.hidden).toBe(true);
  });
});
