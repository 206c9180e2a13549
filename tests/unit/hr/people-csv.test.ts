import { describe, expect, it } from 'vitest';
import type { RowReason } from '../../../src/domain/people-csv.js';
import {
  CsvFormatError,
  type ExistingPerson,
  mapHeader,
  planImport,
  validateRow,
} from '../../../src/domain/people-csv.js';
import { translator } from '../../../src/i18n/translator.js';
import { wordMessage } from '../../../src/i18n/words.js';

/** A row's reasons as the preview words them (English unless told). */
const en = translator('en');
const words = (reasons: readonly RowReason[], t = en) => reasons.map((r) => wordMessage(t, r.key, r.values));

/** Why mapHeader refused a header, as the import page words it in `lang`. */
function refusal(cells: string[], lang: 'en' | 'es' | 'de' = 'en'): string {
  try {
    mapHeader(cells);
  } catch (err) {
    if (!(err instanceof CsvFormatError)) throw err;
    return wordMessage(translator(lang), err.key, err.values);
  }
  throw new Error('the header was accepted');
}

describe('mapHeader', () => {
  it('accepts the usual spellings in any order', () => {
    expect(mapHeader(['Email', 'Full Name', 'employee_id', 'Manager Email', 'Hire-Date', 'active'])).toEqual([
      'email',
      'name',
      'employeeId',
      'managerEmail',
      'hireDate',
      'active',
    ]);
  });
  it('rejects unknown, repeated and missing required columns', () => {
    expect(() => mapHeader(['email', 'name', 'salary'])).toThrow(CsvFormatError);
    expect(refusal(['email', 'name', 'salary'])).toBe('Unknown column "salary" in the header row.');
    expect(refusal(['email', 'name', 'E-mail'])).toMatch(/twice/);
    expect(refusal(['email', 'department'])).toMatch(/no "name" column/);
  });
  it('says why in the reader language: a catalogue key with the column as a value', () => {
    expect(refusal(['email', 'name', 'salary'], 'es')).toBe(
      'La columna "salary" de la fila de encabezados no es ninguna de las conocidas.',
    );
    expect(refusal(['email', 'name', 'salary'], 'de')).toBe(
      'Die Spalte "salary" in der Kopfzeile ist unbekannt.',
    );
    expect(refusal(['email', 'department'], 'de')).toBe('Der Kopfzeile fehlt die Spalte "name".');
  });
});

describe('validateRow', () => {
  it('cleans a good row', () => {
    const r = validateRow({
      email: ' Ana@Example.COM ',
      name: ' Ana   Lima ',
      hireDate: '2028-02-29',
      active: 'No',
      locale: 'es-MX',
    });
    expect(r).toEqual({
      row: {
        email: 'ana@example.com',
        name: 'Ana Lima',
        employeeId: null,
        department: '',
        managerEmail: null,
        hireDate: new Date('2028-02-29T00:00:00Z'),
        locale: 'es',
        active: false,
      },
    });
  });
  it('gives every reason a row is rejected', () => {
    const r = validateRow({
      email: 'bad',
      name: '',
      employeeId: 'has space',
      hireDate: '2027-02-29',
      active: 'perhaps',
      locale: 'english!',
    });
    expect('reasons' in r && r.reasons.length).toBe(6);
  });
  it('takes a shipped language or none, and names the shipped ones for any other', () => {
    expect(validateRow({ email: 'a@x.test', name: 'A', locale: 'AR' })).toMatchObject({
      row: { locale: 'ar' },
    });
    expect(validateRow({ email: 'a@x.test', name: 'A', locale: ' ' })).toMatchObject({ row: { locale: '' } });
    expect(validateRow({ email: 'a@x.test', name: 'A' })).not.toHaveProperty('row.locale');
    const fr = validateRow({ email: 'a@x.test', name: 'A', locale: 'fr-CA' });
    expect('reasons' in fr && words(fr.reasons)).toEqual([
      'Language "fr-CA" is not one the product ships: use en, es, de, ar, or leave it empty.',
    ]);
  });
  it('rejects being one’s own manager', () => {
    const r = validateRow({ email: 'a@x.test', name: 'A', managerEmail: 'A@x.test' });
    expect('reasons' in r && words(r.reasons)[0]).toMatch(/own manager/);
  });
});

describe('planImport', () => {
  let next = 0;
  const newId = () => `new${++next}`;
  const existing: ExistingPerson[] = [
    {
      _id: 'u1',
      email: 'one@x.test',
      name: 'One',
      employeeId: 'E1',
      department: 'Ops',
      managerId: null,
      hireDate: null,
      locale: 'en',
      active: true,
      role: 'employee',
    },
    {
      _id: 'u2',
      email: 'two@x.test',
      name: 'Two',
      department: 'Ops',
      managerId: 'u1',
      hireDate: null,
      locale: 'en',
      active: true,
      role: 'employee',
    },
    {
      _id: 'hr',
      email: 'hr@x.test',
      name: 'HR',
      department: 'People',
      locale: 'en',
      active: true,
      role: 'hr',
    },
  ];
  const row = (line: number, cells: Record<string, string>) => ({ line, cells });

  it('matches by employee id first, then by email', () => {
    const plan = planImport(
      [
        row(2, { email: 'renamed@x.test', name: 'One', employeeId: 'E1', department: 'Ops' }),
        row(3, { email: 'two@x.test', name: 'Two', department: 'Ops', managerEmail: 'renamed@x.test' }),
      ],
      existing,
      { deactivateMissing: false, newId },
    );
    expect(plan.changes).toEqual([
      expect.objectContaining({ action: 'update', userId: 'u1', fields: ['email'] }),
    ]);
    expect(plan.unchanged).toBe(1); // manager resolves to the same person under the new email
  });

  it('rejects duplicates in the file, unknown managers and cascades a rejected manager', () => {
    const plan = planImport(
      [
        row(2, { email: 'a@x.test', name: 'A' }),
        row(3, { email: 'A@x.test', name: 'A again' }),
        row(4, { email: 'boss@x.test', name: 'Boss', hireDate: 'yesterday' }),
        row(5, { email: 'report@x.test', name: 'Report', managerEmail: 'boss@x.test' }),
        row(6, { email: 'new@x.test', name: 'New', managerEmail: 'a@x.test' }),
      ],
      existing,
      { deactivateMissing: false, newId },
    );
    expect(plan.rejected.map((r) => r.line)).toEqual([3, 4, 5]);
    expect(words(plan.rejected[2]!.reasons)[0]).toMatch(/Unknown manager/);
    const created = plan.changes.filter((c) => c.action === 'create');
    expect(created.map((c) => c.person.email)).toEqual(['a@x.test', 'new@x.test']);
    expect(created[1]!.person.managerId).toBe(created[0]!.userId);
  });

  it('rejects an employee id and an email that belong to two different people', () => {
    const plan = planImport([row(2, { email: 'two@x.test', name: 'Two', employeeId: 'E1' })], existing, {
      deactivateMissing: false,
      newId,
    });
    expect(words(plan.rejected[0]!.reasons)[0]).toMatch(/belongs to another person/);
  });

  it('rejects a region the organisation profile does not enable, naming the ones it does; any while it names none', () => {
    const rows = [
      row(2, { email: 'us@x.test', name: 'Us', region: 'US' }),
      row(3, { email: 'uk@x.test', name: 'Uk', region: 'uk' }),
      row(4, { email: 'none@x.test', name: 'None', region: '' }),
    ];
    const plan = planImport(rows, existing, { deactivateMissing: false, newId, regions: ['uk'] });
    expect(plan.rejected.map((r) => ({ ...r, reasons: words(r.reasons) }))).toEqual([
      {
        line: 2,
        email: 'us@x.test',
        reasons: [
          'Region "US" is not enabled in the organisation profile, which enables only uk (the United Kingdom).',
        ],
      },
    ]);
    expect(words(plan.rejected[0]!.reasons, translator('es'))).toEqual([
      'La región "US" no está activada en el perfil de la organización, que solo activa uk (el Reino Unido).',
    ]);
    expect(words(plan.rejected[0]!.reasons, translator('de'))).toEqual([
      'Die Region "US" ist im Organisationsprofil nicht aktiviert; aktiviert sind nur uk (für Beschäftigte im Vereinigten Königreich).',
    ]);
    expect(plan.changes.map((c) => c.person.region)).toEqual(['uk', null]);
    const open = planImport(rows, existing, { deactivateMissing: false, newId, regions: [] });
    expect(open.rejected).toEqual([]);
  });

  it('deactivates only active employees missing from the file, not rejected rows or HR', () => {
    const plan = planImport([row(2, { email: 'two@x.test', name: 'Two', hireDate: 'bad' })], existing, {
      deactivateMissing: true,
      newId,
    });
    expect(plan.deactivate.map((d) => d.userId)).toEqual(['u1']);
  });
});
