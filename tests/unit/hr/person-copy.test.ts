import { describe, expect, it } from 'vitest';
import {
  COPIED_PERSON_FIELDS,
  hasPersonCopy,
  listedPerson,
  personCopy,
  personCopyChanged,
} from '../../../src/domain/person-copy.js';

const person = {
  department: 'Sales',
  managerId: undefined,
  name: 'Ann',
  email: 'ann@example.com',
  active: true,
};

describe('person copy on assignments', () => {
  it('copies exactly the listed fields, a missing manager or region as null', () => {
    const copy = personCopy(person);
    expect(Object.keys(copy)).toEqual([...COPIED_PERSON_FIELDS]);
    expect(copy.managerId).toBeNull();
    expect(copy.region).toBeNull();
    expect(personCopy({ ...person, region: 'eu' }).region).toBe('eu');
    // The chosen language: none ('') when the person chose none or the writer left it out.
    expect(copy.locale).toBe('');
    expect(personCopy({ ...person, locale: 'de' }).locale).toBe('de');
    expect(personCopy({ ...person, locale: null }).locale).toBe('');
  });

  it('sees a change in a copied field or the active flag, and nothing else', () => {
    expect(personCopyChanged(person, { ...person })).toBe(false);
    expect(personCopyChanged(person, { ...person, managerId: null })).toBe(false);
    expect(personCopyChanged(person, { ...person, name: 'Anne' })).toBe(true);
    expect(personCopyChanged(person, { ...person, managerId: 'm1' })).toBe(true);
    expect(personCopyChanged(person, { ...person, region: null })).toBe(false);
    expect(personCopyChanged(person, { ...person, region: 'uk' })).toBe(true);
    expect(personCopyChanged(person, { ...person, locale: '' })).toBe(false);
    expect(personCopyChanged(person, { ...person, locale: 'es' })).toBe(true);
    expect(personCopyChanged(person, { ...person, active: false })).toBe(true);
  });

  it('falls back to the looked-up person only for assignments written before the copy', () => {
    expect(hasPersonCopy({ email: 'ann@example.com' })).toBe(true);
    expect(hasPersonCopy({ email: '' })).toBe(false);
    expect(hasPersonCopy({})).toBe(false);
    expect(listedPerson({ name: 'Ann', email: 'a@x.io' }, { name: 'Old', email: 'o@x.io' })).toEqual({
      name: 'Ann',
      email: 'a@x.io',
    });
    expect(listedPerson({ name: '', email: '' }, undefined)).toEqual({ name: '(unknown person)', email: '' });
  });
});
