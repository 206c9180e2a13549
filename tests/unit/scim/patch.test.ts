import { describe, expect, it } from 'vitest';
import type { ScimProblem } from '../../../src/domain/scim/errors.js';
import { normalisePatch, PATCH_SCHEMA } from '../../../src/domain/scim/patch.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const patch = (...Operations: unknown[]) => normalisePatch({ schemas: [PATCH_SCHEMA], Operations }, 'User');
const groupPatch = (...Operations: unknown[]) =>
  normalisePatch({ schemas: [PATCH_SCHEMA], Operations }, 'Group');

describe('normalisePatch: the clients dialects evened out', () => {
  it('lower-cases op and turns Entra string booleans into booleans', () => {
    expect(patch({ op: 'Replace', path: 'active', value: 'False' })).toEqual([
      { op: 'replace', path: 'active', value: false },
    ]);
    expect(patch({ op: 'REPLACE', path: 'active', value: 'True' })).toEqual([
      { op: 'replace', path: 'active', value: true },
    ]);
  });

  it('splits a path-less value object into one merge per attribute', () => {
    expect(
      patch({
        op: 'replace',
        value: {
          active: 'False',
          name: { givenName: 'Z' },
          [`${ENT}:department`]: 'D',
          [ENT]: { employeeNumber: '7' },
        },
      }),
    ).toEqual([
      { op: 'replace', path: 'active', value: false },
      { op: 'replace', path: 'name.givenName', value: 'Z' },
      { op: 'replace', path: `${ENT}:department`, value: 'D' },
      { op: 'replace', path: `${ENT}:employeeNumber`, value: '7' },
    ]);
  });

  it('wraps a bare manager id and removes members by value through a filter', () => {
    expect(patch({ op: 'Add', path: `${ENT}:manager`, value: 'abc' })).toEqual([
      { op: 'add', path: `${ENT}:manager`, value: { value: 'abc' } },
    ]);
    expect(groupPatch({ op: 'Remove', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] })).toEqual([
      { op: 'remove', path: 'members[value eq "u1"]' },
      { op: 'remove', path: 'members[value eq "u2"]' },
    ]);
  });

  it.each([
    [{ Operations: [] }, 'invalidSyntax'],
    [{ schemas: [PATCH_SCHEMA], Operations: [] }, 'invalidSyntax'],
    [{ schemas: [PATCH_SCHEMA], Operations: [{ op: 'move', path: 'a' }] }, 'invalidSyntax'],
    [{ schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', value: 'x' }] }, 'invalidSyntax'],
    [{ schemas: [PATCH_SCHEMA], Operations: [{ op: 'remove' }] }, 'noTarget'],
  ])('refuses %j with %s', (body, scimType) => {
    try {
      normalisePatch(body, 'User');
      expect.fail('accepted');
    } catch (err) {
      expect((err as ScimProblem).scimType).toBe(scimType);
    }
  });
});

describe('normalisePatch: only known attribute paths', () => {
  it('refuses a path naming the other resource type or no attribute', () => {
    for (const [path, run] of [
      ['members', patch],
      ['userName', groupPatch],
      ['name.middle.x', patch],
      ['emails[type eq "work"].value.constructor', patch],
    ] as const) {
      expect(() => run({ op: 'add', path, value: 'x' })).toThrow(
        expect.objectContaining({ scimType: 'invalidPath' }),
      );
    }
  });

  it('accepts the core URN prefix, the enterprise extension and a value filter', () => {
    expect(() =>
      patch(
        { op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:displayName', value: 'A' },
        { op: 'replace', path: `${ENT}:employeeNumber`, value: '7' },
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'a@example.com' },
        { op: 'replace', path: ENT, value: { department: 'D' } },
      ),
    ).not.toThrow();
  });
});
