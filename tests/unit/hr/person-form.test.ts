import { describe, expect, it } from 'vitest';
import {
  adminRoleErrors,
  formFromPerson,
  type PersonForm,
  validatePersonForm,
} from '../../../src/domain/person-form.js';
import { translator } from '../../../src/i18n/translator.js';
import { localisedErrors } from '../../../src/routes/field-errors.js';

const form: PersonForm = {
  email: ' Ann@Example.com ',
  name: '  Ann   Lee ',
  employeeId: 'E-1',
  department: ' Sales ',
  managerEmail: '',
  hireDate: '2026-01-05',
  locale: 'de-CH',
  role: 'employee',
  active: 'yes',
};

describe('HR person form rules', () => {
  it('cleans a good form into the person', () => {
    const checked = validatePersonForm(form, { id: null, found: true });
    expect(checked).toEqual({
      input: {
        email: 'ann@example.com',
        name: 'Ann Lee',
        employeeId: 'E-1',
        department: 'Sales',
        managerId: null,
        hireDate: new Date('2026-01-05T00:00:00Z'),
        locale: 'de',
        active: true,
        region: null,
        role: 'employee',
      },
    });
  });

  it('takes a region code in any case, and refuses one that is not a profile region', () => {
    const checked = validatePersonForm({ ...form, region: 'UK' }, { id: null, found: true });
    expect('input' in checked && checked.input.region).toBe('uk');
    const refused = validatePersonForm({ ...form, region: 'fr' }, { id: null, found: true });
    expect('errors' in refused && refused.errors.map((e) => e.field)).toEqual(['region']);
  });

  it('refuses a region the organisation profile does not enable, naming the ones it does; any while it names none', () => {
    const refused = validatePersonForm({ ...form, region: 'us' }, { id: null, found: true }, ['uk', 'eu']);
    expect('errors' in refused && localisedErrors(translator('en'), refused.errors)).toEqual([
      {
        field: 'region',
        message:
          'The organisation profile does not enable the United States. Choose one of its regions (the United Kingdom or the EU and EEA), or leave it not set.',
      },
    ]);
    // In the page's language: the domain gives region codes, the page words their names.
    expect('errors' in refused && localisedErrors(translator('es'), refused.errors)[0]?.message).toBe(
      'El perfil de la organización no activa Estados Unidos. Elige una de sus regiones (el Reino Unido o la UE y el EEE), o déjala sin indicar.',
    );
    expect('errors' in refused && localisedErrors(translator('de'), refused.errors)[0]?.message).toBe(
      'Das Organisationsprofil aktiviert keine Hinweise für Beschäftigte in den Vereinigten Staaten. Wählen Sie eine seiner Regionen (für Beschäftigte im Vereinigten Königreich oder in der EU und im EWR) oder lassen Sie das Feld leer.',
    );
    const ok = validatePersonForm({ ...form, region: 'EU' }, { id: null, found: true }, ['uk', 'eu']);
    expect('input' in ok && ok.input.region).toBe('eu');
    const unset = validatePersonForm({ ...form, region: '' }, { id: null, found: true }, ['uk']);
    expect('input' in unset && unset.input.region).toBe(null);
    const anyWhileNone = validatePersonForm({ ...form, region: 'us' }, { id: null, found: true }, []);
    expect('input' in anyWhileNone && anyWhileNone.input.region).toBe('us');
  });

  it('uses the same employee ID and locale rules as the CSV import', () => {
    const checked = validatePersonForm(
      { ...form, employeeId: '-bad', locale: 'english' },
      { id: null, found: true },
    );
    expect('errors' in checked && checked.errors.map((e) => e.field)).toEqual(['employeeId', 'locale']);
  });

  it('lets only an administrator grant or take away the administrator role', () => {
    expect(adminRoleErrors('hr', 'admin', null)).toHaveLength(1);
    expect(adminRoleErrors('hr', 'employee', 'admin')).toHaveLength(1);
    expect(adminRoleErrors('hr', 'hr', 'employee')).toEqual([]);
    expect(adminRoleErrors('admin', 'admin', 'employee')).toEqual([]);
  });

  it('fills the form from a person, an inactive one without the box ticked', () => {
    const person = {
      email: 'a@x.io',
      name: 'A',
      department: 'Ops',
      hireDate: new Date('2026-02-03T00:00:00Z'),
      locale: 'en',
      role: 'hr' as const,
      active: false,
    };
    expect(formFromPerson(person, 'm@x.io')).toEqual({
      email: 'a@x.io',
      name: 'A',
      employeeId: '',
      department: 'Ops',
      managerEmail: 'm@x.io',
      hireDate: '2026-02-03',
      locale: 'en',
      region: '',
      role: 'hr',
    });
  });
});
