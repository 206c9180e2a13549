import { describe, expect, it } from 'vitest';
import { ENTERPRISE_SCHEMA, personFromScimUser, toScimUser } from '../../../src/domain/scim/user-resource.js';

const person = {
  _id: 'p1',
  email: 'ada@demo.test',
  name: 'Ada Lovelace',
  active: true,
  department: 'Research',
  employeeId: 'E1',
  managerId: 'm1',
  externalId: 'x1',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-02T00:00:00Z'),
};

describe('SCIM User mapping', () => {
  it('shows a person as a User with the enterprise extension', () => {
    const u = toScimUser(person, 'https://lms.test');
    expect(u).toMatchObject({
      id: 'p1',
      userName: 'ada@demo.test',
      externalId: 'x1',
      displayName: 'Ada Lovelace',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
    });
    expect(u[ENTERPRISE_SCHEMA]).toEqual({
      department: 'Research',
      employeeNumber: 'E1',
      manager: { value: 'm1' },
    });
    expect(u.meta.location).toBe('https://lms.test/scim/v2/Users/p1');
  });

  it('a PUT keeps what it does not assert; a patched resource clears what was removed', () => {
    expect(personFromScimUser({ userName: 'Ada@Demo.test', active: 'False' })).toEqual({
      email: 'ada@demo.test',
      name: 'ada@demo.test',
      active: false,
    });
    const before = toScimUser(person, 'https://lms.test');
    const after = structuredClone(before);
    delete after[ENTERPRISE_SCHEMA].manager;
    after.name.familyName = 'King';
    expect(personFromScimUser(after, before)).toMatchObject({
      managerId: null,
      department: 'Research',
      name: 'Ada King',
    });
  });

  it('refuses a userName that is not an e-mail address and a non-boolean active', () => {
    expect(() => personFromScimUser({ userName: 'ada' })).toThrow(/e-mail/);
    expect(() => personFromScimUser({ userName: 'a@b.test', active: 'maybe' })).toThrow(/true or false/);
  });
});
